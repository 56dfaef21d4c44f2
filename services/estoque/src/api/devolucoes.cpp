// Returns (API.md Estoque; RULES.md B6): registered by the warehouse, evaluated by QC with a
// signature. The acts are app/devolucoes; here their requests and documents.
#include <boost/json/array.hpp>

#include "../app/devolucoes.hpp"
#include "context.hpp"
#include "pharmasys/auth/signature.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::estoque {
namespace {

boost::json::object DevolucaoJson(const Devolucao& d) {
  boost::json::value avaliacao = nullptr;
  if (d.avaliacao) {
    avaliacao = boost::json::object{{"decisao", d.status == "reintegrada" ? "reintegrar" : "descartar"},
                                    {"motivo", d.avaliacao->motivo},
                                    {"avaliado_por", d.avaliacao->avaliado_por},
                                    {"avaliado_em", d.avaliacao->avaliado_em},
                                    {"assinatura", json::Parse(d.avaliacao->assinatura)}};
  }
  return {{"id", d.id},
          {"codigo", d.codigo},
          {"expedicao_id", d.expedicao_id},
          {"lote_id", d.lote_id},
          {"lote_codigo", d.lote_codigo},
          {"quantidade", json::ToJson(d.quantidade)},
          {"motivo", d.motivo},
          {"status", d.status},
          {"criado_por", d.criado_por},
          {"criado_em", d.criado_em},
          {"avaliacao", avaliacao},
          {"versao", d.versao}};
}

http::Response DevolucaoResponse(int status, const Devolucao& d) {
  auto res = http::Response::Json(status, DevolucaoJson(d));
  http::SetVersionTag(res, d.versao);
  return res;
}

}  // namespace

void AddDevolucaoRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post("/v1/devolucoes", http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                                   auth::RequireRole(request, {"estoquista"});
                                                   json::Fields body(request.Json());
                                                   PedidoDevolucao pedido{.expedicao_id = body.Uuid("expedicao_id"),
                                                                          .lote_id = body.Uuid("lote_id"),
                                                                          .quantidade = body.Quantity("quantidade"),
                                                                          .motivo = body.Motivo()};
                                                   body.Finish();
                                                   auto created =
                                                       RegistrarDevolucao(tx, audit::Actor::From(request), pedido);
                                                   auto res = DevolucaoResponse(201, created);
                                                   res.headers.Set("Location", "/v1/devolucoes/" + created.id);
                                                   return res;
                                                 })));

  router.Post("/v1/devolucoes/{id}/avaliar",
              http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"analista_cq"});
                                 auto devolucao = CarregarDevolucao(tx, std::string(request.PathParam("id")), true);
                                 http::CheckIfMatch(request, devolucao.versao);
                                 json::Fields body(request.Json());
                                 PedidoAvaliacao pedido{.decisao = body.Enum("decisao", {"reintegrar", "descartar"}),
                                                        .motivo = body.Motivo()};
                                 body.Finish();
                                 auto assinar = [&](const std::string& registro, std::string_view significado) {
                                   return auth::ConsumeSignature(tx, *ctx.verifier, request, registro, {significado});
                                 };
                                 return DevolucaoResponse(200, AvaliarDevolucao(tx, audit::Actor::From(request),
                                                                                devolucao, pedido, assinar));
                               })));

  router.Get("/v1/devolucoes/{id}", AtTheEdge([&ctx](http::Request& request) {
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 return DevolucaoResponse(200, CarregarDevolucao(tx, std::string(request.PathParam("id"))));
               });
             }));

  router.Get(
      "/v1/devolucoes", AtTheEdge([&ctx](http::Request& request) {
        auto limit = http::ListLimit(request);
        auto status = request.Query("status");
        if (status && *status != "pendente" && *status != "reintegrada" && *status != "descartada") {
          throw ValidationError(std::vector<FieldError>{{"status", "deve ser pendente, reintegrada ou descartada"}});
        }
        auto order = http::ListOrder(request);
        auto cursor = http::UuidCursor(request);
        return ctx.db.Transact([&](pg::Transaction& tx) {
          return http::ListPage(ListDevolucoes(tx, status, cursor, order, limit + 1), limit, DevolucaoJson,
                                [](const Devolucao& d) { return d.id; });
        });
      }));
}

}  // namespace pharmasys::estoque
