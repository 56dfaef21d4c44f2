// Specifications (API.md CQ): each PUT makes a new, immutable version; a sample is bound to
// the version current when its first result is entered.
#include "../app/especificacoes.hpp"
#include "../storage/store.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/fields.hpp"
#include "problema.hpp"

namespace pharmasys::cq {
namespace {

http::Response SpecResponse(const Specification& spec) {
  auto res = http::Response::Json(200, spec.ToJson());
  http::SetVersionTag(res, spec.versao);
  return res;
}

}  // namespace

void AddSpecificationRoutes(http::Router& router, CqContext& ctx) {
  router.Put("/v1/especificacoes/{material}",
             http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                auth::RequireRole(request, {"analista_cq"});
                                const std::string material(request.PathParam("material"));
                                auto current = EspecificacaoVigente(tx, material);
                                http::CheckIfMatch(request, current ? current->versao : 0);
                                json::Fields body(request.Json());
                                std::vector<Ensaio> ensaios;
                                for (auto& item : body.Items("ensaios", 1, 200)) {
                                  Ensaio e{.codigo = item.String("codigo", {.max_length = 40}),
                                           .nome = item.String("nome", {.max_length = 200})};
                                  e.unidade = item.OptionalString("unidade", {.max_length = 40});
                                  e.minimo = item.OptionalNumber("minimo");
                                  e.maximo = item.OptionalNumber("maximo");
                                  e.esperado = item.OptionalString("esperado", {.max_length = 200});
                                  ensaios.push_back(std::move(e));
                                }
                                if (body.ok()) {
                                  for (auto& [campo, mensagem] : SpecificationProblems(ensaios))
                                    body.Fail(campo, mensagem);
                                }
                                body.Finish();
                                return SpecResponse(VersionarEspecificacao(tx, audit::Actor::From(request), material,
                                                                           current, ensaios));
                              })));

  router.Get("/v1/especificacoes/{material}", [&ctx](http::Request& request) {
    const std::string material(request.PathParam("material"));
    std::optional<std::int64_t> versao;
    if (auto text = request.Query("versao")) {
      try {
        std::size_t used = 0;
        versao = std::stoll(*text, &used);
        if (used != text->size() || *versao < 1) throw std::invalid_argument("versao");
      } catch (const std::exception&) {
        throw ValidationError(std::vector<FieldError>{{"versao", "deve ser um inteiro positivo"}});
      }
    }
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto spec = FindSpecification(tx, material, versao);
      if (!spec) throw NotFound("Não há especificação para o material " + material + ".");
      return SpecResponse(*spec);
    });
  });
}

}  // namespace pharmasys::cq
