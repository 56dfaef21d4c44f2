// Shipments (API.md Estoque; RULES.md B2, B4): reservation by FEFO (or an explicitly chosen
// lot), confirmation that re-checks every rule and takes the stock out, cancellation.
#include <boost/json/array.hpp>

#include "../domain/lote.hpp"
#include "../storage/expedicoes.hpp"
#include "../storage/lotes.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/list_page.hpp"
#include "problema.hpp"

namespace pharmasys::estoque {
namespace {

struct PedidoItem {
  std::string material;
  Decimal quantidade;
  std::optional<std::string> lote_id;
  std::optional<std::string> motivo;  // required when the chosen lot breaks FEFO
};

void CheckExpedivel(const Lote& lot, Day hoje, int vida_util_minima_dias) {
  auto why = WhyNotShippable({lot.status, lot.laudo_decisao == "aprovado", lot.validade}, hoje, vida_util_minima_dias);
  if (why) ThrowNotReleased("Lote " + lot.codigo + ": " + *why + ".");
}

// Reserves one item; returns the reserved parts for the audit record.
boost::json::array ReserveItem(pg::Transaction& tx, const audit::Actor& actor, const std::string& expedicao_id,
                               std::int64_t item, const PedidoItem& request, const Material& material, Day hoje) {
  const int minimo = static_cast<int>(material.vida_util_minima_expedicao_dias);
  std::vector<FefoPart> parts;
  std::optional<std::string> excecao;
  if (request.lote_id) {
    auto lot = FindLote(tx, *request.lote_id, true);
    if (!lot || lot->material != material.codigo) {
      throw ValidationError(std::vector<FieldError>{
          {"itens[" + std::to_string(item - 1) + "].lote_id", "não é um lote do material " + material.codigo}});
    }
    CheckExpedivel(*lot, hoje, minimo);
    const FefoRequest fefo{.quantidade = request.quantidade, .hoje = hoje, .vida_util_minima_dias = minimo};
    auto head = LockCandidates(tx, material.codigo, hoje + std::chrono::days(minimo), 1);
    if (BreaksFefo(head, lot->validade, fefo)) {
      if (!request.motivo) {
        throw ValidationError(
            std::vector<FieldError>{{"itens[" + std::to_string(item - 1) + "].motivo",
                                     "o lote " + lot->codigo + " vence depois do lote " + head.front().codigo +
                                         " (FEFO); escolhê-lo exige um motivo"}});
      }
      excecao = request.motivo;
    }
    if (lot->Disponivel(hoje) < request.quantidade) {
      ThrowInsufficient(lot->codigo, request.quantidade, lot->Disponivel(hoje));
    }
    parts.push_back({lot->id, lot->codigo, lot->validade, request.quantidade});
  } else {
    parts = AllocateLocked(tx, material.codigo,
                           {.quantidade = request.quantidade, .hoje = hoje, .vida_util_minima_dias = minimo})
                .partes;
  }
  InsertExpedicaoItem(tx, expedicao_id, {item, material.codigo, request.quantidade, request.lote_id, excecao});
  boost::json::array reserved;
  for (const auto& part : parts) {
    Move(tx, actor,
         {.lote_id = part.lote_id,
          .tipo = "reserva",
          .reservada = part.quantidade,
          .documento_tipo = "expedicao",
          .documento_id = expedicao_id});
    InsertExpedicaoLote(tx, expedicao_id, item, part.lote_id, part.quantidade);
    reserved.push_back(boost::json::object{
        {"lote_id", part.lote_id}, {"lote_codigo", part.codigo}, {"quantidade", json::ToJson(part.quantidade)}});
  }
  if (excecao) {
    audit::Audit(tx, actor,
                 {.acao = "expedicao.excecao_fefo",
                  .entidade = "expedicao",
                  .entidade_id = expedicao_id,
                  .depois = {{"item", item}, {"lote_id", *request.lote_id}},
                  .motivo = excecao});
  }
  return reserved;
}

http::Response ExpedicaoResponse(int status, const Expedicao& shipment) {
  auto res = http::Response::Json(status, shipment.ToJson());
  http::SetVersionTag(res, shipment.versao);
  return res;
}

Expedicao LoadForChange(pg::Transaction& tx, const http::Request& request) {
  Expedicao shipment = LoadExpedicao(tx, std::string(request.PathParam("id")), true);
  http::CheckIfMatch(request, shipment.versao);
  if (shipment.status != "reservada") {
    throw Conflict("A expedição " + shipment.codigo + " está " + shipment.status + ".");
  }
  return shipment;
}

}  // namespace

void AddExpedicaoRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post("/v1/expedicoes",
              http::Idempotent(
                  ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                    auth::RequireRole(request, {"estoquista"});
                    json::Fields body(request.Json());
                    auto cliente = body.Object("cliente");
                    auto nome = cliente.String("nome", {.max_length = 200});
                    auto documento = cliente.String("documento", {.max_length = 40});
                    std::vector<PedidoItem> itens;
                    std::vector<Material> materials;
                    for (auto& item : body.Items("itens", 1, 100)) {
                      PedidoItem r{.material = item.String("material", {.max_length = 64}),
                                   .quantidade = item.Quantity("quantidade"),
                                   .lote_id = item.OptionalUuid("lote_id"),
                                   .motivo = item.OptionalMotivo()};
                      auto material = r.material.empty() ? std::nullopt : FindMaterial(tx, r.material);
                      if (!r.material.empty() && !material) item.Fail("material", "material desconhecido");
                      if (material) materials.push_back(*material);
                      itens.push_back(std::move(r));
                    }
                    body.Finish();

                    const Day hoje = Today(tx, ctx.fuso);
                    const auto actor = audit::Actor::From(request);
                    const std::string id = ids::NewUuidV7();
                    InsertExpedicao(tx, {id, nome, documento, actor.username});
                    boost::json::array reserved;
                    for (std::size_t i = 0; i < itens.size(); ++i) {
                      reserved.push_back(
                          boost::json::object{{"material", itens[i].material},
                                              {"quantidade", json::ToJson(itens[i].quantidade)},
                                              {"lotes", ReserveItem(tx, actor, id, static_cast<std::int64_t>(i + 1),
                                                                    itens[i], materials[i], hoje)}});
                    }
                    Expedicao shipment = LoadExpedicao(tx, id);
                    audit::Audit(tx, actor,
                                 {.acao = "expedicao.reservada",
                                  .entidade = "expedicao",
                                  .entidade_id = id,
                                  .depois = {{"codigo", shipment.codigo},
                                             {"cliente", boost::json::object{{"nome", nome}, {"documento", documento}}},
                                             {"status", "reservada"},
                                             {"itens", std::move(reserved)}}});
                    auto res = ExpedicaoResponse(201, shipment);
                    res.headers.Set("Location", "/v1/expedicoes/" + id);
                    return res;
                  })));

  router.Post(
      "/v1/expedicoes/{id}/confirmar",
      http::Idempotent(ctx.db, AtTheEdge([&ctx](http::Request& request, pg::Transaction& tx) {
                         auth::RequireRole(request, {"estoquista"});
                         Expedicao shipment = LoadForChange(tx, request);
                         const Day hoje = Today(tx, ctx.fuso);
                         const auto actor = audit::Actor::From(request);
                         boost::json::array itens;
                         events::ExpedicaoConfirmada confirmada{
                             .expedicao_id = shipment.id,
                             .cliente = {.nome = shipment.cliente_nome, .documento = shipment.cliente_documento}};
                         for (const auto& reserved : shipment.lotes) {
                           Lote lot = LoadLote(tx, reserved.lote_id, true);
                           auto material = FindMaterial(tx, lot.material);
                           CheckExpedivel(lot, hoje, static_cast<int>(material->vida_util_minima_expedicao_dias));
                           Move(tx, actor,
                                {.lote_id = lot.id,
                                 .tipo = "expedicao",
                                 .quantidade = -reserved.quantidade,
                                 .reservada = -reserved.quantidade,
                                 .documento_tipo = "expedicao",
                                 .documento_id = shipment.id});
                           confirmada.itens.push_back({.lote_id = lot.id,
                                                       .lote_codigo = lot.codigo,
                                                       .material = lot.material,
                                                       .quantidade = reserved.quantidade});
                           itens.push_back(boost::json::object{{"lote_id", lot.id},
                                                               {"lote_codigo", lot.codigo},
                                                               {"material", lot.material},
                                                               {"quantidade", json::ToJson(reserved.quantidade)}});
                         }
                         MarkConfirmed(tx, shipment.id);
                         Expedicao confirmed = LoadExpedicao(tx, shipment.id);
                         audit::Audit(tx, actor,
                                      {.acao = "expedicao.confirmada",
                                       .entidade = "expedicao",
                                       .entidade_id = shipment.id,
                                       .antes = {{"status", "reservada"}},
                                       .depois = {{"status", "confirmada"}, {"itens", itens}}});
                         confirmada.confirmada_em = *confirmed.confirmada_em;
                         events::Publish(tx, events::NewEvent("estoque", confirmada,
                                                              {request.principal.sub, request.principal.username}));
                         return ExpedicaoResponse(200, confirmed);
                       })));

  router.Post("/v1/expedicoes/{id}/cancelar",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"estoquista"});
                                 Expedicao shipment = LoadForChange(tx, request);
                                 json::Fields body(request.Json());
                                 auto motivo = body.Motivo();
                                 body.Finish();
                                 CancelExpedicao(tx, audit::Actor::From(request), shipment, motivo);
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
          return http::ListPage(
              shipments, limit, [&](const auto& x) { return x.ToJson(); }, [](const auto& x) { return x.id; });
        });
      }));
}

}  // namespace pharmasys::estoque
