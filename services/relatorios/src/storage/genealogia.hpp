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

// Lots made from it, recursively: [{lote_id, lote_codigo, material, status, op_id, op_codigo, nivel}].
boost::json::array Descendants(pg::Transaction& tx, const std::string& lote_id);
// Confirmed shipments of any of these lots: [{expedicao_id, confirmada_em, cliente, lote_id, lote_codigo, material,
// quantidade}].
boost::json::array ShipmentsOf(pg::Transaction& tx, const std::vector<std::string>& lote_ids);
// The distinct customers of those shipments.
boost::json::array CustomersOf(const boost::json::array& shipments);

boost::json::array LaudosOf(pg::Transaction& tx, const std::string& lote_id);

// A full trace, written straight from its rows (hundreds of them for a lot made into many)
// without building the answer's tree first: the lot (as FindLotByCode), its laudos (as
// LaudosOf), the deviations on it or on the OP that made it, its timeline and, when asked for,
// the insumo lots that went into it recursively, the lots made from it (as Descendants) and the
// shipments of it and of them (as ShipmentsOf). Each statement takes the lot by its code, and
// all of them go in one READ ONLY, REPEATABLE READ transaction sent in one round trip. No value
// when no lot has that code.
struct Trace {
  LotInfo lote;
  pg::Result laudos, desvios, linha_do_tempo;
  std::optional<pg::Result> ascendentes, descendentes, expedicoes;  // when asked for
};
std::optional<Trace> TraceOf(pg::Pool& db, const std::string& codigo, bool ancestors, bool descendants);
// Each appends to `out` the JSON array of the rows: AppendDescendants, AppendShipments and
// AppendLaudos byte for byte what json::Serialize writes of Descendants, ShipmentsOf and
// LaudosOf; AppendCustomers CustomersOf of the shipments; AppendAncestors [{lote_id,
// lote_codigo, material, quantidade, op_id, op_codigo, nivel}]; AppendDesvios [{desvio_id,
// op_id, lote_id, classificacao, descricao, status, aberto_em, encerrado_em}];
// AppendTimeline [{ocorrido_em, tipo, usuario, resumo}].
void AppendAncestors(std::string& out, const pg::Result& rows);
void AppendDescendants(std::string& out, const pg::Result& rows);
void AppendShipments(std::string& out, const pg::Result& rows);
void AppendCustomers(std::string& out, const pg::Result& shipment_rows);
void AppendLaudos(std::string& out, const pg::Result& rows);
void AppendDesvios(std::string& out, const pg::Result& rows);
void AppendTimeline(std::string& out, const pg::Result& rows);

}  // namespace pharmasys::relatorios
