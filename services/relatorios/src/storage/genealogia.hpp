#pragma once
// The genealogy as the reports read it: a lot, what went into it (recursively), what was made
// from it (recursively) and who received any of that. Recursive CTEs over two indexed edges —
// consumos (insumo lot → OP) and lotes.op_id (OP → produced lot) — so a trace touches only the
// lots on its paths, whatever the size of the plant.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>

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
// (Every `sp` is where the arrays and objects returned are allocated.)
boost::json::array ShipmentsOf(pg::Transaction& tx, const std::vector<std::string>& lote_ids,
                               const boost::json::storage_ptr& sp = {});
// The distinct customers of those shipments.
boost::json::array CustomersOf(const boost::json::array& shipments, const boost::json::storage_ptr& sp = {});

boost::json::array LaudosOf(pg::Transaction& tx, const std::string& lote_id);
// Deviations on the lot or on the OP that made it.
boost::json::array DesviosOf(pg::Transaction& tx, const std::string& lote_id, const std::optional<std::string>& op_id);
boost::json::array TimelineOf(pg::Transaction& tx, const std::string& lote_id);

// What a trace shows of a lot besides its shipments, read in one round trip (the statements of
// LaudosOf, DesviosOf, Ancestors, Descendants and TimelineOf, pipelined in that order).
struct LotRecord {
  boost::json::array laudos, desvios, linha_do_tempo;
  std::optional<boost::json::array> ascendentes, descendentes;  // when asked for
};
LotRecord RecordOf(pg::Transaction& tx, const std::string& lote_id, const std::optional<std::string>& op_id,
                   bool ancestors, bool descendants, const boost::json::storage_ptr& sp = {});

}  // namespace pharmasys::relatorios
