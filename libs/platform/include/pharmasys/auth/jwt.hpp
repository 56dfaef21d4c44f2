#pragma once
// Access-token verification (RULES.md X1), used by the gateway and by every service.
// Tokens are RS256 JWS (cjose over OpenSSL) in the Keycloak layout of API.md; keys come from
// the issuer's JWKS, fetched over HTTP, cached, and fetched again on an unknown `kid` at most
// once per interval. Any OIDC issuer configured by URL works (a Keycloak realm included),
// and further issuers can be trusted beside the first, each found by its discovery document.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pharmasys/config/env.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/http/router.hpp"

namespace pharmasys::auth {

// Another issuer whose access tokens are accepted (a plant's Keycloak realm), found by its
// OpenID Connect discovery document: the document's `issuer` must be the discovery URL less
// "/.well-known/openid-configuration" (OIDC Discovery §4.3), and its `jwks_uri` has the keys.
// Its keys verify only tokens that name it as `iss`.
struct TrustedIssuer {
  std::string discovery_url;
  std::string audience = "pharmasys";
  std::vector<std::string> authorized_parties;  // the `azp` it may issue to; empty: any
};

struct VerifierOptions {
  std::string issuer;    // expected `iss`, e.g. "http://localhost:8080/v1/auth"
  std::string jwks_url;  // where the keys are, e.g. "http://127.0.0.1:8081/v1/auth/jwks"
  std::string audience = "pharmasys";
  std::vector<std::string> authorized_parties;  // the `azp` `issuer` may issue to; empty: any
  // Access tokens only: signature tokens come from `issuer` (PharmaSys' Auth) alone.
  std::vector<TrustedIssuer> trusted_issuers;
  std::chrono::seconds leeway{30};                // clock skew allowed on exp/nbf/iat
  std::chrono::seconds min_refetch_interval{10};  // an unknown kid triggers at most one fetch per interval
  std::chrono::milliseconds fetch_timeout{3000};
};

// What a verified signature token (POST /v1/auth/assinaturas) says.
struct SignatureClaims {
  std::string jti;  // single use: recorded by the service that accepts it
  std::string sub;
  std::string username;
  std::string nome;
  std::string recurso;      // "<tipo>:<id>"
  std::string significado;  // aprovacao, reprovacao, revisao, execucao, liberacao, recolhimento
  std::string em;           // RFC 3339 instant of the signature
};

// The issuer a discovery URL names: the URL less "/.well-known/openid-configuration"
// (nullopt when it does not end so).
std::optional<std::string> IssuerOfDiscoveryUrl(std::string_view discovery_url);

// The extra issuers of the configuration: PHARMASYS_JWT_ISSUER_<n>_DISCOVERY_URL (n = 2..9),
// with PHARMASYS_JWT_ISSUER_<n>_AUDIENCE (default "pharmasys") and _AZP (comma-separated
// `azp` allowed; default any). A bad value is a problem of `env`.
std::vector<TrustedIssuer> TrustedIssuersFromEnv(config::Env& env);

class JwtVerifier {
 public:
  JwtVerifier(VerifierOptions options, std::shared_ptr<http::Client> client);
  ~JwtVerifier();
  JwtVerifier(const JwtVerifier&) = delete;
  JwtVerifier& operator=(const JwtVerifier&) = delete;

  // An access token (`typ` "Bearer") → its principal. Throws Unauthenticated (401) naming
  // what is wrong (never echoing the token): not a JWS, `alg` other than RS256, `jku`/`x5u`/
  // `jwk` headers, unknown `kid`, bad signature, wrong `iss`/`aud`/`typ`, expired, not yet valid.
  http::Principal VerifyAccessToken(std::string_view token);

  // A signature token (`typ` "Assinatura") from the same issuer. Throws Error 403
  // `assinatura-invalida` when it is not valid. The single-use and binding checks are the
  // caller's (see signature.hpp).
  SignatureClaims VerifySignatureToken(std::string_view token);

  // Replaces the cached key set (tests, or a pushed rotation).
  void SetJwks(const std::string& jwks_json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Middleware: reads `Authorization: Bearer <token>`, verifies it and fills
// request.principal. Paths starting with one of `public_prefixes` (and /healthz, /readyz,
// /metrics) pass without a token. Missing or invalid token: 401 `nao-autenticado` with
// `WWW-Authenticate: Bearer`.
http::Middleware Authenticate(std::shared_ptr<JwtVerifier> verifier, std::vector<std::string> public_prefixes = {});

// Inside a handler: 403 `sem-permissao` unless the caller has one of `roles`. No role passes
// by itself: `administrador` is admitted only where it is listed (segregation of duties,
// RULES.md X6).
void RequireRole(const http::Request& request, std::initializer_list<std::string_view> roles);

// Inside a handler: 403 `sem-permissao` unless the caller is the service client `client_id`
// (a client_credentials token: role `servico`, issued to that client). No user token passes.
void RequireServiceClient(const http::Request& request, std::string_view client_id);

}  // namespace pharmasys::auth
