#include "lotes.hpp"

#include "../app/recusa.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/json/fields.hpp"

namespace pharmasys::estoque {
namespace {

constexpr pg::Query kNow{"estoque_now", "SELECT (now() AT TIME ZONE $1)::date::text, " PHARMASYS_PG_INSTANT("now()")};

#define MATERIAL_SELECT                                                                        \
  "SELECT codigo, nome, tipo, unidade, prazo_validade_dias, vida_util_minima_expedicao_dias, " \
  "versao, " PHARMASYS_PG_INSTANT("criado_em") " FROM materiais "
constexpr pg::Query kMaterial{"material_by_codigo", MATERIAL_SELECT "WHERE codigo = $1"};
constexpr pg::Query kMaterials{"material_list", MATERIAL_SELECT
                               "WHERE ($1::text IS NULL OR codigo > $1) AND ($2::text IS NULL OR tipo = $2)"
                               " ORDER BY codigo LIMIT $3"};
constexpr pg::Query kInsertMaterial{"material_insert",
                                    "INSERT INTO materiais (codigo, nome, tipo, unidade, prazo_validade_dias,"
                                    " vida_util_minima_expedicao_dias) VALUES ($1, $2, $3, $4, $5, $6)"
                                    " ON CONFLICT (codigo) DO NOTHING"};

#define LOT_COLUMNS                                                                                                  \
  "id, codigo, material, unidade, origem, status, validade::text, data_fabricacao::text, op_id, fornecedor,"         \
  " lote_fornecedor, nota_fiscal, quantidade, reservada, devolvida, laudo_id, laudo_decisao, " PHARMASYS_PG_INSTANT( \
      "laudo_emitido_em") ", recolhido_motivo, " PHARMASYS_PG_INSTANT("recebido_em") ", versao"

constexpr pg::Query kLot{"lote_by_id", "SELECT " LOT_COLUMNS " FROM lotes WHERE id = $1::uuid"};
constexpr pg::Query kLotForUpdate{"lote_by_id_lock",
                                  "SELECT " LOT_COLUMNS " FROM lotes WHERE id = $1::uuid FOR UPDATE"};

constexpr pg::Query kLotsFefo{
    "lotes_fefo_list",
    "SELECT " LOT_COLUMNS
    " FROM lotes WHERE ($1::text IS NULL OR material = $1)"
    " AND ($2::text IS NULL OR status = $2) AND quantidade > 0 AND ($3::uuid IS NULL OR"
    " (validade, recebido_em, codigo) > (SELECT validade, recebido_em, codigo FROM lotes WHERE id = $3::uuid))"
    " ORDER BY lotes.validade, recebido_em, codigo LIMIT $4"};

constexpr pg::Query kInsertLot{
    "lote_insert",
    "INSERT INTO lotes (id, codigo, material, unidade, origem, status, validade, data_fabricacao, op_id, fornecedor,"
    " lote_fornecedor, nota_fiscal, quantidade)"
    " VALUES ($1::uuid, COALESCE($2, 'R' || to_char(now(), 'YYMMDD') || '-' ||"
    " " PHARMASYS_PG_CODE_NUMBER("lote_recebimento_seq", "5") "), $3, $4, $5, 'quarentena', $6::date, $7::date, $8::uuid,"
    " $9, $10, $11, 0) ON CONFLICT (id) DO NOTHING RETURNING codigo"};

constexpr pg::Query kSetStatus{"lote_set_status",
                               "UPDATE lotes SET status = $2, versao = versao + 1, atualizado_em = now()"
                               " WHERE id = $1::uuid"};
constexpr pg::Query kSetLaudo{"lote_set_laudo",
                              "UPDATE lotes SET laudo_id = $2::uuid, laudo_decisao = $3,"
                              " laudo_emitido_em = $4::timestamptz, versao = versao + 1, atualizado_em = now()"
                              " WHERE id = $1::uuid"};
constexpr pg::Query kSetRecall{"lote_set_recall",
                               "UPDATE lotes SET recolhido_motivo = $2, versao = versao + 1, atualizado_em = now()"
                               " WHERE id = $1::uuid"};

// The balance change and its ledger row are one statement: neither can exist without the other.
constexpr pg::Query kMove{
    "movimentacao_insert",
    "WITH l AS (UPDATE lotes SET quantidade = quantidade + $2::numeric, reservada = reservada + $3::numeric,"
    " devolvida = devolvida + $4::numeric, versao = versao + 1, atualizado_em = now() WHERE id = $1::uuid"
    " RETURNING id, material, quantidade, reservada, devolvida)"
    " INSERT INTO movimentacoes (lote_id, material, tipo, quantidade, reservada, devolvida, saldo_apos,"
    " reservada_apos, devolvida_apos, documento_tipo, documento_id, usuario_sub, usuario_username, request_id)"
    " SELECT l.id, l.material, $5, $2::numeric, $3::numeric, $4::numeric, l.quantidade, l.reservada, l.devolvida,"
    " $6, $7, $8, $9, $10 FROM l RETURNING saldo_apos, reservada_apos, devolvida_apos"};

constexpr pg::ListQuery kLedger = PHARMASYS_PG_LIST(
    "movimentacoes_list",
    "SELECT m.id, m.lote_id, l.codigo, m.material, m.tipo, m.quantidade, m.reservada, m.devolvida, m.saldo_apos,"
    " m.reservada_apos, m.devolvida_apos, m.documento_tipo, m.documento_id, m.usuario_sub, m.usuario_username,"
    " m.request_id, " PHARMASYS_PG_INSTANT("m.ocorrido_em") " FROM movimentacoes m JOIN lotes l ON l.id = m.lote_id ",
    " AND ($1::uuid IS NULL OR m.lote_id = $1::uuid) AND ($2::text IS NULL OR m.material = $2)", "m.id", "$3::bigint",
    "$4");

// Served by the partial index lotes_fefo: only allocatable lots, already in FEFO order, read
// from the head and locked until LIMIT. The ORDER BY names the table's column: a bare
// `validade` is the output column `validade::text`, an order no index has, so every lot of
// the material was read, sorted and only then locked.
constexpr pg::Query kCandidates{
    "fefo_candidates",
    "SELECT id, codigo, validade::text, (extract(epoch FROM recebido_em) * 1000000)::bigint, disponivel"
    " FROM lotes WHERE material = $1 AND status = 'liberado' AND disponivel > 0 AND validade >= $2::date"
    " ORDER BY lotes.validade, recebido_em, codigo LIMIT $3 FOR UPDATE"};

Material MaterialFrom(const pg::Row& r) {
  return Material{r.String(0), r.String(1), r.String(2), r.String(3), r.Int(4), r.Int(5), r.Int(6), r.String(7)};
}

Lote LoteFrom(const pg::Row& r) {
  Lote lot;
  lot.id = r.String(0);
  lot.codigo = r.String(1);
  lot.material = r.String(2);
  lot.unidade = r.String(3);
  lot.origem = r.String(4);
  lot.status = domain::ParseLoteStatus(r.Text(5)).value_or(domain::LoteStatus::Quarentena);
  lot.validade = ParseDay(r.Text(6));
  lot.data_fabricacao = r.OptionalString(7);
  lot.op_id = r.OptionalString(8);
  lot.fornecedor = r.OptionalString(9);
  lot.lote_fornecedor = r.OptionalString(10);
  lot.nota_fiscal = r.OptionalString(11);
  lot.quantidade = r.Numeric(12);
  lot.reservada = r.Numeric(13);
  lot.devolvida = r.Numeric(14);
  lot.laudo_id = r.OptionalString(15);
  lot.laudo_decisao = r.OptionalString(16);
  lot.laudo_emitido_em = r.OptionalString(17);
  lot.recolhido_motivo = r.OptionalString(18);
  lot.recebido_em = r.String(19);
  lot.versao = r.Int(20);
  return lot;
}

}  // namespace

Day ParseDay(std::string_view text) {
  auto date = json::ParseDate(text);
  if (!date) throw std::runtime_error("not a date: " + std::string(text));
  return std::chrono::sys_days(*date);
}

std::string FormatDay(Day day) {
  return json::FormatDate(std::chrono::year_month_day(day));
}

Agora Now(pg::Transaction& tx, const std::string& fuso) {
  auto r = tx.Exec(kNow, pg::Params(fuso)).Single();
  return {ParseDay(r.Text(0)), r.String(1)};
}

Day Today(pg::Transaction& tx, const std::string& fuso) {
  return Now(tx, fuso).hoje;
}

std::optional<Material> FindMaterial(pg::Transaction& tx, const std::string& codigo) {
  auto rows = tx.Exec(kMaterial, pg::Params(codigo));
  if (rows.empty()) return std::nullopt;
  return MaterialFrom(rows.Single());
}

bool InsertMaterial(pg::Transaction& tx, const Material& m) {
  return tx.Exec(kInsertMaterial, pg::Params(m.codigo, m.nome, m.tipo, m.unidade, m.prazo_validade_dias,
                                             m.vida_util_minima_expedicao_dias))
             .affected() != 0;
}

std::vector<Material> ListMaterials(pg::Transaction& tx, const std::optional<std::string>& cursor,
                                    const std::optional<std::string>& tipo, std::int64_t limit) {
  auto rows = tx.Exec(kMaterials, pg::Params(cursor, tipo, limit));
  std::vector<Material> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(MaterialFrom(rows[i]));
  return out;
}

Decimal Lote::Disponivel(Day hoje) const {
  if (!CanLeaveStock(status) || !UsableOn(validade, hoje)) return Decimal();
  return quantidade - reservada - devolvida;
}

std::optional<Lote> FindLote(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kLotForUpdate : kLot, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return LoteFrom(rows.Single());
}

Lote LoadLote(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto lot = FindLote(tx, id, for_update);
  if (!lot) throw Recusa(Motivo::NaoEncontrado, "Lote " + id + " não encontrado no estoque.");
  return std::move(*lot);
}

std::vector<Lote> ListLotesFefo(pg::Transaction& tx, const std::optional<std::string>& material,
                                const std::optional<std::string>& status, const std::optional<std::string>& cursor,
                                std::int64_t limit) {
  auto rows = tx.Exec(kLotsFefo, pg::Params(material, status, cursor, limit));
  std::vector<Lote> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(LoteFrom(rows[i]));
  return out;
}

std::optional<std::string> InsertLote(pg::Transaction& tx, const NovoLote& lot) {
  std::optional<std::string> codigo;
  if (!lot.codigo.empty()) codigo = lot.codigo;
  auto rows = tx.Exec(kInsertLot,
                      pg::Params(lot.id, codigo, lot.material, lot.unidade, lot.origem, FormatDay(lot.validade),
                                 lot.data_fabricacao, lot.op_id, lot.fornecedor, lot.lote_fornecedor, lot.nota_fiscal));
  if (rows.empty()) return std::nullopt;
  return rows.Single().String(0);
}

void SetLoteStatus(pg::Transaction& tx, const std::string& lote_id, domain::LoteStatus status) {
  tx.Exec(kSetStatus, pg::Params(lote_id, std::string(ToString(status))));
}

void SetLoteLaudo(pg::Transaction& tx, const std::string& lote_id, const std::string& laudo_id,
                  const std::string& decisao, const std::string& emitido_em) {
  tx.Exec(kSetLaudo, pg::Params(lote_id, laudo_id, decisao, emitido_em));
}

void SetLoteRecolhido(pg::Transaction& tx, const std::string& lote_id, const std::string& motivo) {
  tx.Exec(kSetRecall, pg::Params(lote_id, motivo));
}

Saldos Move(pg::Transaction& tx, const audit::Actor& actor, const Movimentacao& m) {
  try {
    auto r = tx.Exec(kMove, pg::Params(m.lote_id, m.quantidade, m.reservada, m.devolvida, m.tipo, m.documento_tipo,
                                       m.documento_id, actor.sub, actor.username, actor.request_id))
                 .Single();
    return {r.Numeric(0), r.Numeric(1), r.Numeric(2)};
  } catch (const pg::SqlError& e) {
    if (e.sqlstate() != "23514") throw;  // check_violation: a balance would go negative
    throw Recusa(Motivo::EstoqueInsuficiente,
                 "O saldo do lote " + m.lote_id + " não cobre esta movimentação (" + m.tipo + ").");
  }
}

std::vector<MovimentacaoLida> ListMovimentacoes(pg::Transaction& tx, const std::optional<std::string>& lote_id,
                                                const std::optional<std::string>& material,
                                                std::optional<std::int64_t> cursor, SortOrder order,
                                                std::int64_t limit) {
  auto rows = tx.Exec(kLedger[order], pg::Params(lote_id, material, cursor, limit));
  std::vector<MovimentacaoLida> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back({.id = r.Int(0),
                   .lote_id = r.String(1),
                   .lote_codigo = r.String(2),
                   .material = r.String(3),
                   .tipo = r.String(4),
                   .quantidade = r.Numeric(5),
                   .reservada = r.Numeric(6),
                   .devolvida = r.Numeric(7),
                   .saldo_apos = r.Numeric(8),
                   .reservada_apos = r.Numeric(9),
                   .devolvida_apos = r.Numeric(10),
                   .documento_tipo = r.String(11),
                   .documento_id = r.String(12),
                   .usuario_sub = r.String(13),
                   .usuario_username = r.String(14),
                   .request_id = r.OptionalString(15),
                   .ocorrido_em = r.String(16)});
  }
  return out;
}

std::vector<FefoCandidate> LockCandidates(pg::Transaction& tx, const std::string& material, Day min_validade,
                                          std::int64_t limit) {
  auto rows = tx.Exec(kCandidates, pg::Params(material, FormatDay(min_validade), limit));
  std::vector<FefoCandidate> out;
  out.reserve(rows.size());
  for (int i = 0; i < rows.size(); ++i) {
    auto r = rows[i];
    out.push_back({r.String(0), r.String(1), ParseDay(r.Text(2)), r.Int(3), r.Numeric(4)});
  }
  return out;
}

FefoAllocation AllocateLocked(pg::Transaction& tx, const std::string& material, const FefoRequest& request) {
  // The query returns the allocatable lots in FEFO order. Lock as few as possible — the head
  // lot usually covers a request, and every lot locked here makes other requests wait — and
  // more only when they do not cover it (LIMIT applies after the lock re-checks each row, so a
  // short page means there is nothing more).
  const Day min_validade = request.hoje + std::chrono::days(request.vida_util_minima_dias);
  for (std::int64_t limit = 1;; limit *= 16) {
    auto candidates = LockCandidates(tx, material, min_validade, limit);
    const bool all = static_cast<std::int64_t>(candidates.size()) < limit;
    auto allocation = AllocateFefo(std::move(candidates), request);
    if (allocation.completa) return allocation;
    if (all) ThrowInsufficient(material, request.quantidade, allocation.alocavel);
  }
}

void ThrowInsufficient(const std::string& material, Decimal pedido, Decimal disponivel) {
  throw Recusa(Motivo::EstoqueInsuficiente,
               "Disponível de " + material + ": " + disponivel.ToString() + "; pedido: " + pedido.ToString() + ".");
}

void ThrowNotReleased(const std::string& detail) {
  throw Recusa(Motivo::LoteNaoLiberado, detail);
}

}  // namespace pharmasys::estoque
