// The materials catalogue (API.md Estoque): created (app/materiais), listed and read.
#include <boost/json/array.hpp>

#include "../app/materiais.hpp"
#include "context.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "problema.hpp"

namespace pharmasys::estoque {
namespace {

bool ValidCode(std::string_view codigo) {
  for (char c : codigo) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

}  // namespace

void AddMaterialRoutes(http::Router& router, EstoqueContext& ctx) {
  router.Post(
      "/v1/materiais",
      http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                         auth::RequireRole(request, {"estoquista", "administrador"});
                         json::Fields body(request.Json());
                         Material m;
                         m.codigo = body.String("codigo", {.max_length = 64});
                         m.nome = body.String("nome", {.max_length = 200});
                         m.tipo = body.Enum("tipo", {"insumo", "produto"});
                         m.unidade = body.String("unidade", {.max_length = 20});
                         m.prazo_validade_dias = body.Integer("prazo_validade_dias", 1, 36500);
                         m.vida_util_minima_expedicao_dias = body.Integer("vida_util_minima_expedicao_dias", 0, 36500);
                         if (!m.codigo.empty() && !ValidCode(m.codigo)) {
                           body.Fail("codigo", "use letras, dígitos, '-', '_' ou '.'");
                         }
                         if (m.vida_util_minima_expedicao_dias >= m.prazo_validade_dias && m.prazo_validade_dias > 0) {
                           body.Fail("vida_util_minima_expedicao_dias", "deve ser menor que prazo_validade_dias");
                         }
                         body.Finish();
                         Material created = CadastrarMaterial(tx, audit::Actor::From(request), m);
                         auto res = http::Response::Json(201, MaterialJson(created));
                         res.headers.Set("Location", "/v1/materiais/" + m.codigo);
                         http::SetVersionTag(res, created.versao);
                         return res;
                       })));

  router.Get("/v1/materiais", [&ctx](http::Request& request) {
    auto limit = http::ListLimit(request);
    auto tipo = request.Query("tipo");
    if (tipo && *tipo != "insumo" && *tipo != "produto") {
      throw ValidationError(std::vector<FieldError>{{"tipo", "deve ser insumo ou produto"}});
    }
    return ctx.db.Transact([&](pg::Transaction& tx) {
      auto materials = ListMaterials(tx, request.Query("cursor"), tipo, limit + 1);
      return http::ListPage(materials, limit, MaterialJson, [](const auto& x) { return x.codigo; });
    });
  });

  router.Get("/v1/materiais/{codigo}", [&ctx](http::Request& request) {
    return ctx.db.Transact([&](pg::Transaction& tx) {
      std::string codigo(request.PathParam("codigo"));
      auto m = FindMaterial(tx, codigo);
      if (!m) throw NotFound("Material " + codigo + " não encontrado.");
      auto res = http::Response::Json(200, MaterialJson(*m));
      http::SetVersionTag(res, m->versao);
      return res;
    });
  });
}

}  // namespace pharmasys::estoque
