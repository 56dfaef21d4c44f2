// Deviations (API.md CQ; RULES.md B3): the request parsed, the act (app/desvios.hpp: opened by
// QC or production, closed with a signed review) called, the desvio answered; and reading.
#include <boost/json/array.hpp>

#include "../app/desvios.hpp"
#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::cq {
namespace {

http::Response DesvioResponse(int status, const Desvio& d) {
  auto res = http::Response::Json(status, d.ToJson());
  http::SetVersionTag(res, d.versao);
  return res;
}

std::optional<std::string> UuidFilter(const http::Request& request, const char* name) {
  auto value = request.Query(name);
  if (value && !json::IsUuid(*value)) throw ValidationError(std::vector<FieldError>{{name, "deve ser um UUID"}});
  return value;
}

}  // namespace

void AddDeviationRoutes(http::Router& router, CqContext& ctx) {
  router.Post("/v1/desvios",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"analista_cq", "gestor_producao"});
                                 json::Fields body(request.Json());
                                 PedidoDeDesvio pedido{
                                     .op_id = body.Uuid("op_id"),
                                     .lote_id = body.OptionalUuid("lote_id"),
                                     .classificacao = body.Enum("classificacao", {"menor", "maior", "critico"}),
                                     .descricao = body.String("descricao", {.min_length = 3, .max_length = 4000})};
                                 body.Finish();
                                 Desvio d = AbrirDesvio(tx, audit::Actor::From(request), pedido);
                                 auto res = DesvioResponse(201, d);
                                 res.headers.Set("Location", "/v1/desvios/" + d.id);
                                 return res;
                               })));

  router.Post("/v1/desvios/{id}/encerrar",
              http::Idempotent(
                  ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                    auth::RequireRole(request, {"analista_cq"});
                    Desvio d = CarregarDesvio(tx, std::string(request.PathParam("id")), true);
                    http::CheckIfMatch(request, d.versao);
                    json::Fields body(request.Json());
                    PedidoDeEncerramento pedido{
                        .conclusao = body.String("conclusao", {.min_length = 3, .max_length = 4000}),
                        .acao_corretiva = body.String("acao_corretiva", {.min_length = 3, .max_length = 4000})};
                    body.Finish();
                    auto assinar = [&](const std::string& registro, std::string_view significado) {
                      return auth::ConsumeSignature(tx, *ctx.verifier, request, registro, {significado});
                    };
                    return DesvioResponse(200, EncerrarDesvio(tx, audit::Actor::From(request), d, pedido, assinar));
                  })));

  router.Get("/v1/desvios", [&ctx](http::Request& request) {
    auto limit = http::ListLimit(request);
    auto status = request.Query("status");
    if (status && *status != "aberto" && *status != "encerrado") {
      throw ValidationError(std::vector<FieldError>{{"status", "deve ser aberto ou encerrado"}});
    }
    auto op_id = UuidFilter(request, "op_id");
    auto lote_id = UuidFilter(request, "lote_id");
    auto cursor = http::UuidCursor(request);
    auto order = http::ListOrder(request);
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto found = ListDesvios(tx, status, op_id, lote_id, cursor, order, limit + 1);
      return http::ListPage(
          found, limit, [&](const auto& x) { return x.ToJson(); }, [](const auto& x) { return x.id; });
    });
  });

  router.Get(
      "/v1/desvios/{id}", AtTheEdge([&ctx](http::Request& request) {
        const std::string id(request.PathParam("id"));
        return ctx.db.Transact([&](pg::Transaction& tx) { return DesvioResponse(200, CarregarDesvio(tx, id, false)); });
      }));
}

}  // namespace pharmasys::cq
