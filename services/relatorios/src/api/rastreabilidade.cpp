// Traceability and recall impact (API.md Relatórios; RULES.md B5): from a lot code, what went
// into it and what came out of it, down to the customers, from the read models.
#include <boost/json/array.hpp>

#include <map>
#include <set>

#include "../storage/genealogia.hpp"
#include "context.hpp"
#include "pharmasys/csv.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::relatorios {
namespace {

LotInfo LoadLot(pg::Transaction& tx, const http::Request& request) {
  const std::string codigo(request.PathParam("lote_codigo"));
  auto lot = FindLotByCode(tx, codigo);
  if (!lot) throw NotFound("Lote " + codigo + " não encontrado nos relatórios.");
  return std::move(*lot);
}

std::vector<std::string> SelfAndDescendants(const std::string& self, const boost::json::array& descendants) {
  std::vector<std::string> ids{self};
  for (const auto& d : descendants) ids.emplace_back(d.at("lote_id").as_string());
  return ids;
}

std::string Text(const boost::json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return json::Serialize(v);
}

}  // namespace

void AddTraceRoutes(http::Router& router, RelatoriosContext& ctx) {
  router.Get("/v1/relatorios/rastreabilidade/{lote_codigo}", [&ctx](http::Request& request) {
    const std::string direcao = request.Query("direcao").value_or("ambos");
    if (direcao != "ambos" && direcao != "ascendente" && direcao != "descendente") {
      throw ValidationError(std::vector<FieldError>{{"direcao", "deve ser ambos, ascendente ou descendente"}});
    }
    return ctx.db.Transact(
        [&](pg::Transaction& tx) {
          LotInfo lot = LoadLot(tx, request);
          std::optional<std::string> op_id;
          if (lot.json.at("op_id").is_string()) op_id = std::string(lot.json.at("op_id").as_string());
          // Everything that needs only the lot in one round trip; then the shipments, which
          // need its descendants. The answer is written from the rows as they come (the
          // members of {lote, direcao, laudos, desvios, ascendente, descendente,
          // linha_do_tempo}, in that order), not built as a tree and then serialized.
          auto rows = TraceRowsOf(tx, lot.id, op_id, direcao != "descendente", direcao != "ascendente");
          std::string body = "{\"lote\":";
          json::AppendSerialized(body, lot.json);
          body += ",\"direcao\":";
          json::AppendString(body, direcao);
          body += ",\"laudos\":";
          AppendLaudos(body, rows.laudos);
          body += ",\"desvios\":";
          AppendDesvios(body, rows.desvios);
          body += ",\"ascendente\":";
          if (rows.ascendentes) {
            AppendAncestors(body, *rows.ascendentes);
          } else {
            body += "null";
          }
          body += ",\"descendente\":";
          if (rows.descendentes) {
            std::vector<std::string> ids{lot.id};  // SelfAndDescendants
            for (int i = 0; i < rows.descendentes->size(); ++i) ids.push_back((*rows.descendentes)[i].String(0));
            auto shipments = ShipmentRowsOf(tx, ids);
            body += "{\"lotes\":";
            AppendDescendants(body, *rows.descendentes);
            body += ",\"expedicoes\":";
            AppendShipments(body, shipments);
            body += ",\"clientes\":";
            AppendCustomers(body, shipments);
            body += '}';
          } else {
            body += "null";
          }
          body += ",\"linha_do_tempo\":";
          AppendTimeline(body, rows.linha_do_tempo);
          body += '}';
          http::Response response;
          response.status = 200;
          response.headers.Set("Content-Type", "application/json");  // as Response::Json
          response.body = std::move(body);
          return response;
        },
        pg::Isolation::RepeatableRead);  // one consistent snapshot for the whole answer
  });

  router.Get("/v1/relatorios/recolhimento/{lote_codigo}", [&ctx](http::Request& request) {
    return ctx.db.Transact(
        [&](pg::Transaction& tx) {
          LotInfo lot = LoadLot(tx, request);
          auto descendants = Descendants(tx, lot.id);
          boost::json::array afetados;
          afetados.push_back(boost::json::object{{"lote_id", lot.id},
                                                 {"lote_codigo", lot.json.at("codigo")},
                                                 {"material", lot.json.at("material")},
                                                 {"status", lot.json.at("status")},
                                                 {"nivel", 0}});
          for (const auto& d : descendants) {
            afetados.push_back(boost::json::object{{"lote_id", d.at("lote_id")},
                                                   {"lote_codigo", d.at("lote_codigo")},
                                                   {"material", d.at("material")},
                                                   {"status", d.at("status")},
                                                   {"nivel", d.at("nivel")}});
          }
          auto expedicoes = ShipmentsOf(tx, SelfAndDescendants(lot.id, descendants));
          auto clientes = CustomersOf(expedicoes);
          if (auto format = RequestedCsv(request)) {
            std::map<std::string, std::int64_t> nivel;
            for (const auto& a : afetados) nivel[std::string(a.at("lote_id").as_string())] = a.at("nivel").as_int64();
            std::string csv = CsvLine({"cliente_nome", "cliente_documento", "expedicao_id", "confirmada_em",
                                       "lote_codigo", "material", "quantidade", "nivel"},
                                      *format);
            for (const auto& e : expedicoes) {
              const auto& c = e.at("cliente");
              csv += CsvLine(
                  {Text(c.at("nome")), Text(c.at("documento")), Text(e.at("expedicao_id")), Text(e.at("confirmada_em")),
                   Text(e.at("lote_codigo")), Text(e.at("material")), CsvNumberOf(e.at("quantidade")),
                   CsvNumber(std::to_string(nivel[std::string(e.at("lote_id").as_string())]))},
                  *format);
            }
            return CsvResponse(std::move(csv), *format, "recolhimento-" + Text(lot.json.at("codigo")));
          }
          std::set<std::string> shipment_ids;
          for (const auto& e : expedicoes) shipment_ids.insert(Text(e.at("expedicao_id")));
          boost::json::object totais{
              {"lotes", afetados.size()}, {"expedicoes", shipment_ids.size()}, {"clientes", clientes.size()}};
          return http::Response::Json(200, boost::json::object{{"lote", lot.json},
                                                               {"lotes_afetados", std::move(afetados)},
                                                               {"expedicoes", std::move(expedicoes)},
                                                               {"clientes", std::move(clientes)},
                                                               {"totais", std::move(totais)}});
        },
        pg::Isolation::RepeatableRead);
  });
}

}  // namespace pharmasys::relatorios
