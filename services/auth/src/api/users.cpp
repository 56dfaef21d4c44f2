// User administration (API.md Auth): create, list, read, change (with motivo and If-Match),
// set a password. Users are deactivated, never deleted; every change is audited (A5).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "../app/usuarios.hpp"
#include "../domain/senhas.hpp"
#include "context.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/http/problem.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "problema.hpp"

namespace pharmasys::auth_service {
namespace {

std::vector<std::string> ReadRoles(json::Fields& body, std::string_view key, bool required) {
  std::vector<std::string> roles;
  const auto* raw = body.Raw(key);
  if (raw == nullptr || raw->is_null()) {
    if (required) body.Fail(key, "é obrigatório (lista de papéis)");
    return roles;
  }
  if (!raw->is_array() || raw->get_array().empty()) {
    body.Fail(key, "deve ser uma lista não vazia de papéis");
    return roles;
  }
  for (const auto& r : raw->get_array()) {
    const auto& known = KnownRoles();
    if (!r.is_string() || std::find(known.begin(), known.end(), r.get_string()) == known.end()) {
      body.Fail(key, "papel desconhecido; use administrador, gestor_producao, analista_cq, estoquista ou auditor");
      return {};
    }
    if (std::find(roles.begin(), roles.end(), r.get_string()) == roles.end()) roles.emplace_back(r.get_string());
  }
  return roles;
}

http::Response UserResponse(int status, const Usuario& usuario) {
  auto res = http::Response::Json(status, UsuarioJson(usuario));
  http::SetVersionTag(res, usuario.versao);
  return res;
}

}  // namespace

void AddUserRoutes(http::Router& router, AuthContext& ctx) {
  router.Get("/v1/usuarios", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador"});
    auto limit = http::ListLimit(request);
    auto order = http::ListOrder(request);
    auto cursor = http::UuidCursor(request);
    return ctx.db.Transact([&](pg::Transaction& tx) {
      return http::ListPage(ListUsuarios(tx, cursor, order, limit + 1), limit, UsuarioJson,
                            [](const Usuario& u) { return u.id; });
    });
  });

  router.Get("/v1/usuarios/{id}", AtTheEdge([&ctx](http::Request& request) {
               auth::RequireRole(request, {"administrador"});
               return ctx.db.Transact([&](pg::Transaction& tx) {
                 return UserResponse(200, CarregarUsuario(tx, std::string(request.PathParam("id"))));
               });
             }));

  router.Post(
      "/v1/usuarios",
      http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                         auth::RequireRole(request, {"administrador"});
                         json::Fields body(request.Json());
                         PedidoUsuario pedido{.username = body.String("username", {.min_length = 3, .max_length = 63}),
                                              .nome = body.String("nome", {.min_length = 2, .max_length = 200}),
                                              .email = body.String("email", {.min_length = 3, .max_length = 320}),
                                              .roles = ReadRoles(body, "roles", true),
                                              .senha = body.String("senha", {.min_length = 1, .max_length = 1024})};
                         for (char c : pedido.username) {
                           if (!(std::islower(static_cast<unsigned char>(c)) ||
                                 std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
                             body.Fail("username", "use letras minúsculas, dígitos, '.', '_' ou '-'");
                             break;
                           }
                         }
                         if (pedido.email.find('@') == std::string::npos)
                           body.Fail("email", "deve ser um endereço de e-mail");
                         if (auto problem = PasswordProblem(pedido.senha); !pedido.senha.empty() && !problem.empty())
                           body.Fail("senha", problem);
                         body.Finish();
                         Usuario usuario = CriarUsuario(tx, audit::Actor::From(request), pedido);
                         auto res = UserResponse(201, usuario);
                         res.headers.Set("Location", "/v1/usuarios/" + usuario.id);
                         return res;
                       })));

  router.Patch("/v1/usuarios/{id}",
               http::Idempotent(ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
                                  auth::RequireRole(request, {"administrador"});
                                  Usuario usuario = CarregarUsuario(tx, std::string(request.PathParam("id")), true);
                                  http::CheckIfMatch(request, usuario.versao);
                                  json::Fields body(request.Json());
                                  AlteracaoUsuario alteracao{
                                      .nome = body.OptionalString("nome", {.min_length = 2, .max_length = 200}),
                                      .email = body.OptionalString("email", {.min_length = 3, .max_length = 320}),
                                      .roles = ReadRoles(body, "roles", false),
                                      .ativo = body.OptionalBool("ativo"),
                                      .motivo = body.Motivo()};
                                  body.Finish();
                                  return UserResponse(
                                      200, AlterarUsuario(tx, audit::Actor::From(request), usuario, alteracao));
                                })));

  router.Post(
      "/v1/usuarios/{id}/senha",
      http::Idempotent(
          ctx.db, AtTheEdge([](http::Request& request, pg::Transaction& tx) {
            std::string id(request.PathParam("id"));
            const bool self = request.principal.sub == id;
            if (!self) auth::RequireRole(request, {"administrador"});
            CarregarUsuario(tx, id, true);  // 404 for an unknown id
            json::Fields body(request.Json());
            PedidoSenha pedido{.senha = body.String("senha", {.min_length = 1, .max_length = 1024}),
                               .senha_atual = body.OptionalString("senha_atual", {.min_length = 1, .max_length = 1024}),
                               .propria = self};
            if (auto problem = PasswordProblem(pedido.senha); !pedido.senha.empty() && !problem.empty())
              body.Fail("senha", problem);
            if (self && !request.principal.HasRole("administrador") && !pedido.senha_atual) {
              body.Fail("senha_atual", "é obrigatória para trocar a própria senha");
            }
            body.Finish();
            auto definida = DefinirSenha(tx, audit::Actor::From(request), request, id, pedido);
            if (!definida.usuario) {
              // A refused senha_atual is answered, not thrown, so that its audit record and its
              // count toward the lockout are committed.
              std::string why = definida.conferencia == LoginOutcome::WrongPassword ? "A senha atual não confere."
                                : definida.conferencia == LoginOutcome::Inactive
                                    ? "Conta desativada."
                                    : "Conta bloqueada temporariamente após falhas de autenticação.";
              return http::ProblemResponse(Forbidden(why), request.path, request.request_id);
            }
            return UserResponse(200, *definida.usuario);
          })));
}

}  // namespace pharmasys::auth_service
