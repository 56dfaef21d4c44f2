// Shipments (API.md Estoque; RULES.md B2, B4): reserve, confirm, cancel and read them. The
// acts are app/expedicoes; here their requests and documents.
#include <boost/json/array.hpp>

#include "../app/expedicoes.hpp"
#include "context.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::estoque {
namespace {

boost::json::object ExpedicaoJson(const Expedicao& shipment) {
  boost::json::array items;
  for (const auto& item : shipment.itens) {
    boost::json::array reserved;
    for (const auto& l : shipment.lotes) {
      if (l.item != item.item) continue;
      reserved.push_back(boost::json::object{{"lote_id", l.lote_id},
                                             {"lote_codigo", l.lote_codigo},
                                             {"validade", l.validade},
                                             {"quantidade", json::ToJson(l.quantidade)},
                                             {"devolvida", json::ToJson(l.devolvida)}});
    }
    items.push_back(boost::json::object{{"item", item.item},
                                        {"material", item.material},
                                        {"quantidade", json::ToJson(item.quantidade)},
                                        {"lote_id", json::ToJson(item.lote_escolhido)},
                                        {"excecao_fefo_motivo", json::ToJson(item.excecao_fefo_motivo)},
                                        {"lotes", std::move(reserved)}});
  }
  return {{"id", shipment.id},
          {"codigo", shipment.codigo},
          {"cliente", boost::json::object{{"nome", shipment.cliente_nome}, {"documento", shipment.cliente_documento}}},
          {"status", shipment.status},
          {"itens", std::move(items)},
          {"motivo_cancelamento", json::ToJson(shipment.motivo_cancelamento)},
          {"criado_por", shipment.criado_por},
          {"criado_em", shipment.criado_em},
          {"confirmada_em", json::ToJson(shipment.confirmada_em)},
          {"cancelada_em", json::ToJson(shipment.cancelada_em)},
          {"versao", shipment.versao}};
}

http::Response ExpedicaoResponse(int status, const Expedicao& shipment) {
  auto res = http::Response::Json(status, ExpedicaoJson(shipment));
  http::SetVersionTag(res, shipment.versao);
  return res;
}

// The shipment of the path, for a change under the request's If-Match.
Expedicao Reservada(pg::Transaction& tx, const http::Request& request) {
  return ExpedicaoReservada(tx, std::string(request.PathParam("id")),
                            [&](std::int64_t versao) { http::CheckIfMatch(request, versao); });
}

}  // namespace

void AddExpedicaoRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post("/v1/expedicoes",
              http::Idempotent(
                  ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                    auth::RequireRole(request, {"estoquista"});
                    json::Fields body(request.Json());
                    auto cliente = body.Object("cliente");
                    PedidoExpedicao pedido{.cliente_nome = cliente.String("nome", {.max_length = 200}),
                                           .cliente_documento = cliente.String("documento", {.max_length = 40}),
                                           .itens = {}};
                    for (auto& item : body.Items("itens", 1, 100)) {
                      auto codigo = item.String("material", {.max_length = 64});
                      PedidoItem r{.material = {},
                                   .quantidade = item.Quantity("quantidade"),
                                   .lote_id = item.OptionalUuid("lote_id"),
                                   .motivo = item.OptionalMotivo()};
                      auto material = codigo.empty() ? std::nullopt : FindMaterial(tx, codigo);
                      if (!codigo.empty() && !material) item.Fail("material", "material desconhecido");
                      if (material) r.material = std::move(*material);
                      pedido.itens.push_back(std::move(r));
                    }
                    body.Finish();
                    auto shipment = ReservarExpedicao(tx, audit::Actor::From(request), pedido, Today(tx, ctx.fuso));
                    auto res = ExpedicaoResponse(201, shipment);
                    res.headers.Set("Location", "/v1/expedicoes/" + shipment.id);
                    return res;
                  })));

  router.Post("/v1/expedicoes/{id}/confirmar",
              http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"estoquista"});
                                 Expedicao shipment = Reservada(tx, request);
                                 return ExpedicaoResponse(200, ConfirmarExpedicao(tx, audit::Actor::From(request),
                                                                                  shipment, Today(tx, ctx.fuso)));
                               })));

  router.Post("/v1/expedicoes/{id}/cancelar",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"estoquista"});
                                 Expedicao shipment = Reservada(tx, request);
                                 json::Fields body(request.Json());
                                 auto motivo = body.Motivo();
                                 body.Finish();
                                 CancelarExpedicao(tx, audit::Actor::From(request), shipment, motivo);
                                 return ExpedicaoResponse(200, LoadExpedicao(tx, shipment.id));
                               })));

  router.Get("/v1/expedicoes/{id}", AtTheEdge([&ctx](http::Request& request) {
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 return ExpedicaoResponse(200, LoadExpedicao(tx, std::string(request.PathParam("id"))));
               });
             }));

  router.Get(
      "/v1/expedicoes", AtTheEdge([&ctx](http::Request& request) {
        auto limit = http::ListLimit(request);
        auto status = request.Query("status");
        if (status && *status != "reservada" && *status != "confirmada" && *status != "cancelada") {
          throw ValidationError(std::vector<FieldError>{{"status", "deve ser reservada, confirmada ou cancelada"}});
        }
        auto cursor = http::UuidCursor(request);
        auto order = http::ListOrder(request);
        return ctx.db.Transact([&](pg::Transaction& tx) {
          auto shipments = ListExpedicoes(tx, request.Query("cliente"), status, cursor, order, limit + 1);
          return http::ListPage(shipments, limit, ExpedicaoJson, [](const auto& x) { return x.id; });
        });
      }));
}

}  // namespace pharmasys::estoque
