#include "consumos.hpp"

namespace pharmasys::estoque {
namespace {

constexpr pg::Query kInsert{"consumo_insert",
                            "INSERT INTO consumos (id, op_id, material, quantidade, criado_por)"
                            " VALUES ($1::uuid, $2::uuid, $3, $4::numeric, $5)"};
constexpr pg::Query kInsertLot{"consumo_lote_insert",
                               "INSERT INTO consumo_lotes (consumo_id, ordem, lote_id, quantidade)"
                               " VALUES ($1::uuid, $2, $3::uuid, $4::numeric)"};
constexpr pg::Query kById{"consumo_by_id", "SELECT id, op_id, material, quantidade, criado_por, " PHARMASYS_PG_INSTANT(
                                               "criado_em") " FROM consumos WHERE id = $1::uuid"};
constexpr pg::Query kLots{"consumo_lotes",
                          "SELECT c.lote_id, l.codigo, l.validade::text, c.quantidade FROM consumo_lotes c"
                          " JOIN lotes l ON l.id = c.lote_id WHERE c.consumo_id = $1::uuid ORDER BY c.ordem"};

}  // namespace

void InsertConsumo(pg::Transaction& tx, const std::string& id, const std::string& op_id, const std::string& material,
                   Decimal quantidade, const std::string& criado_por) {
  tx.Defer(kInsert, pg::Params(id, op_id, material, quantidade, criado_por));
}

void InsertConsumoLote(pg::Transaction& tx, const std::string& consumo_id, int ordem, const std::string& lote_id,
                       Decimal quantidade) {
  tx.Defer(kInsertLot, pg::Params(consumo_id, ordem, lote_id, quantidade));
}

std::optional<Consumo> FindConsumo(pg::Transaction& tx, const std::string& id) {
  auto rows = tx.Exec(kById, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  auto r = rows.Single();
  Consumo c{.id = r.String(0),
            .op_id = r.String(1),
            .material = r.String(2),
            .quantidade = r.Numeric(3),
            .criado_por = r.String(4),
            .criado_em = r.String(5)};
  auto parts = tx.Exec(kLots, pg::Params(id));
  for (int i = 0; i < parts.size(); ++i) {
    c.lotes.push_back({parts[i].String(0), parts[i].String(1), parts[i].String(2), parts[i].Numeric(3)});
  }
  return c;
}

}  // namespace pharmasys::estoque
