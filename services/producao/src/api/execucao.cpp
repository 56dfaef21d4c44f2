// Executing an OP (API.md Produção; RULES.md B3, B8): the request parsed, the act
// (app/execucao.hpp, app/consumos.hpp) called on the OP of the path under its row lock, the
// record, consumption or lot answered.
#include "../app/execucao.hpp"
#include "../app/consumos.hpp"
#include "context.hpp"
#include "ordens.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::producao {
namespace {

// The {ordem} of the path, a step's number; 404 when it is not one.
int EtapaOf(const http::Request& request) {
  const std::string text(request.PathParam("ordem"));
  try {
    std::size_t used = 0;
    const int numero = std::stoi(text, &used);
    if (used != text.size()) throw std::invalid_argument("ordem");
    return numero;
  } catch (const std::exception&) {
    throw NotFound("Etapa " + text + " não existe.");
  }
}

// The record's body: every parameter a number with up to three decimals, an observacao, and a
// motivo (needed for a value out of limits, app/execucao.hpp). 422 for what does not parse.
PedidoDeRegistro RegistroOf(const http::Request& request, int etapa) {
  PedidoDeRegistro pedido{.etapa = etapa};
  json::Fields body(request.Json());
  const auto* raw = body.Raw("parametros");
  if (raw == nullptr || !raw->is_object()) {
    body.Fail("parametros", "deve ser um objeto {nome: valor}");
  } else {
    for (const auto& [nome, valor] : raw->as_object()) {
      auto number = json::DecimalFrom(valor);
      if (!number) {
        body.Fail("parametros." + std::string(nome), "deve ser um número com até 3 casas decimais");
      } else {
        pedido.valores[std::string(nome)] = *number;
      }
    }
  }
  pedido.observacao = body.OptionalString("observacao", {.min_length = 0, .max_length = 4000});
  pedido.motivo = body.OptionalMotivo();
  body.Finish();
  return pedido;
}

http::Response Created(boost::json::object body, const Ordem& ordem) {
  auto res = http::Response::Json(201, std::move(body));
  res.headers.Set("Location", "/v1/ordens-producao/" + ordem.id);
  return res;
}

}  // namespace

void AddExecutionRoutes(http::Router& router, ProducaoContext& ctx) {
  router.Post("/v1/ordens-producao/{id}/etapas/{ordem}/registros",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"gestor_producao"});
                                 Ordem ordem = LoadOrdem(tx, request, true);
                                 const int etapa = EtapaOf(request);
                                 const auto pedido = RegistroOf(request, etapa);
                                 auto registro = RegistrarEtapa(tx, audit::Actor::From(request), ordem, pedido);
                                 return Created(registro.ToJson(), ordem);
                               })));

  // RULES R5: the consumption is a recorded intent, completed after Estoque answers with no
  // transaction open (app/consumos.hpp).
  router.Post("/v1/ordens-producao/{id}/consumos",
              AtTheEdge([&ctx](http::Request& request) { return ConsumirInsumo(ctx, request); }));

  router.Post("/v1/ordens-producao/{id}/lotes",
              http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"gestor_producao"});
                                 Ordem ordem = LoadOrdem(tx, request, true);
                                 json::Fields body(request.Json());
                                 PedidoDeLote pedido{.quantidade = body.Quantity("quantidade")};
                                 const auto fabricacao = body.Date("data_fabricacao");
                                 body.Finish();
                                 pedido.data_fabricacao = json::FormatDate(fabricacao);
                                 auto lote = ProduzirLote(tx, audit::Actor::From(request), ordem, pedido, ctx.fuso);
                                 return Created(lote.ToJson(), ordem);
                               })));
}

}  // namespace pharmasys::producao
