// Production orders (API.md Produção): creation, the lifecycle acts (iniciar, concluir,
// cancelar; app/ordens.hpp) and reading. While a desvio is open the OP is `bloqueada`
// (consumers/).
#include "ordens.hpp"

#include <boost/json/array.hpp>

#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::producao {
namespace {

events::Usuario UsuarioOf(const http::Request& request) {
  return {request.principal.sub, request.principal.username};
}

}  // namespace

Ordem LoadOrdem(pg::Transaction& tx, const http::Request& request, bool for_update) {
  return CarregarOrdem(tx, std::string(request.PathParam("id")), for_update);
}

boost::json::object OrdemJson(pg::Transaction& tx, const Ordem& o) {
  auto receita = FindReceita(tx, o.receita_id);
  auto registros = RegistrosOf(tx, o.id);
  boost::json::array etapas, consumos, lotes;
  const auto recipe_json = receita->ToJson();
  for (const auto& step : recipe_json.at("etapas").as_array()) {
    auto etapa = step.as_object();
    const auto ordem = etapa.at("ordem").to_number<int>();
    auto r = std::find_if(registros.begin(), registros.end(), [&](const Registro& x) { return x.ordem == ordem; });
    etapa["registro"] = r == registros.end() ? boost::json::value(nullptr) : boost::json::value(r->ToJson());
    etapas.push_back(std::move(etapa));
  }
  for (const auto& c : ConsumosOf(tx, o.id)) consumos.push_back(c.ToJson());
  for (const auto& l : LotesOf(tx, o.id)) lotes.push_back(l.ToJson());
  const auto revisao = FindRevisao(tx, o.id);
  boost::json::value antes = nullptr;
  if (o.estado.antes_do_bloqueio) antes = boost::json::string(ToString(*o.estado.antes_do_bloqueio));
  return {{"id", o.id},
          {"codigo", o.codigo},
          {"produto", o.produto},
          {"quantidade", json::ToJson(o.quantidade)},
          {"receita_id", o.receita_id},
          {"receita_versao", receita->versao},
          {"status", ToString(o.estado.status)},
          {"status_antes_do_bloqueio", antes},
          {"desvios_abertos", o.estado.desvios_abertos},
          {"etapas", std::move(etapas)},
          {"consumos", std::move(consumos)},
          {"lotes", std::move(lotes)},
          {"revisao", revisao ? boost::json::value(revisao->ToJson()) : boost::json::value(nullptr)},
          {"motivo_cancelamento", json::ToJson(o.motivo_cancelamento)},
          {"criado_por", o.criado_por},
          {"criado_em", o.criado_em},
          {"iniciada_em", json::ToJson(o.iniciada_em)},
          {"concluida_em", json::ToJson(o.concluida_em)},
          {"cancelada_em", json::ToJson(o.cancelada_em)},
          {"versao", o.versao}};
}

http::Response OrdemResponse(pg::Transaction& tx, int status, const std::string& id) {
  auto ordem = FindOrdem(tx, id);
  auto res = http::Response::Json(status, OrdemJson(tx, *ordem));
  http::SetVersionTag(res, ordem->versao);
  return res;
}

void AddOrderRoutes(http::Router& router, ProducaoContext& ctx) {
  router.Post("/v1/ordens-producao", http::Idempotent(ctx.db, [](http::Request& request, pg::Transaction& tx) {
                auth::RequireRole(request, {"gestor_producao"});
                json::Fields body(request.Json());
                auto produto = body.String("produto", {.max_length = 64});
                auto quantidade = body.Quantity("quantidade");
                auto receita_id = body.Uuid("receita_id");
                std::optional<Receita> receita;
                if (body.ok()) {
                  receita = FindReceita(tx, receita_id);
                  if (!receita) {
                    body.Fail("receita_id", "receita desconhecida");
                  } else if (receita->produto != produto) {
                    body.Fail("receita_id", "é uma receita de " + receita->produto + ", não de " + produto);
                  }
                }
                body.Finish();
                const auto actor = audit::Actor::From(request);
                Ordem ordem = InsertOrdem(tx, produto, quantidade, receita_id, actor.username);
                audit::Audit(tx, actor,
                             {.acao = "ordem_producao.criada",
                              .entidade = "ordem_producao",
                              .entidade_id = ordem.id,
                              .depois = {{"codigo", ordem.codigo},
                                         {"produto", produto},
                                         {"quantidade", json::ToJson(quantidade)},
                                         {"receita_id", receita_id},
                                         {"receita_versao", receita->versao},
                                         {"status", "planejada"}}});
                events::Publish(
                    tx, events::NewEvent("producao", StatusAlterado(tx, ordem, std::nullopt), UsuarioOf(request)));
                auto res = OrdemResponse(tx, 201, ordem.id);
                res.headers.Set("Location", "/v1/ordens-producao/" + ordem.id);
                return res;
              }));

  router.Get("/v1/ordens-producao", [&ctx](http::Request& request) {
    auto limit = http::ListLimit(request);
    auto status = request.Query("status");
    if (status && !ParseOpStatus(*status)) {
      throw ValidationError(
          std::vector<FieldError>{{"status", "deve ser planejada, em_execucao, bloqueada, concluida ou cancelada"}});
    }
    auto cursor = http::UuidCursor(request);
    auto order = http::ListOrder(request);
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto found = ListOrdens(tx, status, request.Query("produto"), cursor, order, limit + 1);
      return http::ListPage(
          found, limit, [&](const auto& x) { return OrdemJson(tx, x); }, [](const auto& x) { return x.id; });
    });
  });

  router.Get("/v1/ordens-producao/{id}", AtTheEdge([&ctx](http::Request& request) {
               return ctx.db.Transact(
                   [&](pg::Transaction& tx) { return OrdemResponse(tx, 200, LoadOrdem(tx, request, false).id); });
             }));

  router.Post("/v1/ordens-producao/{id}/iniciar",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"gestor_producao"});
                                 Ordem ordem = LoadOrdem(tx, request, true);
                                 http::CheckIfMatch(request, ordem.versao);
                                 Act(tx, audit::Actor::From(request), UsuarioOf(request), ordem, OpAto::Iniciar);
                                 return OrdemResponse(tx, 200, ordem.id);
                               })));

  router.Post("/v1/ordens-producao/{id}/concluir",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"gestor_producao"});
                                 Ordem ordem = LoadOrdem(tx, request, true);
                                 http::CheckIfMatch(request, ordem.versao);
                                 ConcluirOrdem(tx, audit::Actor::From(request), UsuarioOf(request), ordem);
                                 return OrdemResponse(tx, 200, ordem.id);
                               })));

  router.Post("/v1/ordens-producao/{id}/cancelar",
              http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                 auth::RequireRole(request, {"gestor_producao"});
                                 Ordem ordem = LoadOrdem(tx, request, true);
                                 http::CheckIfMatch(request, ordem.versao);
                                 json::Fields body(request.Json());
                                 auto motivo = body.Motivo();
                                 body.Finish();
                                 CancelarOrdem(tx, audit::Actor::From(request), UsuarioOf(request), ordem, motivo);
                                 return OrdemResponse(tx, 200, ordem.id);
                               })));
}

}  // namespace pharmasys::producao
