// User administration (API.md Auth): create, list, read, change (with motivo and If-Match),
// set a password. Users are deactivated, never deleted; every change is audited (A5).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "../app/contas.hpp"
#include "../domain/senhas.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/http/problem.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/http/list_page.hpp"

namespace pharmasys::auth_service {
namespace {

#define USER_SELECT(rest) \
  "SELECT id, username, nome, email, array_to_json(papeis)::text, ativo, versao,"    \
  " " PHARMASYS_PG_INSTANT("criado_em") ","     \
  " " PHARMASYS_PG_INSTANT("atualizado_em") "," \
  " " PHARMASYS_PG_INSTANT("bloqueado_ate") " FROM usuarios " rest

constexpr pg::ListQuery kList = PHARMASYS_PG_LIST("users_list", USER_SELECT(""), "", "id", "$1::uuid", "$2");
constexpr pg::Query kById{"users_by_id", USER_SELECT("WHERE id = $1::uuid")};
constexpr pg::Query kByIdForUpdate{"users_by_id_lock", USER_SELECT("WHERE id = $1::uuid FOR UPDATE")};
constexpr pg::Query kInsert{"users_insert",
                            "INSERT INTO usuarios (id, username, nome, email, senha_hash, papeis)"
                            " VALUES ($1::uuid, $2, $3, $4, $5, $6::text[])"};
constexpr pg::Query kUpdate{"users_update",
                            "UPDATE usuarios SET nome = $2, email = $3, papeis = $4::text[], ativo = $5,"
                            " versao = versao + 1, atualizado_em = now() WHERE id = $1::uuid"};
constexpr pg::Query kSetPassword{"users_set_password",
                                 "UPDATE usuarios SET senha_hash = $2, falhas_consecutivas = 0, bloqueado_ate = NULL,"
                                 " versao = versao + 1, atualizado_em = now() WHERE id = $1::uuid"};
constexpr pg::Query kRevokeUserTokens{
    "users_revoke_tokens",
    "UPDATE refresh_tokens SET revogado_em = now() WHERE usuario_id = $1::uuid AND revogado_em IS NULL"};

struct User {
  boost::json::object json;
  std::int64_t versao;
};

User FromRow(const pg::Row& r) {
  boost::json::object o{{"id", r.String(0)},    {"username", r.String(1)},         {"nome", r.String(2)},
                        {"email", r.String(3)}, {"roles", json::Parse(r.Text(4))}, {"ativo", r.Bool(5)},
                        {"versao", r.Int(6)},   {"criado_em", r.String(7)},        {"atualizado_em", r.String(8)}};
  o["bloqueado_ate"] = r.IsNull(9) ? boost::json::value(nullptr) : boost::json::value(r.String(9));
  return {std::move(o), r.Int(6)};
}

std::string PgArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "}";
}

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

http::Response UserResponse(int status, const User& user) {
  auto res = http::Response::Json(status, user.json);
  http::SetVersionTag(res, user.versao);
  return res;
}

User Load(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) throw NotFound("Usuário " + id + " não encontrado.");
  auto rows = tx.Exec(for_update ? kByIdForUpdate : kById, pg::Params(id));
  if (rows.empty()) throw NotFound("Usuário " + id + " não encontrado.");
  return FromRow(rows.Single());
}

}  // namespace

void AddUserRoutes(http::Router& router, AuthContext& ctx) {
  router.Get("/v1/usuarios", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador"});
    auto limit = http::ListLimit(request);
    auto order = http::ListOrder(request);
    auto rows = ctx.db.Exec(kList[order], pg::Params(http::UuidCursor(request), limit + 1));
    boost::json::array items;
    for (int i = 0; i < rows.size() && i < limit; ++i) items.push_back(FromRow(rows[i]).json);
    std::optional<std::string> next;
    if (rows.size() > limit) next = std::string(items.back().at("id").as_string());
    return http::ListPage(std::move(items), next);
  });

  router.Get("/v1/usuarios/{id}", [&ctx](http::Request& request) {
    auth::RequireRole(request, {"administrador"});
    return ctx.db.Transact(
        [&](pg::Transaction& tx) { return UserResponse(200, Load(tx, std::string(request.PathParam("id")), false)); });
  });

  router.Post("/v1/usuarios", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
                auth::RequireRole(request, {"administrador"});
                json::Fields body(request.Json());
                auto username = body.String("username", {.min_length = 3, .max_length = 63});
                auto nome = body.String("nome", {.min_length = 2, .max_length = 200});
                auto email = body.String("email", {.min_length = 3, .max_length = 320});
                auto roles = ReadRoles(body, "roles", true);
                auto senha = body.String("senha", {.min_length = 1, .max_length = 1024});
                for (char c : username) {
                  if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                        c == '.' || c == '_' || c == '-')) {
                    body.Fail("username", "use letras minúsculas, dígitos, '.', '_' ou '-'");
                    break;
                  }
                }
                if (email.find('@') == std::string::npos) body.Fail("email", "deve ser um endereço de e-mail");
                if (auto problem = PasswordProblem(senha); !senha.empty() && !problem.empty())
                  body.Fail("senha", problem);
                body.Finish();
                std::string id = ids::NewUuidV7();
                try {
                  tx.Exec(kInsert, pg::Params(id, username, nome, email, HashPassword(senha), PgArray(roles)));
                } catch (const pg::SqlError& e) {
                  if (e.IsUniqueViolation()) throw Conflict("O username '" + username + "' já existe ou já existiu.");
                  throw;
                }
                User user = Load(tx, id, false);
                boost::json::object depois = user.json;
                depois.erase("versao");
                audit::Audit(tx, audit::Actor::From(request),
                             {.acao = "usuario.criado", .entidade = "usuario", .entidade_id = id, .depois = depois});
                auto res = UserResponse(201, user);
                res.headers.Set("Location", "/v1/usuarios/" + id);
                return res;
              }));

  router.Patch(
      "/v1/usuarios/{id}", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
        auth::RequireRole(request, {"administrador"});
        User user = Load(tx, std::string(request.PathParam("id")), true);
        http::CheckIfMatch(request, user.versao);
        json::Fields body(request.Json());
        auto nome = body.OptionalString("nome", {.min_length = 2, .max_length = 200});
        auto email = body.OptionalString("email", {.min_length = 3, .max_length = 320});
        auto roles = ReadRoles(body, "roles", false);
        auto ativo = body.OptionalBool("ativo");
        auto motivo = body.Motivo();
        body.Finish();
        const auto& before = user.json;
        boost::json::object antes, depois;
        auto change = [&](const char* field, boost::json::value value) {
          if (before.at(field) != value) {
            antes[field] = before.at(field);
            depois[field] = value;
          }
        };
        if (nome) change("nome", boost::json::string(*nome));
        if (email) change("email", boost::json::string(*email));
        if (!roles.empty()) {
          boost::json::array r;
          for (const auto& role : roles) r.push_back(boost::json::string(role));
          change("roles", r);
        }
        if (ativo) change("ativo", *ativo);
        if (!depois.empty()) {
          std::vector<std::string> final_roles;
          for (const auto& r : (depois.contains("roles") ? depois.at("roles") : before.at("roles")).as_array()) {
            final_roles.emplace_back(r.as_string());
          }
          tx.Exec(kUpdate, pg::Params(user.json.at("id").as_string().c_str(),
                                      nome.value_or(std::string(before.at("nome").as_string())),
                                      email.value_or(std::string(before.at("email").as_string())), PgArray(final_roles),
                                      ativo.value_or(before.at("ativo").as_bool())));
          if (ativo && !*ativo) tx.Exec(kRevokeUserTokens, pg::Params(std::string(before.at("id").as_string())));
          std::string acao = depois.contains("roles") ? "usuario.papeis_alterados" : "usuario.alterado";
          if (depois.contains("ativo")) acao = *ativo ? "usuario.reativado" : "usuario.desativado";
          audit::Audit(tx, audit::Actor::From(request),
                       {.acao = acao,
                        .entidade = "usuario",
                        .entidade_id = std::string(before.at("id").as_string()),
                        .antes = antes,
                        .depois = depois,
                        .motivo = motivo});
        }
        return UserResponse(200, Load(tx, std::string(request.PathParam("id")), false));
      }));

  router.Post("/v1/usuarios/{id}/senha", http::Idempotent(ctx.db, [&ctx](http::Request& request, pg::Transaction& tx) {
                std::string id(request.PathParam("id"));
                const bool self = request.principal.sub == id;
                if (!self) auth::RequireRole(request, {"administrador"});
                Load(tx, id, true);  // 404 for an unknown id
                json::Fields body(request.Json());
                auto senha = body.String("senha", {.min_length = 1, .max_length = 1024});
                auto atual = body.OptionalString("senha_atual", {.min_length = 1, .max_length = 1024});
                if (auto problem = PasswordProblem(senha); !senha.empty() && !problem.empty())
                  body.Fail("senha", problem);
                if (self && !request.principal.HasRole("administrador") && !atual) {
                  body.Fail("senha_atual", "é obrigatória para trocar a própria senha");
                }
                body.Finish();
                if (atual && self) {
                  // A password check like a login's (RULES.md X7): it counts toward the lockout
                  // and is audited, and a refusal is answered, not thrown, so both are committed.
                  auto account = FindAccountById(tx, id);
                  auto outcome = CheckPassword(tx, *account, *atual, request, "usuario.senha_atual");
                  if (outcome != LoginOutcome::Success) {
                    std::string why = outcome == LoginOutcome::WrongPassword ? "A senha atual não confere."
                                      : outcome == LoginOutcome::Inactive
                                          ? "Conta desativada."
                                          : "Conta bloqueada temporariamente após falhas de autenticação.";
                    return http::ProblemResponse(Forbidden(why), request.path, request.request_id);
                  }
                }
                tx.Exec(kSetPassword, pg::Params(id, HashPassword(senha)));
                tx.Exec(kRevokeUserTokens, pg::Params(id));
                audit::Audit(tx, audit::Actor::From(request),
                             {.acao = "usuario.senha_alterada",
                              .entidade = "usuario",
                              .entidade_id = id,
                              .motivo = self ? std::optional<std::string>("troca pelo próprio usuário")
                                             : std::optional<std::string>("definida pelo administrador")});
                return UserResponse(200, Load(tx, id, false));
              }));
}

}  // namespace pharmasys::auth_service
