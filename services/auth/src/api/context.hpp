#pragma once
// What the Auth handlers share: configuration, the key store, the token verifier.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../app/chaves.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

struct ServiceClient {
  std::string secret;
  std::vector<std::string> roles;
};

struct AuthConfig {
  std::string issuer;                            // "http://localhost:8080/v1/auth"
  std::string public_client = "pharmasys-web";   // the web UI and scripts (no secret)
  std::vector<std::string> web_redirect_uris;    // the public client's, matched exactly
  bool password_grant = true;                    // off: grant_type=password is unsupported
  std::map<std::string, ServiceClient> clients;  // client_credentials clients
  std::chrono::seconds access_ttl{300};
  std::chrono::seconds refresh_ttl{8 * 3600};
  std::chrono::seconds signature_ttl{120};
  std::chrono::seconds code_ttl{60};  // authorization codes
  // PHARMASYS_IDP=keycloak: users and services get their tokens from the plant's Keycloak
  // realm; Auth issues no access tokens and checks a signature's password at the realm's
  // token endpoint (a confidential client with the direct access grant).
  struct Keycloak {
    std::string token_url;
    std::string client_id;
    std::string client_secret;
  };
  std::optional<Keycloak> keycloak;
};

struct AuthContext {
  AuthConfig config;
  pg::Pool& db;
  std::unique_ptr<KeyStore> keys;  // set at start, once the configuration is checked
  // Keycloak mode: checks the realm's answer to a signature's password, and makes the call.
  std::shared_ptr<auth::JwtVerifier> verifier;
  std::shared_ptr<http::Client> client;
};

inline const std::vector<std::string>& KnownRoles() {
  static const std::vector<std::string> roles{"administrador", "gestor_producao", "analista_cq", "estoquista",
                                              "auditor"};
  return roles;
}

void AddTokenRoutes(http::Router& router, AuthContext& context);
void AddAuthorizationRoutes(http::Router& router, AuthContext& context);
void AddUserRoutes(http::Router& router, AuthContext& context);
// The access review; before the user routes, whose /v1/usuarios/{id} would take its path.
void AddAccessReviewRoutes(http::Router& router, AuthContext& context);

}  // namespace pharmasys::auth_service
