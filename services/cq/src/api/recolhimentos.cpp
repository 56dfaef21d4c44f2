// Recalls (API.md CQ; RULES.md B5): signed by an analyst for `lote:<id>` with the meaning
// `recolhimento`; the lot is blocked at once here and `lote.recolhido` blocks it in Estoque.
#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/events/event.hpp"

namespace pharmasys::cq {

void AddRecallRoutes(http::Router& router, CqContext& ctx) {
  router.Post(
      "/v1/recolhimentos", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
        auth::RequireRole(request, {"analista_cq"});
        json::Fields body(request.Json());
        auto lote_id = body.Uuid("lote_id");
        auto motivo = body.Motivo();
        body.Finish();
        auto lot = FindLot(tx, lote_id, true);
        if (!lot) throw ValidationError(std::vector<FieldError>{{"lote_id", "lote desconhecido no CQ"}});
        auto assinatura = auth::ConsumeSignature(tx, *ctx.verifier, request, "lote:" + lot->id, {"recolhimento"});
        const auto transicao = Apply(lot->status, domain::LoteFato::Recolhimento);
        if (!transicao.mudou) throw Conflict("O lote " + lot->codigo + " já foi recolhido.");
        const auto actor = audit::Actor::From(request);
        Recall recall{
            .id = ids::NewUuidV7(),
            .lote_id = lot->id,
            .lote_codigo = lot->codigo,
            .motivo = motivo,
            .criado_por = actor.username,
            .assinatura = {{"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}}};
        InsertRecall(tx, recall);
        SetLotStatus(tx, lot->id, transicao.status);
        audit::Audit(tx, actor,
                     {.acao = "lote.recolhido",
                      .entidade = "lote",
                      .entidade_id = lot->id,
                      .antes = {{"status", ToString(lot->status)}},
                      .depois = {{"status", ToString(transicao.status)}, {"recolhimento_id", recall.id}},
                      .motivo = motivo,
                      .assinatura = assinatura});
        events::Publish(tx, events::NewEvent("cq", events::LoteRecolhido{lot->id, lot->codigo, motivo},
                                             {request.principal.sub, request.principal.username}));
        auto res = http::Response::Json(201, FindRecall(tx, recall.id)->ToJson());
        res.headers.Set("Location", "/v1/recolhimentos/" + recall.id);
        return res;
      }));

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
