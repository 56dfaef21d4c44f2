// Recipes (API.md Produção): versioned and immutable — a new version is a new recipe.
#include <boost/json/array.hpp>

#include <algorithm>

#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::producao {

void AddRecipeRoutes(http::Router& router, ProducaoContext& ctx) {
  router.Post("/v1/receitas", http::Idempotent(ctx.db, [](http::Request& request, pg::Transaction& tx) {
                auth::RequireRole(request, {"gestor_producao"});
                json::Fields body(request.Json());
                Receita r{.id = ids::NewUuidV7()};
                r.produto = body.String("produto", {.max_length = 64});
                r.versao = body.Integer("versao", 1, 100000);
                for (auto& e : body.Items("etapas", 1, 100)) {
                  Etapa etapa{.ordem = static_cast<int>(e.Integer("ordem", 1, 100)),
                              .nome = e.String("nome", {.max_length = 200})};
                  for (auto& p : e.Items("parametros", 0, 50)) {
                    etapa.parametros.push_back({p.String("nome", {.max_length = 100}),
                                                p.OptionalString("unidade", {.max_length = 40}),
                                                p.OptionalNumber("minimo"), p.OptionalNumber("maximo")});
                  }
                  r.etapas.push_back(std::move(etapa));
                }
                for (auto& i : body.Items("insumos", 1, 100)) {
                  r.insumos.push_back({i.String("material", {.max_length = 64}), i.Quantity("quantidade_por_unidade")});
                }
                if (body.ok()) {
                  for (auto& [campo, mensagem] : RecipeStepProblems(r.etapas)) body.Fail(campo, mensagem);
                  auto produto = FindMaterial(tx, r.produto);
                  if (!produto) {
                    body.Fail("produto", "material desconhecido (cadastre-o no estoque)");
                  } else if (produto->tipo != "produto") {
                    body.Fail("produto", "o material " + r.produto + " é um insumo, não um produto");
                  }
                  for (std::size_t i = 0; i < r.insumos.size(); ++i) {
                    if (!FindMaterial(tx, r.insumos[i].material)) {
                      body.Fail("insumos[" + std::to_string(i) + "].material", "material desconhecido");
                    }
                  }
                }
                body.Finish();
                std::sort(r.etapas.begin(), r.etapas.end(),
                          [](const Etapa& a, const Etapa& b) { return a.ordem < b.ordem; });
                const auto actor = audit::Actor::From(request);
                r.criado_por = actor.username;
                if (!InsertReceita(tx, r)) {
                  throw Conflict("A receita de " + r.produto + " versão " + std::to_string(r.versao) +
                                 " já existe; versões são imutáveis: crie a próxima.");
                }
                Receita created = *FindReceita(tx, r.id);
                boost::json::object depois = created.ToJson();
                depois.erase("criado_em");
                audit::Audit(tx, actor,
                             {.acao = "receita.criada", .entidade = "receita", .entidade_id = r.id, .depois = depois});
                auto res = http::Response::Json(201, created.ToJson());
                res.headers.Set("Location", "/v1/receitas/" + r.id);
                http::SetVersionTag(res, created.versao);
                return res;
              }));

  router.Get("/v1/receitas", [&ctx](http::Request& request) {
    RequireReader(request);
    auto limit = http::ListLimit(request);
    auto cursor = http::UuidCursor(request);
    auto order = http::ListOrder(request);
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto found = ListReceitas(tx, request.Query("produto"), cursor, order, limit + 1);
      return http::ListPage(
          found, limit, [&](const auto& x) { return x.ToJson(); }, [](const auto& x) { return x.id; });
    });
  });

  router.Get("/v1/receitas/{id}", [&ctx](http::Request& request) {
    RequireReader(request);
    const std::string id(request.PathParam("id"));
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto r = FindReceita(tx, id);
      if (!r) throw NotFound("Receita " + id + " não encontrada.");
      return http::Response::Json(200, r->ToJson());
    });
  });
}

}  // namespace pharmasys::producao
