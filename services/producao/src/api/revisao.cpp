// Review by exception of a batch record (API.md Produção; RULES.md G1): its exceptions, and the
// signed review (app/revisao.hpp).
#include <boost/json/array.hpp>

#include "../app/revisao.hpp"
#include "context.hpp"
#include "ordens.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/domain/excecoes_json.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::producao {
void AddReviewRoutes(http::Router& router, ProducaoContext& ctx) {
  router.Get("/v1/ordens-producao/{id}/excecoes", AtTheEdge([&ctx](http::Request& request) {
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 const auto ordem = LoadOrdem(tx, request, false);
                 boost::json::array items;
                 for (const auto& e : ExcecoesDaOrdem(tx, ordem)) items.push_back(domain::ExcecaoJson(e));
                 return http::Response::Json(200, boost::json::object{{"items", std::move(items)}});
               });
             }));

  router.Post(
      "/v1/ordens-producao/{id}/revisao",
      http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                         auth::RequireRole(request, {"analista_cq"});
                         Ordem ordem = LoadOrdem(tx, request, true);
                         json::Fields body(request.Json());
                         PedidoDeRevisao pedido{
                             .observacao = body.OptionalString("observacao", {.min_length = 0, .max_length = 4000})};
                         body.Finish();
                         const Assinar assinar = [&](const std::string& registro, std::string_view significado) {
                           return auth::ConsumeSignature(tx, *ctx.verifier, request, registro, {significado});
                         };
                         RevisarRegistro(tx, audit::Actor::From(request),
                                         {request.principal.sub, request.principal.username}, ordem, pedido, assinar);
                         return OrdemResponse(tx, 200, ordem.id);
                       })));
}

}  // namespace pharmasys::producao
