#pragma once
// The genealogy as the reports read it: a lot, what went into it (recursively), what was made
// from it (recursively) and who received any of that. Recursive CTEs over two indexed edges —
// consumos (insumo lot → OP) and lotes.op_id (OP → produced lot) — so a trace touches only the
// lots on its paths, whatever the size of the plant.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

struct LotInfo {
  std::string id;
  boost::json::object json;
};
std::optional<LotInfo> FindLotByCode(pg::Transaction& tx, const std::string& codigo);

// Insumo lots that went into the lot, recursively: [{lote_id, lote_codigo, material, quantidade, op_id, op_codigo,
// nivel}].
boost::json::array Ancestors(pg::Transaction& tx, const std::string& lote_id);
// Lots made from it, recursively: [{lote_id, lote_codigo, material, status, op_id, op_codigo, nivel}].
boost::json::array Descendants(pg::Transaction& tx, const std::string& lote_id);
// Confirmed shipments of any of these lots: [{expedicao_id, confirmada_em, cliente, lote_id, lote_codigo, material,
// quantidade}].
boost::json::array ShipmentsOf(pg::Transaction& tx, const std::vector<std::string>& lote_ids);
// The distinct customers of those shipments.
boost::json::array CustomersOf(const boost::json::array& shipments);

boost::json::array LaudosOf(pg::Transaction& tx, const std::string& lote_id);
// Deviations on the lot or on the OP that made it.
boost::json::array DesviosOf(pg::Transaction& tx, const std::string& lote_id, const std::optional<std::string>& op_id);
boost::json::array TimelineOf(pg::Transaction& tx, const std::string& lote_id);

// A full trace written straight from its rows (hundreds of them for a lot made into many),
// without building the answer's tree first. The statements of LaudosOf, DesviosOf, Ancestors,
// Descendants and TimelineOf, pipelined in one round trip after the lot, and of ShipmentsOf:
struct TraceRows {
  pg::Result laudos, desvios, linha_do_tempo;
  std::optional<pg::Result> ascendentes, descendentes;  // when asked for
};
TraceRows TraceRowsOf(pg::Transaction& tx, const std::string& lote_id, const std::optional<std::string>& op_id,
                      bool ancestors, bool descendants);
pg::Result ShipmentRowsOf(pg::Transaction& tx, const std::vector<std::string>& lote_ids);
// Each appends to `out` the JSON text, byte for byte, of json::Serialize of what the function
// of the same name above returns for those rows (AppendCustomers: CustomersOf of the shipments).
void AppendAncestors(std::string& out, const pg::Result& rows);
void AppendDescendants(std::string& out, const pg::Result& rows);
void AppendShipments(std::string& out, const pg::Result& rows);
void AppendCustomers(std::string& out, const pg::Result& shipment_rows);
void AppendLaudos(std::string& out, const pg::Result& rows);
void AppendDesvios(std::string& out, const pg::Result& rows);
void AppendTimeline(std::string& out, const pg::Result& rows);

}  // namespace pharmasys::relatorios
