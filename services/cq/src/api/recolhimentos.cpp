// Recalls (API.md CQ; RULES.md B5): the request parsed, the act (app/recolhimentos.hpp) called
// with the caller's signature token, the recall answered; and reading.
#include "../app/recolhimentos.hpp"
#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "problema.hpp"

namespace pharmasys::cq {

void AddRecallRoutes(http::Router& router, CqContext& ctx) {
  router.Post("/v1/recolhimentos",
              http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"analista_cq"});
                                 json::Fields body(request.Json());
                                 PedidoDeRecolhimento pedido{.lote_id = body.Uuid("lote_id"), .motivo = body.Motivo()};
                                 body.Finish();
                                 auto assinar = [&](const std::string& registro, std::string_view significado) {
                                   return auth::ConsumeSignature(tx, *ctx.verifier, request, registro, {significado});
                                 };
                                 Recall recall = RecolherLote(tx, audit::Actor::From(request), pedido, assinar);
                                 auto res = http::Response::Json(201, recall.ToJson());
                                 res.headers.Set("Location", "/v1/recolhimentos/" + recall.id);
                                 return res;
                               })));

  router.Get("/v1/recolhimentos/{id}", [&ctx](http::Request& request) {
    const std::string id(request.PathParam("id"));
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto recall = FindRecall(tx, id);
      if (!recall) throw NotFound("Recolhimento " + id + " não encontrado.");
      return http::Response::Json(200, recall->ToJson());
    });
  });
}

}  // namespace pharmasys::cq
