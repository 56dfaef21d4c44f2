// OAuth2 token endpoint (RFC 6749: authorization_code with PKCE, password, refresh_token,
// client_credentials), revocation (RFC 7009), OIDC discovery, JWKS, /me and
// electronic-signature tokens.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>

#include "../app/contas.hpp"
#include "../domain/pkce.hpp"
#include "../storage/codigos_autorizacao.hpp"
#include "../storage/refresh_tokens.hpp"
#include "context.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::auth_service {
namespace {

using Clock = std::chrono::system_clock;

// RFC 6749 §5.2 errors: not problem documents, by the standard's own shape.
http::Response OAuthError(int status, std::string error, std::string description) {
  auto res = http::Response::Json(status, boost::json::object{{"error", error}, {"error_description", description}});
  res.headers.Set("Cache-Control", "no-store");
  res.headers.Set("Pragma", "no-cache");
  if (status == 401) res.headers.Set("WWW-Authenticate", "Basic realm=\"pharmasys\"");
  return res;
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
}

boost::json::object BaseClaims(const AuthConfig& config, std::string typ, std::string sub, std::string azp,
                               std::chrono::seconds ttl) {
  auto now = Now();
  return {{"iss", config.issuer},
          {"sub", std::move(sub)},
          {"aud", boost::json::array{"pharmasys"}},
          {"exp", now + ttl.count()},
          {"iat", now},
          {"nbf", now},
          {"jti", ids::NewUuidV7()},
          {"typ", std::move(typ)},
          {"azp", std::move(azp)}};
}

boost::json::object AccessClaims(const AuthConfig& config, const Account& a, const std::string& client_id) {
  auto claims = BaseClaims(config, "Bearer", a.id, client_id, config.access_ttl);
  boost::json::array roles;
  for (const auto& r : a.roles) roles.push_back(boost::json::string(r));
  claims["preferred_username"] = a.username;
  claims["name"] = a.nome;
  claims["email"] = a.email;
  claims["realm_access"] = boost::json::object{{"roles", std::move(roles)}};
  claims["scope"] = "openid profile email";
  return claims;
}

// A new refresh token of `family` (a JWT typed "Refresh", stored only as its hash).
std::string IssueRefresh(pg::Transaction& tx, AuthContext& ctx, const Account& a, const std::string& client_id,
                         const std::string& family) {
  auto claims = BaseClaims(ctx.config, "Refresh", a.id, client_id, ctx.config.refresh_ttl);
  std::string token = ctx.keys->Sign(claims);
  StoreRefresh(tx, token, family, a.id, client_id, Now() + ctx.config.refresh_ttl.count());
  return token;
}

http::Response TokenResponse(AuthContext& ctx, const Account& a, const std::string& client_id,
                             std::optional<std::string> refresh) {
  boost::json::object body{{"access_token", ctx.keys->Sign(AccessClaims(ctx.config, a, client_id))},
                           {"token_type", "Bearer"},
                           {"expires_in", ctx.config.access_ttl.count()},
                           {"scope", "openid profile email"}};
  if (refresh) {
    body["refresh_token"] = *refresh;
    body["refresh_expires_in"] = ctx.config.refresh_ttl.count();
  }
  auto res = http::Response::Json(200, body);
  res.headers.Set("Cache-Control", "no-store");
  res.headers.Set("Pragma", "no-cache");
  return res;
}

http::Response PasswordGrant(AuthContext& ctx, http::Request& request, const std::map<std::string, std::string>& form) {
  auto client = form.find("client_id");
  if (client == form.end() || client->second != ctx.config.public_client) {
    return OAuthError(401, "invalid_client", "Cliente desconhecido.");
  }
  auto username = form.find("username");
  auto password = form.find("password");
  if (username == form.end() || password == form.end()) {
    return OAuthError(400, "invalid_request", "username e password são obrigatórios.");
  }
  return ctx.db.Transact([&](pg::Transaction& tx) -> http::Response {
    auto login = Login(tx, username->second, password->second, request);
    if (login.outcome != LoginOutcome::Success) {
      return OAuthError(400, "invalid_grant", std::string(LoginRefusal(login.outcome)));
    }
    std::string refresh = IssueRefresh(tx, ctx, *login.account, client->second, ids::NewUuidV7());
    return TokenResponse(ctx, *login.account, client->second, refresh);
  });
}

// RFC 6749 §4.1.3 with RFC 7636 §4.6: a code from the sign-in page (authorization.cpp), once,
// by the client and for the redirect URI it was issued to, with the verifier of its challenge.
http::Response AuthorizationCodeGrant(AuthContext& ctx, http::Request& request,
                                      const std::map<std::string, std::string>& form) {
  auto field = [&](const char* name) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  const std::string client_id = field("client_id");
  const std::string code = field("code");
  const std::string redirect_uri = field("redirect_uri");
  const std::string verifier = field("code_verifier");
  if (client_id != ctx.config.public_client) return OAuthError(401, "invalid_client", "Cliente desconhecido.");
  if (code.empty() || redirect_uri.empty() || verifier.empty()) {
    return OAuthError(400, "invalid_request", "code, redirect_uri e code_verifier são obrigatórios.");
  }
  // A refusal is committed too: a reused code's family stays revoked, and refusals are audited.
  return ctx.db.Transact([&](pg::Transaction& tx) -> http::Response {
    auto found = FindCode(tx, code);
    if (!found) return OAuthError(400, "invalid_grant", "Código de autorização desconhecido ou expirado.");
    auto account = FindAccountById(tx, found->usuario_id);
    if (!account) return OAuthError(400, "invalid_grant", "Código de autorização desconhecido ou expirado.");
    const audit::Actor actor = ActorOf(*account, request);
    if (found->familia) {
      // Used before: whoever holds it may not be the client it was issued to. End what it opened.
      RevokeFamily(tx, *found->familia);
      audit::Audit(tx, actor,
                   {.acao = "codigo_autorizacao.reutilizado",
                    .entidade = "usuario",
                    .entidade_id = account->id,
                    .depois = {{"codigo_id", found->id}, {"familia_revogada", *found->familia}},
                    .motivo = "reuso de código de autorização já trocado"});
      return OAuthError(400, "invalid_grant", "Código de autorização já usado; a sessão aberta com ele foi encerrada.");
    }
    auto refuse = [&](const char* why, const char* description) {
      audit::Audit(tx, actor,
                   {.acao = "codigo_autorizacao.recusado",
                    .entidade = "usuario",
                    .entidade_id = account->id,
                    .depois = {{"codigo_id", found->id}, {"client_id", client_id}, {"motivo_recusa", why}}});
      return OAuthError(400, "invalid_grant", description);
    };
    if (found->expired) return refuse("código expirado", "Código de autorização expirado.");
    if (found->client_id != client_id) return refuse("outro cliente", "Código de autorização de outro cliente.");
    if (found->redirect_uri != redirect_uri) {
      return refuse("redirect_uri diferente", "redirect_uri não é o do pedido de autorização.");
    }
    if (!VerifierMatches(verifier, found->code_challenge)) {
      return refuse("code_verifier não confere", "code_verifier não corresponde ao code_challenge.");
    }
    if (!account->state.active || IsLocked(account->state, Clock::now())) {
      return refuse("usuário inativo ou bloqueado", "Usuário inativo ou bloqueado.");
    }
    const std::string family = ids::NewUuidV7();
    MarkCodeUsed(tx, found->id, family);
    std::string refresh = IssueRefresh(tx, ctx, *account, client_id, family);
    audit::Audit(tx, actor,
                 {.acao = "codigo_autorizacao.trocado",
                  .entidade = "usuario",
                  .entidade_id = account->id,
                  .depois = {{"codigo_id", found->id}, {"client_id", client_id}, {"familia", family}}});
    return TokenResponse(ctx, *account, client_id, refresh);
  });
}

http::Response RefreshGrant(AuthContext& ctx, http::Request& request, const std::map<std::string, std::string>& form) {
  auto token = form.find("refresh_token");
  auto client = form.find("client_id");
  if (token == form.end() || client == form.end()) {
    return OAuthError(400, "invalid_request", "refresh_token e client_id são obrigatórios.");
  }
  // The outcome (including a family revoked on reuse) must be committed even when the
  // answer is an error, so the error is returned, not thrown.
  return ctx.db.Transact([&](pg::Transaction& tx) -> http::Response {
    auto found = FindRefresh(tx, token->second);
    if (!found) return OAuthError(400, "invalid_grant", "Refresh token desconhecido.");
    const std::string& family = found->familia;
    const std::string& user_id = found->usuario_id;
    if (found->client_id != client->second) return OAuthError(400, "invalid_grant", "Refresh token de outro cliente.");
    auto account = FindAccountById(tx, user_id);
    if (found->usado || found->revogado) {
      // A rotated (or revoked) token used again: it may have been stolen. End the family.
      RevokeFamily(tx, family);
      audit::Audit(tx, ActorOf(*account, request),
                   {.acao = "refresh_token.reutilizado",
                    .entidade = "usuario",
                    .entidade_id = user_id,
                    .depois = {{"familia_revogada", family}},
                    .motivo = "reuso de refresh token já rotacionado"});
      return OAuthError(400, "invalid_grant", "Refresh token já usado; a sessão foi encerrada.");
    }
    if (found->expirado) return OAuthError(400, "invalid_grant", "Refresh token expirado.");
    if (!account || !account->state.active || IsLocked(account->state, Clock::now())) {
      return OAuthError(400, "invalid_grant", "Usuário inativo ou bloqueado.");
    }
    MarkRefreshUsed(tx, found->id);
    std::string next = IssueRefresh(tx, ctx, *account, client->second, family);
    return TokenResponse(ctx, *account, client->second, next);
  });
}

http::Response ClientCredentialsGrant(AuthContext& ctx, http::Request& request,
                                      const std::map<std::string, std::string>& form) {
  auto id = form.find("client_id");
  auto secret = form.find("client_secret");
  auto client = id == form.end() ? ctx.config.clients.end() : ctx.config.clients.find(id->second);
  if (client == ctx.config.clients.end() || secret == form.end() ||
      crypto::Sha256Hex(secret->second) != crypto::Sha256Hex(client->second.secret)) {
    ctx.db.Transact([&](pg::Transaction& tx) {
      audit::Audit(tx, audit::Actor{"", id == form.end() ? "" : id->second, "", request.request_id},
                   {.acao = "cliente.falha", .entidade = "cliente", .entidade_id = id == form.end() ? "" : id->second});
    });
    return OAuthError(401, "invalid_client", "Credenciais de cliente inválidas.");
  }
  Account service{"servico:" + client->first,
                  "service-" + client->first,
                  "Serviço " + client->first,
                  "",
                  "",
                  client->second.roles,
                  {}};
  return TokenResponse(ctx, service, client->first, std::nullopt);
}

// The grants of the token endpoint, as the discovery document lists them.
std::vector<std::string> GrantTypes(const AuthConfig& config) {
  if (config.keycloak) return {};
  std::vector<std::string> grants{"authorization_code", "refresh_token", "client_credentials"};
  if (config.password_grant) grants.insert(grants.begin() + 1, "password");
  return grants;
}

// What a signature is for.
struct Signing {
  std::string recurso;
  std::string significado;
};

void RecordRefusal(pg::Transaction& tx, const audit::Actor& actor, const Signing& signing) {
  audit::Audit(tx, actor,
               {.acao = "assinatura.recusada",
                .entidade = "assinatura",
                .entidade_id = signing.recurso,
                .depois = {{"recurso", signing.recurso}, {"significado", signing.significado}}});
}

// The signature token of `actor` (whose password was just checked), audited with the act.
http::Response Issue(AuthContext& ctx, pg::Transaction& tx, const audit::Actor& actor, const Signing& signing) {
  std::string em = clock::NowRfc3339();
  auto claims = BaseClaims(ctx.config, "Assinatura", actor.sub, "pharmasys-web", ctx.config.signature_ttl);
  claims["preferred_username"] = actor.username;
  claims["name"] = actor.nome;
  claims["recurso"] = signing.recurso;
  claims["significado"] = signing.significado;
  claims["assinado_em"] = em;
  std::string token = ctx.keys->Sign(claims);
  audit::Audit(tx, actor,
               {.acao = "assinatura.emitida",
                .entidade = "assinatura",
                .entidade_id = signing.recurso,
                .depois = {{"recurso", signing.recurso}, {"significado", signing.significado}, {"jti", claims["jti"]}},
                .assinatura = audit::Signature{actor.nome, signing.significado, em}});
  return http::Response::Json(
      201, boost::json::object{{"assinatura_token", token},
                               {"expira_em", clock::ToRfc3339(Clock::now() + ctx.config.signature_ttl)},
                               {"significado", signing.significado},
                               {"recurso", signing.recurso},
                               {"assinado_em", em}});
}

struct KeycloakCheck {
  std::string refused;  // empty: the password is the user's
};

// The realm's token endpoint (direct access grant) with the user's name and this password:
// a token for the same `sub` proves the password; invalid_grant refuses it. The realm
// counts the failures and locks the account (its brute-force detection).
KeycloakCheck CheckAtKeycloak(AuthContext& ctx, const http::Principal& who, const std::string& senha) {
  const auto& kc = *ctx.config.keycloak;
  http::ClientRequest call{http::Method::Post,
                           kc.token_url,
                           {},
                           "grant_type=password&scope=openid&client_id=" + http::FormEncode(kc.client_id) +
                               "&client_secret=" + http::FormEncode(kc.client_secret) +
                               "&username=" + http::FormEncode(who.username) + "&password=" + http::FormEncode(senha)};
  call.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  http::ClientResponse answer;
  try {
    answer = ctx.client->Send(call, std::chrono::seconds(10));
  } catch (const http::UpstreamError& e) {
    throw Error(503, "keycloak-indisponivel", "Keycloak indisponível",
                "A senha não pôde ser conferida no Keycloak: " + std::string(e.what()));
  }
  if (answer.status == 200) {
    try {
      auto realm_says =
          ctx.verifier->VerifyAccessToken(std::string(json::Parse(answer.body).at("access_token").as_string()));
      if (realm_says.sub != who.sub) return {"a senha é de outro usuário"};
      return {};
    } catch (const std::exception&) {
      throw Error(502, "keycloak-resposta-invalida", "Resposta inválida do Keycloak",
                  "O Keycloak respondeu com um token que não pôde ser verificado.");
    }
  }
  if (answer.status == 400 || answer.status == 401) {
    std::string description;
    try {
      description = std::string(json::Parse(answer.body).at("error_description").as_string());
    } catch (const std::exception&) {
    }
    if (description.find("disabled") != std::string::npos) return {"conta bloqueada ou inativa"};
    return {"senha incorreta"};
  }
  throw Error(503, "keycloak-indisponivel", "Keycloak indisponível",
              "O Keycloak respondeu HTTP " + std::to_string(answer.status) + " à conferência da senha.");
}

}  // namespace

void AddTokenRoutes(http::Router& router, AuthContext& ctx) {
  router.Post("/v1/auth/token", [&ctx](http::Request& request) -> http::Response {
    if (request.headers.GetOr("Content-Type", "").find("application/x-www-form-urlencoded") == std::string_view::npos) {
      return OAuthError(400, "invalid_request", "O corpo deve ser application/x-www-form-urlencoded.");
    }
    auto form = http::ParseForm(request.body);
    const std::string grant = form.count("grant_type") ? form.at("grant_type") : "";
    if (ctx.config.keycloak) {
      return OAuthError(400, "unsupported_grant_type",
                        "Nesta planta os tokens vêm do Keycloak (PHARMASYS_IDP=keycloak); este serviço emite apenas "
                        "assinaturas eletrônicas.");
    }
    if (grant == "authorization_code") return AuthorizationCodeGrant(ctx, request, form);
    if (grant == "password" && ctx.config.password_grant) return PasswordGrant(ctx, request, form);
    if (grant == "refresh_token") return RefreshGrant(ctx, request, form);
    if (grant == "client_credentials") return ClientCredentialsGrant(ctx, request, form);
    std::string supported;
    for (const auto& g : GrantTypes(ctx.config)) supported += (supported.empty() ? "" : ", ") + g;
    return OAuthError(400, grant.empty() ? "invalid_request" : "unsupported_grant_type",
                      "grant_type deve ser um de: " + supported + ".");
  });

  router.Post("/v1/auth/revogar", [&ctx](http::Request& request) {
    auto form = http::ParseForm(request.body);
    if (auto token = form.find("token"); token != form.end()) {
      ctx.db.Transact([&](pg::Transaction& tx) {
        auto found = FindRefresh(tx, token->second);
        if (!found) return;  // RFC 7009: an unknown token is not an error
        RevokeFamily(tx, found->familia);
        audit::Audit(tx, audit::Actor{found->usuario_id, "", "", request.request_id},
                     {.acao = "refresh_token.revogado", .entidade = "usuario", .entidade_id = found->usuario_id});
      });
    }
    return http::Response::Empty(200);
  });

  router.Get("/v1/auth/.well-known/openid-configuration", [&ctx](http::Request&) {
    const auto& iss = ctx.config.issuer;
    const auto grants = GrantTypes(ctx.config);
    return http::Response::Json(
        200,
        boost::json::object{
            {"issuer", iss},
            {"authorization_endpoint", iss + "/autorizar"},
            {"token_endpoint", iss + "/token"},
            {"revocation_endpoint", iss + "/revogar"},
            {"jwks_uri", iss + "/jwks"},
            {"userinfo_endpoint", iss + "/me"},
            {"grant_types_supported", boost::json::array(grants.begin(), grants.end())},
            {"response_types_supported", boost::json::array{"code"}},
            {"response_modes_supported", boost::json::array{"query"}},
            {"code_challenge_methods_supported", boost::json::array{"S256"}},
            {"authorization_response_iss_parameter_supported", true},
            {"subject_types_supported", boost::json::array{"public"}},
            {"id_token_signing_alg_values_supported", boost::json::array{"RS256"}},
            {"token_endpoint_auth_methods_supported", boost::json::array{"none", "client_secret_post"}},
            {"claims_supported", boost::json::array{"sub", "preferred_username", "name", "email", "realm_access"}}});
  });

  router.Get("/v1/auth/jwks", [&ctx](http::Request&) {
    auto res = http::Response::Text(200, ctx.keys->Jwks(), "application/jwk-set+json");
    res.headers.Set("Cache-Control", "max-age=60");
    return res;
  });

  router.Get("/v1/auth/me", [](http::Request& request) {
    boost::json::array roles;
    for (const auto& r : request.principal.roles) roles.push_back(boost::json::string(r));
    return http::Response::Json(200, boost::json::object{{"sub", request.principal.sub},
                                                         {"username", request.principal.username},
                                                         {"nome", request.principal.nome},
                                                         {"roles", std::move(roles)}});
  });

  router.Post("/v1/auth/assinaturas", [&ctx](http::Request& request) -> http::Response {
    json::Fields body(request.Json());
    auto senha = body.String("senha", {.min_length = 1, .max_length = 1024});
    auto significado =
        body.Enum("significado", {"aprovacao", "reprovacao", "revisao", "execucao", "liberacao", "recolhimento"});
    auto recurso = body.String("recurso", {.min_length = 3, .max_length = 200});
    if (!recurso.empty() && recurso.find(':') == std::string::npos) body.Fail("recurso", "deve ser <tipo>:<id>");
    body.Finish();
    if (request.principal.sub.starts_with("servico:") || request.principal.HasRole("servico")) {
      throw Forbidden("Clientes de serviço não assinam.");
    }
    const Signing signing{recurso, significado};
    std::optional<http::Response> issued;
    std::string refused;
    if (ctx.config.keycloak) {
      // The realm is asked before any transaction opens (RULES R5); its lockout is the realm's.
      const auto checked = CheckAtKeycloak(ctx, request.principal, senha);
      const audit::Actor actor = audit::Actor::From(request);
      ctx.db.Transact([&](pg::Transaction& tx) {
        boost::json::object depois{{"provedor", "keycloak"}};
        if (!checked.refused.empty()) depois["motivo_recusa"] = checked.refused;
        audit::Audit(
            tx, actor,
            {.acao = std::string("assinatura.reautenticacao") + (checked.refused.empty() ? ".sucesso" : ".falha"),
             .entidade = "usuario",
             .entidade_id = request.principal.sub,
             .depois = depois});
        if (!checked.refused.empty()) {
          RecordRefusal(tx, actor, signing);
          refused = checked.refused;
          return;
        }
        issued = Issue(ctx, tx, actor, signing);
      });
    } else {
      ctx.db.Transact([&](pg::Transaction& tx) {
        auto account = FindAccountById(tx, request.principal.sub);
        if (!account) {
          refused = "usuário desconhecido";
          return;
        }
        auto result = CheckPassword(tx, *account, senha, request, "assinatura.reautenticacao");
        if (result != LoginOutcome::Success) {
          RecordRefusal(tx, ActorOf(*account, request), signing);
          refused = result == LoginOutcome::WrongPassword ? "senha incorreta" : "conta bloqueada ou inativa";
          return;
        }
        issued = Issue(ctx, tx, ActorOf(*account, request), signing);
      });
    }
    if (!issued) {
      throw Error(403, "assinatura-invalida", "Assinatura inválida", "Reautenticação recusada: " + refused + ".");
    }
    return *issued;
  });
}

}  // namespace pharmasys::auth_service
