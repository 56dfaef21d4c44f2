#pragma once
// A Keycloak-shaped realm for tests, in Keycloak's own formats: the OpenID discovery document
// at /realms/<realm>/.well-known/openid-configuration, the JWK Set at
// /realms/<realm>/protocol/openid-connect/certs and the token endpoint at
// /realms/<realm>/protocol/openid-connect/token — the direct access grant (`password`) for
// the realm's users, `client_credentials` for service accounts, and
// `401 {"error":"invalid_grant","error_description":"Invalid user credentials"}` for a wrong
// password. Access tokens carry what a realm with the PharmaSys audience mapper puts in
// them: `iss` the realm URL, `aud` ["pharmasys","account"], `azp`, `typ` "Bearer",
// `preferred_username`, `name`, `realm_access.roles`, `scope`, `sid`. Served over HTTPS, as a
// realm is, with a certificate for localhost from a CA of its own (ca_file()).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "issuer_support.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/ids.hpp"
#include "tls_support.hpp"

namespace pharmasys::testing {

class FakeKeycloak {
 public:
  struct User {
    std::string sub;
    std::string username;
    std::string nome;
    std::string password;
    std::vector<std::string> roles;
  };

  explicit FakeKeycloak(std::string realm = "pharmasys") : realm_(std::move(realm)) {
    const std::string base = "/realms/" + realm_;
    router_.Get(base + "/.well-known/openid-configuration", [this](http::Request&) {
      const std::string oidc = realm_url() + "/protocol/openid-connect";
      return http::Response::Json(
          200, boost::json::object{{"issuer", realm_url()},
                                   {"authorization_endpoint", oidc + "/auth"},
                                   {"token_endpoint", oidc + "/token"},
                                   {"jwks_uri", oidc + "/certs"},
                                   {"grant_types_supported", boost::json::array{"authorization_code", "refresh_token",
                                                                                "password", "client_credentials"}},
                                   {"code_challenge_methods_supported", boost::json::array{"plain", "S256"}},
                                   {"id_token_signing_alg_values_supported", boost::json::array{"RS256"}}});
    });
    router_.Get(base + "/protocol/openid-connect/certs",
                [this](http::Request&) { return http::Response::Text(200, issuer_->Jwks(), "application/json"); });
    router_.Post(base + "/protocol/openid-connect/token", [this](http::Request& r) { return Token(r); });
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.tls = http::TlsOptions{pki_.certificate(), pki_.key()};
    server_ = std::make_unique<http::Server>(options, [this](http::Request& r) { return router_.Dispatch(r); });
    server_->Start();
    issuer_ = std::make_unique<Issuer>(realm_url(), "kc-" + ids::RandomHex(4));
  }

  std::string realm_url() const { return "https://localhost:" + std::to_string(server_->port()) + "/realms/" + realm_; }
  // The CA that signed the realm's certificate: what its clients trust (PHARMASYS_TLS_CA_FILE).
  std::string ca_file() const { return pki_.ca(); }
  std::string discovery_url() const { return realm_url() + "/.well-known/openid-configuration"; }
  std::string token_url() const { return realm_url() + "/protocol/openid-connect/token"; }

  void AddUser(const std::string& username, const std::string& nome, const std::string& password,
               std::vector<std::string> roles) {
    std::lock_guard lock(mutex_);
    users_[username] = {ids::NewUuidV7(), username, nome, password, std::move(roles)};
  }
  // A confidential client; `roles` are its service account's realm roles (empty: no account).
  void AddClient(const std::string& id, const std::string& secret, std::vector<std::string> roles = {}) {
    std::lock_guard lock(mutex_);
    clients_[id] = {secret, std::move(roles), ids::NewUuidV7()};
  }
  // What a user's sign-in at `client` (the browser's PKCE flow) ends with: its access token.
  std::string TokenFor(const std::string& username, const std::string& client = "pharmasys-web") {
    std::lock_guard lock(mutex_);
    const auto& u = users_.at(username);
    return issuer_->Sign(Claims(u.sub, u.username, u.nome, u.roles, client));
  }
  // A service account's client_credentials token.
  std::string ServiceToken(const std::string& client) {
    std::lock_guard lock(mutex_);
    const auto& c = clients_.at(client);
    return issuer_->Sign(Claims(c.account_sub, "service-account-" + client, "", c.roles, client));
  }
  int password_checks() const { return password_checks_; }

 private:
  struct Client {
    std::string secret;
    std::vector<std::string> roles;
    std::string account_sub;
  };

  boost::json::object Claims(const std::string& sub, const std::string& username, const std::string& nome,
                             const std::vector<std::string>& roles, const std::string& azp) const {
    boost::json::array realm_roles{"offline_access", "uma_authorization", "default-roles-" + realm_};
    for (const auto& r : roles) realm_roles.emplace_back(r);
    boost::json::object claims{
        {"exp", Now() + 300},
        {"iat", Now()},
        {"jti", ids::NewUuidV7()},
        {"iss", realm_url()},
        {"aud", boost::json::array{"pharmasys", "account"}},
        {"sub", sub},
        {"typ", "Bearer"},
        {"azp", azp},
        {"sid", ids::NewUuidV7()},
        {"acr", "1"},
        {"scope", "openid profile email"},
        {"email_verified", true},
        {"preferred_username", username},
        {"realm_access", boost::json::object{{"roles", std::move(realm_roles)}}},
        {"resource_access",
         boost::json::object{{"account", boost::json::object{{"roles", boost::json::array{"manage-account"}}}}}}};
    if (!nome.empty()) claims["name"] = nome;
    return claims;
  }

  static http::Response OAuthError(int status, const std::string& error, const std::string& description) {
    return http::Response::Json(status, boost::json::object{{"error", error}, {"error_description", description}});
  }

  http::Response Token(http::Request& request) {
    auto form = http::ParseForm(request.body);
    auto field = [&](const char* name) { return form.count(name) ? form.at(name) : std::string(); };
    std::lock_guard lock(mutex_);
    auto client = clients_.find(field("client_id"));
    if (client == clients_.end() || client->second.secret != field("client_secret")) {
      return OAuthError(401, "unauthorized_client", "Invalid client or Invalid client credentials");
    }
    const std::string grant = field("grant_type");
    boost::json::object claims;
    if (grant == "password") {
      ++password_checks_;
      auto user = users_.find(field("username"));
      if (user == users_.end() || user->second.password != field("password")) {
        return OAuthError(401, "invalid_grant", "Invalid user credentials");
      }
      claims = Claims(user->second.sub, user->second.username, user->second.nome, user->second.roles, client->first);
    } else if (grant == "client_credentials" && !client->second.roles.empty()) {
      claims = Claims(client->second.account_sub, "service-account-" + client->first, "", client->second.roles,
                      client->first);
    } else {
      return OAuthError(400, "unsupported_grant_type", "Unsupported grant_type");
    }
    return http::Response::Json(200, boost::json::object{{"access_token", issuer_->Sign(claims)},
                                                         {"expires_in", 300},
                                                         {"refresh_expires_in", 0},
                                                         {"token_type", "Bearer"},
                                                         {"not-before-policy", 0},
                                                         {"scope", "openid profile email"}});
  }

  std::string realm_;
  TestPki pki_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<Issuer> issuer_;
  mutable std::mutex mutex_;
  std::map<std::string, User> users_;
  std::map<std::string, Client> clients_;
  int password_checks_ = 0;
};

}  // namespace pharmasys::testing
