// Deviations (API.md CQ; RULES.md B3): opened by QC or production (publishes `desvio.aberto`,
// which blocks the OP in Produção), closed with a signed review (publishes `desvio.encerrado`).
#include <boost/json/array.hpp>

#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/list_page.hpp"

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

events::DesvioEncerrado Encerrado(const Desvio& d) {
  return {.desvio_id = d.id, .op_id = d.op_id, .lote_id = d.lote_id};
}

}  // namespace

void AddDeviationRoutes(http::Router& router, CqContext& ctx) {
  router.Post(
      "/v1/desvios", http::Idempotent(ctx.db, [](http::Request& request, pg::Transaction& tx) {
        auth::RequireRole(request, {"analista_cq", "gestor_producao"});
        json::Fields body(request.Json());
        auto op_id = body.Uuid("op_id");
        auto lote_id = body.OptionalUuid("lote_id");
        auto classificacao = body.Enum("classificacao", {"menor", "maior", "critico"});
        auto descricao = body.String("descricao", {.min_length = 3, .max_length = 4000});
        body.Finish();
        // The lock a laudo of an affected lot takes before counting open desvios (RULES B3):
        // while one is being approved, this desvio waits for it to commit.
        LockDesvioScope(tx, op_id, lote_id);
        const auto actor = audit::Actor::From(request);
        Desvio d = InsertDesvio(tx, op_id, lote_id, classificacao, descricao, actor.username);
        boost::json::object depois = d.ToJson();
        for (const char* k :
             {"versao", "aberto_em", "conclusao", "acao_corretiva", "encerrado_por", "encerrado_em", "assinatura"}) {
          depois.erase(k);
        }
        audit::Audit(tx, actor, {.acao = "desvio.aberto", .entidade = "desvio", .entidade_id = d.id, .depois = depois});
        events::Publish(tx, events::NewEvent("cq",
                                             events::DesvioAberto{.desvio_id = d.id,
                                                                  .op_id = d.op_id,
                                                                  .lote_id = d.lote_id,
                                                                  .classificacao = classificacao,
                                                                  .descricao = descricao},
                                             {request.principal.sub, request.principal.username}));
        auto res = DesvioResponse(201, d);
        res.headers.Set("Location", "/v1/desvios/" + d.id);
        return res;
      }));

  router.Post(
      "/v1/desvios/{id}/encerrar", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
        auth::RequireRole(request, {"analista_cq"});
        const std::string id(request.PathParam("id"));
        auto d = FindDesvio(tx, id, true);
        if (!d) throw NotFound("Desvio " + id + " não encontrado.");
        http::CheckIfMatch(request, d->versao);
        json::Fields body(request.Json());
        auto conclusao = body.String("conclusao", {.min_length = 3, .max_length = 4000});
        auto acao = body.String("acao_corretiva", {.min_length = 3, .max_length = 4000});
        body.Finish();
        auto assinatura = auth::ConsumeSignature(tx, *ctx.verifier, request, "desvio:" + d->id, {"revisao"});
        if (d->status != "aberto") throw Conflict("O desvio " + d->codigo + " já está encerrado.");
        const auto actor = audit::Actor::From(request);
        CloseDesvio(tx, d->id, conclusao, acao, actor.username,
                    {{"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}});
        audit::Audit(tx, actor,
                     {.acao = "desvio.encerrado",
                      .entidade = "desvio",
                      .entidade_id = d->id,
                      .antes = {{"status", "aberto"}},
                      .depois = {{"status", "encerrado"}, {"conclusao", conclusao}, {"acao_corretiva", acao}},
                      .assinatura = assinatura});
        events::Publish(tx, events::NewEvent("cq", Encerrado(*d), {request.principal.sub, request.principal.username}));
        return DesvioResponse(200, *FindDesvio(tx, d->id));
      }));

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

  router.Get("/v1/desvios/{id}", [&ctx](http::Request& request) {
    const std::string id(request.PathParam("id"));
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto d = FindDesvio(tx, id);
      if (!d) throw NotFound("Desvio " + id + " não encontrado.");
      return DesvioResponse(200, *d);
    });
  });
}

}  // namespace pharmasys::cq
