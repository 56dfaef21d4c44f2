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

NotFound LotNotFound(const std::string& codigo) {
  return NotFound("Lote " + codigo + " não encontrado nos relatórios.");
}

LotInfo LoadLot(pg::Transaction& tx, const http::Request& request) {
  const std::string codigo(request.PathParam("lote_codigo"));
  auto lot = FindLotByCode(tx, codigo);
  if (!lot) throw LotNotFound(codigo);
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

// The members of {lote, direcao, laudos, desvios, ascendente, descendente, linha_do_tempo}, in
// that order, written from the rows as they come.
std::string TraceBody(const Trace& trace, const std::string& direcao) {
  std::string body = "{\"lote\":";
  json::AppendSerialized(body, trace.lote.json);
  body += ",\"direcao\":";
  json::AppendString(body, direcao);
  body += ",\"laudos\":";
  AppendLaudos(body, trace.laudos);
  body += ",\"desvios\":";
  AppendDesvios(body, trace.desvios);
  body += ",\"ascendente\":";
  if (trace.ascendentes) {
    AppendAncestors(body, *trace.ascendentes);
  } else {
    body += "null";
  }
  body += ",\"descendente\":";
  if (trace.descendentes) {
    body += "{\"lotes\":";
    AppendDescendants(body, *trace.descendentes);
    body += ",\"expedicoes\":";
    AppendShipments(body, *trace.expedicoes);
    body += ",\"clientes\":";
    AppendCustomers(body, *trace.expedicoes);
    body += '}';
  } else {
    body += "null";
  }
  body += ",\"linha_do_tempo\":";
  AppendTimeline(body, trace.linha_do_tempo);
  body += '}';
  return body;
}

}  // namespace

void AddTraceRoutes(http::Router& router, RelatoriosContext& ctx) {
  router.Get("/v1/relatorios/rastreabilidade/{lote_codigo}", [&ctx](http::Request& request) {
    const std::string direcao = request.Query("direcao").value_or("ambos");
    if (direcao != "ambos" && direcao != "ascendente" && direcao != "descendente") {
      throw ValidationError(std::vector<FieldError>{{"direcao", "deve ser ambos, ascendente ou descendente"}});
    }
    const std::string codigo(request.PathParam("lote_codigo"));
    auto trace = TraceOf(ctx.db, codigo, direcao != "descendente", direcao != "ascendente");
    if (!trace) throw LotNotFound(codigo);
    http::Response response;
    response.status = 200;
    response.headers.Set("Content-Type", "application/json");  // as Response::Json
    response.body = TraceBody(*trace, direcao);
    return response;
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
