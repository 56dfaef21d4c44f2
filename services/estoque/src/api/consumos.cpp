// Consumption into a production order (API.md Estoque): Produção's service client, and only
// it, asks for a quantity of a material and gets a FEFO allocation, all or nothing. People
// consume through the OP (POST /v1/ordens-producao/{id}/consumos), which enforces B3 and
// records the genealogy; a user token of any role is refused here. Produção derives the
// Idempotency-Key from its own consumption record, so a retry after a timeout returns the
// first allocation instead of consuming again.
#include <boost/json/array.hpp>

#include "../app/consumos.hpp"
#include "../storage/lotes.hpp"
#include "context.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::estoque {
namespace {

// The same document for the 201 of the act and for GET /v1/estoque/consumos/{id}.
boost::json::object ConsumoJson(const Consumo& c) {
  boost::json::array lotes;
  for (const auto& l : c.lotes) {
    lotes.push_back(boost::json::object{{"lote_id", l.lote_id},
                                        {"lote_codigo", l.lote_codigo},
                                        {"validade", l.validade},
                                        {"quantidade", json::ToJson(l.quantidade)}});
  }
  return {{"id", c.id},
          {"op_id", c.op_id},
          {"material", c.material},
          {"quantidade", json::ToJson(c.quantidade)},
          {"lotes", std::move(lotes)},
          {"criado_por", c.criado_por},
          {"criado_em", c.criado_em}};
}

}  // namespace

void AddConsumoRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post("/v1/estoque/consumos",
              http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireServiceClient(request, "producao");
                                 json::Fields body(request.Json());
                                 PedidoConsumo pedido{.op_id = body.Uuid("op_id"),
                                                      .material = body.String("material", {.max_length = 64}),
                                                      .quantidade = body.Quantity("quantidade")};
                                 body.Finish();
                                 auto consumo = Consumir(tx, audit::Actor::From(request), pedido, Now(tx, ctx.fuso));
                                 auto res = http::Response::Json(201, ConsumoJson(consumo));
                                 res.headers.Set("Location", "/v1/estoque/consumos/" + consumo.id);
                                 return res;
                               })));

  router.Get("/v1/estoque/consumos/{id}", AtTheEdge([&ctx](http::Request& request) {
               const std::string id(request.PathParam("id"));
               return ctx.db.Transact(
                   [&](pg::Transaction& tx) { return http::Response::Json(200, ConsumoJson(LoadConsumo(tx, id))); });
             }));
}

}  // namespace pharmasys::estoque
