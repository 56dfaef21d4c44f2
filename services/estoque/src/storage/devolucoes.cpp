#include "devolucoes.hpp"

#include "pharmasys/json/fields.hpp"

namespace pharmasys::estoque {
namespace {

#define RETURN_SELECT                                                                                                 \
  "SELECT d.id, d.codigo, d.expedicao_id, d.lote_id, l.codigo, d.quantidade, d.motivo, d.status, "                    \
  "d.criado_por, " PHARMASYS_PG_INSTANT("d.criado_em") ", d.avaliacao_motivo, d.avaliado_por, " PHARMASYS_PG_INSTANT( \
      "d.avaliado_em") ", d.assinatura::text, d.versao FROM devolucoes d JOIN lotes l ON l.id = d.lote_id "

constexpr pg::Query kById{"devolucao_by_id", RETURN_SELECT "WHERE d.id = $1::uuid"};
constexpr pg::Query kByIdForUpdate{"devolucao_by_id_lock", RETURN_SELECT "WHERE d.id = $1::uuid FOR UPDATE OF d"};
constexpr pg::ListQuery kList = PHARMASYS_PG_LIST("devolucao_list", RETURN_SELECT,
                                                  " AND ($1::text IS NULL OR d.status = $1)", "d.id", "$2::uuid", "$3");
constexpr pg::Query kInsert{"devolucao_insert",
                            "INSERT INTO devolucoes (id, codigo, expedicao_id, lote_id, quantidade, motivo, status,"
                            " criado_por) VALUES ($1::uuid, 'DEV-' || " PHARMASYS_PG_CODE_NUMBER("devolucao_seq", "6") ","
                            " $2::uuid, $3::uuid, $4::numeric, $5, 'pendente', $6)"};
constexpr pg::Query kEvaluate{"devolucao_avaliar",
                              "UPDATE devolucoes SET status = $2, avaliacao_motivo = $3, avaliado_por = $4,"
                              " avaliado_em = now(), assinatura = $5::jsonb, versao = versao + 1 WHERE id = $1::uuid"};

Devolucao FromRow(const pg::Row& r) {
  Devolucao d{.id = r.String(0),
              .codigo = r.String(1),
              .expedicao_id = r.String(2),
              .lote_id = r.String(3),
              .lote_codigo = r.String(4),
              .quantidade = r.Numeric(5),
              .motivo = r.String(6),
              .status = r.String(7),
              .criado_por = r.String(8),
              .criado_em = r.String(9),
              .avaliacao = std::nullopt,
              .versao = r.Int(14)};
  if (!r.IsNull(12)) d.avaliacao = AvaliacaoDevolucao{r.String(10), r.String(11), r.String(12), r.String(13)};
  return d;
}

}  // namespace

std::optional<Devolucao> FindDevolucao(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kByIdForUpdate : kById, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return FromRow(rows.Single());
}

std::vector<Devolucao> ListDevolucoes(pg::Transaction& tx, const std::optional<std::string>& status,
                                      const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit) {
  auto rows = tx.Exec(kList[order], pg::Params(status, cursor, limit));
  std::vector<Devolucao> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(FromRow(rows[i]));
  return out;
}

void InsertDevolucao(pg::Transaction& tx, const NovaDevolucao& d) {
  tx.Exec(kInsert, pg::Params(d.id, d.expedicao_id, d.lote_id, d.quantidade, d.motivo, d.criado_por));
}

void SetDevolucaoAvaliada(pg::Transaction& tx, const std::string& id, const std::string& status,
                          const std::string& motivo, const std::string& avaliado_por, const std::string& assinatura) {
  tx.Exec(kEvaluate, pg::Params(id, status, motivo, avaliado_por, assinatura));
}

}  // namespace pharmasys::estoque
