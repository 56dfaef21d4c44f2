#include "expedicoes.hpp"

#include "../app/recusa.hpp"
#include "pharmasys/json/fields.hpp"

namespace pharmasys::estoque {
namespace {

#define SHIPMENT_SELECT                                                               \
  "SELECT id, codigo, cliente_nome, cliente_documento, status, motivo_cancelamento, " \
  "criado_por, " PHARMASYS_PG_INSTANT("criado_em") ", " PHARMASYS_PG_INSTANT(         \
      "confirmada_em") ", " PHARMASYS_PG_INSTANT("cancelada_em") ", versao FROM expedicoes "

constexpr pg::Query kById{"expedicao_by_id", SHIPMENT_SELECT "WHERE id = $1::uuid"};
constexpr pg::Query kByIdForUpdate{"expedicao_by_id_lock", SHIPMENT_SELECT "WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::ListQuery kList = PHARMASYS_PG_LIST(
    "expedicao_list", SHIPMENT_SELECT,
    " AND ($1::text IS NULL OR cliente_documento = $1) AND ($2::text IS NULL OR status = $2)", "id", "$3::uuid", "$4");
constexpr pg::Query kItems{"expedicao_itens",
                           "SELECT item, material, quantidade, lote_escolhido, excecao_fefo_motivo"
                           " FROM expedicao_itens WHERE expedicao_id = $1::uuid ORDER BY item"};
constexpr pg::Query kLots{"expedicao_lotes",
                          "SELECT e.item, e.lote_id, l.codigo, l.material, l.validade::text, e.quantidade, e.devolvida"
                          " FROM expedicao_lotes e JOIN lotes l ON l.id = e.lote_id WHERE e.expedicao_id = $1::uuid"
                          " ORDER BY e.item, l.validade, l.recebido_em, l.codigo"};
constexpr pg::Query kInsert{"expedicao_insert",
                            "INSERT INTO expedicoes (id, codigo, cliente_nome, cliente_documento, status, criado_por)"
                            " VALUES ($1::uuid, 'EXP-' || " PHARMASYS_PG_CODE_NUMBER("expedicao_seq", "6") ", $2, $3,"
                            " 'reservada', $4)"};
constexpr pg::Query kInsertItem{"expedicao_item_insert",
                                "INSERT INTO expedicao_itens (expedicao_id, item, material, quantidade, lote_escolhido,"
                                " excecao_fefo_motivo) VALUES ($1::uuid, $2, $3, $4::numeric, $5::uuid, $6)"};
constexpr pg::Query kInsertLot{"expedicao_lote_insert",
                               "INSERT INTO expedicao_lotes (expedicao_id, item, lote_id, quantidade)"
                               " VALUES ($1::uuid, $2, $3::uuid, $4::numeric)"};
constexpr pg::Query kConfirm{"expedicao_confirm",
                             "UPDATE expedicoes SET status = 'confirmada', confirmada_em = now(), versao = versao + 1"
                             " WHERE id = $1::uuid"};
constexpr pg::Query kCancel{"expedicao_cancel",
                            "UPDATE expedicoes SET status = 'cancelada', cancelada_em = now(),"
                            " motivo_cancelamento = $2, versao = versao + 1 WHERE id = $1::uuid"};
constexpr pg::Query kAddReturned{
    "expedicao_lote_devolvida",
    "UPDATE expedicao_lotes SET devolvida = devolvida + $3::numeric WHERE ctid = (SELECT ctid FROM expedicao_lotes"
    " WHERE expedicao_id = $1::uuid AND lote_id = $2::uuid AND quantidade - devolvida >= $3::numeric"
    " ORDER BY item LIMIT 1 FOR UPDATE)"};
constexpr pg::Query kOpenWithLot{
    "expedicoes_abertas_com_lote",
    "SELECT DISTINCT x.id FROM expedicoes x JOIN expedicao_lotes e ON e.expedicao_id = x.id"
    " WHERE e.lote_id = $1::uuid AND x.status = 'reservada' ORDER BY x.id"};

Expedicao Load(pg::Transaction& tx, const pg::Row& r) {
  Expedicao s{.id = r.String(0),
              .codigo = r.String(1),
              .cliente_nome = r.String(2),
              .cliente_documento = r.String(3),
              .status = r.String(4),
              .motivo_cancelamento = r.OptionalString(5),
              .criado_por = r.String(6),
              .criado_em = r.String(7),
              .confirmada_em = r.OptionalString(8),
              .cancelada_em = r.OptionalString(9),
              .versao = r.Int(10)};
  auto items = tx.Exec(kItems, pg::Params(s.id));
  for (int i = 0; i < items.size(); ++i) {
    auto it = items[i];
    s.itens.push_back({it.Int(0), it.String(1), it.Numeric(2), it.OptionalString(3), it.OptionalString(4)});
  }
  auto lots = tx.Exec(kLots, pg::Params(s.id));
  for (int i = 0; i < lots.size(); ++i) {
    auto l = lots[i];
    s.lotes.push_back({l.Int(0), l.String(1), l.String(2), l.String(3), l.String(4), l.Numeric(5), l.Numeric(6)});
  }
  return s;
}

}  // namespace

std::optional<Expedicao> FindExpedicao(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kByIdForUpdate : kById, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return Load(tx, rows.Single());
}

Expedicao LoadExpedicao(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto s = FindExpedicao(tx, id, for_update);
  if (!s) throw Recusa(Motivo::NaoEncontrado, "Expedição " + id + " não encontrada.");
  return std::move(*s);
}

std::vector<Expedicao> ListExpedicoes(pg::Transaction& tx, const std::optional<std::string>& cliente,
                                      const std::optional<std::string>& status,
                                      const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit) {
  auto rows = tx.Exec(kList[order], pg::Params(cliente, status, cursor, limit));
  std::vector<Expedicao> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(Load(tx, rows[i]));
  return out;
}

void InsertExpedicao(pg::Transaction& tx, const NovaExpedicao& s) {
  tx.Exec(kInsert, pg::Params(s.id, s.cliente_nome, s.cliente_documento, s.criado_por));
}

void InsertExpedicaoItem(pg::Transaction& tx, const std::string& expedicao_id, const ExpedicaoItem& item) {
  tx.Exec(kInsertItem, pg::Params(expedicao_id, item.item, item.material, item.quantidade, item.lote_escolhido,
                                  item.excecao_fefo_motivo));
}

void InsertExpedicaoLote(pg::Transaction& tx, const std::string& expedicao_id, std::int64_t item,
                         const std::string& lote_id, Decimal quantidade) {
  tx.Exec(kInsertLot, pg::Params(expedicao_id, item, lote_id, quantidade));
}

void MarkConfirmed(pg::Transaction& tx, const std::string& expedicao_id) {
  tx.Exec(kConfirm, pg::Params(expedicao_id));
}

bool AddReturned(pg::Transaction& tx, const std::string& expedicao_id, const std::string& lote_id, Decimal quantidade) {
  return tx.Exec(kAddReturned, pg::Params(expedicao_id, lote_id, quantidade)).affected() == 1;
}

void MarkCancelled(pg::Transaction& tx, const std::string& expedicao_id, const std::string& motivo) {
  tx.Exec(kCancel, pg::Params(expedicao_id, motivo));
}

std::vector<std::string> OpenExpedicoesWithLote(pg::Transaction& tx, const std::string& lote_id) {
  auto rows = tx.Exec(kOpenWithLot, pg::Params(lote_id));
  std::vector<std::string> out;
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows[i].String(0));
  return out;
}

}  // namespace pharmasys::estoque
