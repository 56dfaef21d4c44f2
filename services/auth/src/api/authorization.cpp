// OAuth2 authorization endpoint (RFC 6749 §4.1) with PKCE (RFC 7636, S256 only): the sign-in
// page, and its form, which answers with a one-time code at the client's registered redirect URI.
//
// Login CSRF: a page of another site can post this form, but only into a redirect URI registered
// for the client, and only with a password it knows — so at most it could sign its own account in
// to our client. Even that is refused when the browser says the form came from elsewhere (Origin,
// Sec-Fetch-Site; see FromOwnPage). The password check is the login's own (Login): it counts
// toward the lockout and is audited, whatever page sent it.
#include <boost/json/object.hpp>

#include <algorithm>
#include <map>

#include "../app/contas.hpp"
#include "../domain/pkce.hpp"
#include "../storage/codigos_autorizacao.hpp"
#include "context.hpp"
#include "pages.hpp"
#include "pharmasys/audit/audit.hpp"

namespace pharmasys::auth_service {
namespace {

struct Received {
  AuthorizationRequest request;
  std::string duplicated;  // a parameter of the request sent more than once, or empty
  std::map<std::string, std::string> fields;
};

// From a query string (GET) or a form body (POST).
Received Read(std::string_view text) {
  Received out;
  out.fields = http::ParseForm(text);
  // ParseForm keeps the first value of a name; RFC 6749 §3.1 wants a repeated one refused.
  std::map<std::string, int, std::less<>> seen;
  for (std::string_view rest = text; !rest.empty();) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    std::string name = http::PercentDecode(pair.substr(0, pair.find('=')), true);
    if (std::find(std::begin(kAuthorizationParameters), std::end(kAuthorizationParameters), name) ==
        std::end(kAuthorizationParameters)) {
      continue;
    }
    if (++seen[name] == 2 && out.duplicated.empty()) out.duplicated = name;
  }
  auto field = [&](const char* name) {
    auto it = out.fields.find(name);
    return it == out.fields.end() ? std::string() : it->second;
  };
  out.request = {field("response_type"), field("client_id"),      field("redirect_uri"),
                 field("state"),         field("code_challenge"), field("code_challenge_method")};
  return out;
}

// The answer to a request that is not valid: a page here, or the error at the redirect URI.
std::optional<http::Response> Refusal(const AuthContext& ctx, const Received& received) {
  auto decision = DecideAuthorization(received.request, {ctx.config.public_client, ctx.config.web_redirect_uris},
                                      received.duplicated);
  switch (decision.verdict) {
    case AuthorizationVerdict::Valid: return std::nullopt;
    case AuthorizationVerdict::RefuseHere: return ErrorPage(400, decision.description);
    case AuthorizationVerdict::RedirectError: break;
  }
  std::vector<std::pair<std::string_view, std::string_view>> parameters{{"error", decision.error},
                                                                        {"error_description", decision.description}};
  if (!received.request.state.empty()) parameters.emplace_back("state", received.request.state);
  parameters.emplace_back("iss", ctx.config.issuer);  // RFC 9207
  return RedirectTo(WithQueryParameters(received.request.redirect_uri, parameters));
}

bool PostedFromOwnPage(const AuthContext& ctx, const http::Request& request) {
  std::vector<std::string_view> hosts;
  if (auto host = request.headers.Get("Host")) hosts.push_back(*host);
  if (auto host = request.headers.Get("X-Forwarded-Host")) hosts.push_back(*host);  // set by the gateway
  return FromOwnPage(request.headers.Get("Origin"), request.headers.Get("Sec-Fetch-Site"), OriginOf(ctx.config.issuer),
                     hosts);
}

}  // namespace

void AddAuthorizationRoutes(http::Router& router, AuthContext& ctx) {
  router.Get("/v1/auth/autorizar", [&ctx](http::Request& request) -> http::Response {
    if (ctx.config.keycloak) return ErrorPage(404, "Nesta planta a entrada é pelo Keycloak.");
    auto received = Read(request.query);
    if (auto refusal = Refusal(ctx, received)) return *refusal;
    return SignInPage(200, received.request, "", "");
  });

  // No Idempotency-Key: like the token endpoint, each sign-in is its own act.
  router.Post("/v1/auth/autorizar", [&ctx](http::Request& request) -> http::Response {
    if (ctx.config.keycloak) return ErrorPage(404, "Nesta planta a entrada é pelo Keycloak.");
    if (request.headers.GetOr("Content-Type", "").find("application/x-www-form-urlencoded") == std::string_view::npos) {
      return ErrorPage(400, "O formulário de entrada deve ser enviado como application/x-www-form-urlencoded.");
    }
    if (!PostedFromOwnPage(ctx, request)) {
      return ErrorPage(403, "O formulário de entrada só é aceito quando enviado pela própria página de entrada.");
    }
    auto received = Read(request.body);
    if (auto refusal = Refusal(ctx, received)) return *refusal;
    const std::string username = received.fields["username"];
    const std::string password = received.fields["password"];
    if (username.empty() || password.empty()) {
      return SignInPage(400, received.request, username, "Informe o usuário e a senha.");
    }
    struct Outcome {
      LoginOutcome login;
      std::string code;
    };
    // Committed whatever the outcome: a refused password still counts and is audited.
    auto outcome = ctx.db.Transact([&](pg::Transaction& tx) -> Outcome {
      auto login = Login(tx, username, password, request);
      if (login.outcome != LoginOutcome::Success) return {login.outcome, ""};
      std::string code = NewAuthorizationCode();
      std::string id = StoreCode(tx, code, *login.account, received.request, ctx.config.code_ttl);
      audit::Audit(tx, ActorOf(*login.account, request),
                   {.acao = "codigo_autorizacao.emitido",
                    .entidade = "usuario",
                    .entidade_id = login.account->id,
                    .depois = {{"codigo_id", id},
                               {"client_id", received.request.client_id},
                               {"redirect_uri", received.request.redirect_uri},
                               {"expira_em_s", ctx.config.code_ttl.count()}}});
      return {LoginOutcome::Success, code};
    });
    if (outcome.login != LoginOutcome::Success) {
      return SignInPage(400, received.request, username, LoginRefusal(outcome.login));
    }
    std::vector<std::pair<std::string_view, std::string_view>> parameters{{"code", outcome.code}};
    if (!received.request.state.empty()) parameters.emplace_back("state", received.request.state);
    parameters.emplace_back("iss", ctx.config.issuer);  // RFC 9207
    return RedirectTo(WithQueryParameters(received.request.redirect_uri, parameters));
  });
}

}  // namespace pharmasys::auth_service
