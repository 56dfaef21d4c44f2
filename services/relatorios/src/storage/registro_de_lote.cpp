#include "registro_de_lote.hpp"

namespace pharmasys::relatorios {
namespace {

constexpr pg::Query kOp{
    "rel_rl_op",
    "SELECT id, codigo, produto, status, quantidade, receita_id, receita_versao, etapas::text, criado_por, "
    PHARMASYS_PG_INSTANT("criado_em") ", status_antes_do_bloqueio, motivo_cancelamento, "
    PHARMASYS_PG_INSTANT("iniciada_em") ", " PHARMASYS_PG_INSTANT("concluida_em") ", "
    PHARMASYS_PG_INSTANT("cancelada_em") ", versao,"
    " (SELECT count(*) FROM desvios d WHERE d.op_id = ops.id AND d.status = 'aberto') FROM ops WHERE id = $1::uuid"};
constexpr pg::Query kRegistros{
    "rel_rl_registros",
    "SELECT id, ordem, parametros::text, fora_dos_limites::text, motivo, observacao, "
    "registrado_por, " PHARMASYS_PG_INSTANT(
        "registrado_em") " FROM op_registros WHERE op_id = $1::uuid ORDER BY ordem, registrado_em"};
constexpr pg::Query kConsumos{
    "rel_rl_consumos", "SELECT id, op_id, material, quantidade, estoque_consumo_id, criado_por, " PHARMASYS_PG_INSTANT(
                           "criado_em") " FROM op_consumos WHERE op_id = $1::uuid ORDER BY criado_em, id"};
constexpr pg::Query kConsumoLotes{"rel_rl_consumo_lotes",
                                  "SELECT lote_id, lote_codigo, quantidade, validade::text FROM consumos"
                                  " WHERE consumo_id = $1::uuid ORDER BY ordem NULLS LAST, lote_codigo"};
constexpr pg::Query kLotes{"rel_rl_lotes",
                           "SELECT id, codigo, op_id, material, unidade, data_fabricacao::text, validade::text, "
                           "status, criado_por, " PHARMASYS_PG_INSTANT(
                               "criado_em") ", quantidade FROM lotes WHERE op_id = $1::uuid ORDER BY criado_em, id"};

constexpr pg::Query kHistorico{
    "rel_op_historico_of",
    "SELECT status, status_anterior, usuario, " PHARMASYS_PG_INSTANT(
        "ocorrido_em") " FROM op_historico WHERE op_id = $1::uuid ORDER BY ocorrido_em, evento_id"};
constexpr pg::Query kRevisao{"rel_rl_revisao",
                             "SELECT revisado_por, " PHARMASYS_PG_INSTANT("revisado_em") ", excecoes, assinatura::text"
                                                                                        " FROM op_revisoes WHERE op_id = $1::uuid"};
constexpr pg::Query kRevisaoInsert{
    "rel_rl_revisao_insert",
    "INSERT INTO op_revisoes (op_id, revisado_por, revisado_em, excecoes, assinatura)"
    " VALUES ($1::uuid, $2, $3::timestamptz, $4, $5::json) ON CONFLICT (op_id) DO NOTHING"};
constexpr pg::Query kOpDesvios{
    "rel_op_desvios", "SELECT id, lote_id, classificacao, descricao, status, " PHARMASYS_PG_INSTANT("aberto_em") ", " PHARMASYS_PG_INSTANT(
                          "encerrado_em") " FROM desvios WHERE op_id = $1::uuid ORDER BY aberto_em NULLS LAST"};

}  // namespace

std::vector<MudancaDeStatus> HistoricoDaOp(pg::Transaction& tx, const std::string& op_id) {
  auto rows = tx.Exec(kHistorico, pg::Params(op_id));
  std::vector<MudancaDeStatus> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].String(0), rows[i].OptionalString(1), rows[i].OptionalString(2), rows[i].String(3)});
  }
  return out;
}

std::vector<DesvioDaOp> DesviosDaOp(pg::Transaction& tx, const std::string& op_id) {
  auto rows = tx.Exec(kOpDesvios, pg::Params(op_id));
  std::vector<DesvioDaOp> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back({.id = rows[i].String(0),
                   .status = rows[i].String(4),
                   .lote_id = rows[i].OptionalString(1),
                   .classificacao = rows[i].OptionalString(2),
                   .descricao = rows[i].OptionalString(3),
                   .aberto_em = rows[i].OptionalString(5),
                   .encerrado_em = rows[i].OptionalString(6)});
  }
  return out;
}

std::optional<OpDoRegistro> ReadOpDoRegistro(pg::Transaction& tx, const std::string& op_id) {
  auto found = tx.Exec(kOp, pg::Params(op_id));
  if (found.empty()) return std::nullopt;
  auto r = found.Single();
  OpDoRegistro out;
  out.op = OpLida{.id = r.String(0),
                  .codigo = r.String(1),
                  .produto = r.String(2),
                  .status = r.String(3),
                  .quantidade = r.OptionalNumeric(4),
                  .receita_id = r.OptionalString(5),
                  .receita_versao = r.OptionalInt(6),
                  .versao = r.OptionalInt(15),
                  .etapas = r.OptionalString(7),
                  .criado_por = r.OptionalString(8),
                  .criado_em = r.OptionalString(9),
                  .status_antes_do_bloqueio = r.OptionalString(10),
                  .motivo_cancelamento = r.OptionalString(11),
                  .iniciada_em = r.OptionalString(12),
                  .concluida_em = r.OptionalString(13),
                  .cancelada_em = r.OptionalString(14),
                  .desvios_abertos = r.Int(16)};
  auto registros = tx.Exec(kRegistros, pg::Params(op_id));
  for (int i = 0; i < registros.size(); ++i) {
    auto g = registros[i];
    out.registros.push_back({.id = g.String(0),
                             .ordem = static_cast<int>(g.Int(1)),
                             .parametros = g.String(2),
                             .fora_dos_limites = g.String(3),
                             .motivo = g.OptionalString(4),
                             .observacao = g.OptionalString(5),
                             .registrado_por = g.String(6),
                             .registrado_em = g.String(7)});
  }
  auto consumos = tx.Exec(kConsumos, pg::Params(op_id));
  for (int i = 0; i < consumos.size(); ++i) {
    auto c = consumos[i];
    ConsumoDaOp consumo{.id = c.String(0),
                        .op_id = c.String(1),
                        .material = c.String(2),
                        .criado_em = c.String(6),
                        .quantidade = c.OptionalNumeric(3),
                        .estoque_consumo_id = c.OptionalString(4),
                        .criado_por = c.OptionalString(5)};
    auto lotes = tx.Exec(kConsumoLotes, pg::Params(consumo.id));
    for (int j = 0; j < lotes.size(); ++j) {
      consumo.lotes.push_back(
          {lotes[j].String(0), lotes[j].String(1), lotes[j].Numeric(2), lotes[j].OptionalString(3)});
    }
    out.consumos.push_back(std::move(consumo));
  }
  auto lotes = tx.Exec(kLotes, pg::Params(op_id));
  for (int i = 0; i < lotes.size(); ++i) {
    auto l = lotes[i];
    out.lotes.push_back({.id = l.String(0),
                         .codigo = l.String(1),
                         .op_id = l.String(2),
                         .material = l.String(3),
                         .unidade = l.String(4),
                         .validade = l.String(6),
                         .status = l.String(7),
                         .criado_em = l.String(9),
                         .quantidade = l.Numeric(10),
                         .data_fabricacao = l.OptionalString(5),
                         .criado_por = l.OptionalString(8)});
  }
  return out;
}

std::optional<RevisaoDaOp> RevisaoDaOrdem(pg::Transaction& tx, const std::string& op_id) {
  auto rows = tx.Exec(kRevisao, pg::Params(op_id));
  if (rows.empty()) return std::nullopt;
  auto r = rows.Single();
  return RevisaoDaOp{
      .revisado_por = r.String(0), .revisado_em = r.String(1), .assinatura = r.String(3), .excecoes = r.Int(2)};
}

void RecordRevisao(pg::Transaction& tx, const std::string& op_id, const RevisaoDaOp& revisao) {
  tx.Exec(kRevisaoInsert,
          pg::Params(op_id, revisao.revisado_por, revisao.revisado_em, revisao.excecoes, revisao.assinatura));
}

}  // namespace pharmasys::relatorios
