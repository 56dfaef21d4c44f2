#pragma once
// A domain service under test, as a process, beside the real Auth service (demo users, the
// `producao` service client) for its tokens and signatures, on the test PostgreSQL and
// RabbitMQ. Events from other services are published onto the exchange as they would be, and
// what the service publishes is read from the queues of the services that consume it.
#include <boost/json/object.hpp>

#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "amqp_support.hpp"
#include "http_support.hpp"
#include "keycloak_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "service_db_support.hpp"

namespace pharmasys::testing {

inline const std::string kTestIssuer = "http://localhost:8080/v1/auth";
inline const std::string kProducaoSecret = "secret-of-producao-1234";
inline const std::string kSignaturesSecret = "secret-of-the-signatures-client";

// PHARMASYS_TEST_IDP=keycloak: the plant's users and services get their tokens from a
// Keycloak-shaped realm (FakeKeycloak); Auth, in Keycloak mode, keeps the signatures.
inline bool TestWithKeycloak() {
  const char* idp = std::getenv("PHARMASYS_TEST_IDP");
  return idp != nullptr && std::string_view(idp) == "keycloak";
}

class ServiceUnderTest {
 public:
  // `binary`: the service's executable; `auth_env`: extra settings for Auth (e.g. a short
  // signature lifetime); `service_env`: extra settings for the service.
  explicit ServiceUnderTest(const std::string& binary, std::vector<std::string> auth_env = {},
                            std::vector<std::string> service_env = {})
      : ServiceUnderTest(std::move(auth_env)) {
    StartService(binary, std::move(service_env));
  }

 protected:
  // Only Auth and the broker; the test starts its services with StartService().
  explicit ServiceUnderTest(std::vector<std::string> auth_env) {
    using namespace std::chrono_literals;
    auth_port_ = FreePort();
    std::vector<std::string> env = PrepareServiceDatabase(PHARMASYS_AUTH_BIN, auth_db_, trusted_keys_);
    if (TestWithKeycloak()) {
      keycloak_ = std::make_unique<FakeKeycloak>();
      // The demo users, as the realm holds them (their `sub` is the realm's, not Auth's).
      for (const auto& [user, nome, role] : std::vector<std::tuple<std::string, std::string, std::string>>{
               {"admin", "Administradora Demo", "administrador"},
               {"gestor", "Gestor de Produção Demo", "gestor_producao"},
               {"analista", "Analista de CQ Demo", "analista_cq"},
               {"analista2", "Segunda Analista de CQ Demo", "analista_cq"},
               {"estoquista", "Estoquista Demo", "estoquista"},
               {"auditor", "Auditor Demo", "auditor"}}) {
        keycloak_->AddUser(user, nome, "pharmasys-demo", {role});
      }
      keycloak_->AddClient("producao", kProducaoSecret, {"servico"});
      keycloak_->AddClient("pharmasys-assinaturas", kSignaturesSecret);
      env.insert(env.end(), {"PHARMASYS_IDP=keycloak", "PHARMASYS_KEYCLOAK_TOKEN_URL=" + keycloak_->token_url(),
                             "PHARMASYS_KEYCLOAK_CLIENT_SECRET=" + kSignaturesSecret});
      for (auto& variable : IssuerEnv()) env.push_back(variable);
    }
    env.insert(env.end(),
               {"PHARMASYS_HTTP_PORT=" + std::to_string(auth_port_), "PHARMASYS_AMQP_URL=" + broker_.options().url,
                "PHARMASYS_AMQP_PREFIX=" + broker_.options().prefix,
                "PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=" + std::string(64, 'e'), "PHARMASYS_DEMO=1",
                "PHARMASYS_CLIENT_SECRET_PRODUCAO=" + kProducaoSecret, "PHARMASYS_AUTH_ISSUER=" + kTestIssuer});
    env.insert(env.end(), auth_env.begin(), auth_env.end());
    auth_process_ = std::make_unique<ChildProcess>(PHARMASYS_AUTH_BIN, env);
    auth_ = "http://127.0.0.1:" + std::to_string(auth_port_);
    if (!Eventually([&] { return testing::Get(auth_port_, "/healthz").status == 200; }, 60s)) {
      throw std::runtime_error("auth did not start: " + auth_process_->Stderr());
    }
    broker_.Channel();  // the topology exists before anything is published
  }

 public:
  // Starts a service binary with a database of its own, trusting Auth, on the same broker;
  // returns its base URL. The first one started is what Post/GetAs/db() talk to.
  std::string StartService(const std::string& binary, std::vector<std::string> extra_env = {}) {
    using namespace std::chrono_literals;
    auto s = std::make_unique<Started>();
    s->port = FreePort();
    std::vector<std::string> env = PrepareServiceDatabase(binary, s->db, trusted_keys_);
    env.insert(env.end(),
               {"PHARMASYS_HTTP_PORT=" + std::to_string(s->port), "PHARMASYS_AMQP_URL=" + broker_.options().url,
                "PHARMASYS_AMQP_PREFIX=" + broker_.options().prefix, "PHARMASYS_JWT_ISSUER=" + kTestIssuer,
                "PHARMASYS_JWT_JWKS_URL=" + auth_ + "/v1/auth/jwks", "PHARMASYS_AUDIT_TRUSTED_KEYS=" + trusted_keys_});
    for (auto& variable : IssuerEnv()) env.push_back(variable);
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    s->binary = binary;
    s->env = env;
    s->process = std::make_unique<ChildProcess>(binary, env);
    s->base = "http://127.0.0.1:" + std::to_string(s->port);
    if (!Eventually([&] { return testing::Get(s->port, "/readyz").status == 200; }, 60s)) {
      throw std::runtime_error(binary + " did not start: " + s->process->Stderr());
    }
    s->pool = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = s->db.url(), .max_size = 4});
    services_.push_back(std::move(s));
    return services_.back()->base;
  }
  const std::string& auth_url() const { return auth_; }
  // Where a service client gets its token: Auth, or the realm's token endpoint.
  std::string token_url() const { return keycloak_ ? keycloak_->token_url() : auth_ + "/v1/auth/token"; }
  // What every service and the gateway are told to trust beside Auth (the realm, if any).
  std::vector<std::string> IssuerEnv() const {
    if (!keycloak_) return {};
    return {"PHARMASYS_JWT_ISSUER_2_DISCOVERY_URL=" + keycloak_->discovery_url(),
            "PHARMASYS_TLS_CA_FILE=" + keycloak_->ca_file()};
  }
  FakeKeycloak* keycloak() { return keycloak_.get(); }
  // The plant's trusted checkpoint keys: <dir>/<servico>/<chave_id>.pub.
  const std::string& trusted_keys() const { return trusted_keys_; }
  // kill -9 of the service at `base`: no shutdown, no flush, whatever it was doing.
  void Kill(const std::string& base) {
    auto& s = Find(base);
    s.process->Signal(SIGKILL);
    s.process->Wait(std::chrono::seconds(10));
  }
  // Starts it again, same binary, database and port, and waits until it is ready.
  void Restart(const std::string& base) {
    using namespace std::chrono_literals;
    auto& s = Find(base);
    s.process = std::make_unique<ChildProcess>(s.binary, s.env);
    if (!Eventually([&] { return testing::Get(s.port, "/readyz").status == 200; }, 60s)) {
      throw std::runtime_error(s.binary + " did not restart: " + s.process->Stderr());
    }
  }
  // The database of the service at `base`, as its owner role; and as a superuser.
  pg::Pool& DbOf(const std::string& base) { return *Find(base).pool; }
  TestDatabase& DatabaseOf(const std::string& base) { return Find(base).db; }
  // The service at `base` as a process (to stop it, read its log).
  ChildProcess& ProcessOf(const std::string& base) { return *Find(base).process; }

  // A POST (or PUT) to another started service.
  http::ClientResponse SendTo(const std::string& base, http::Method method, const std::string& path,
                              const boost::json::value& body, const std::string& user,
                              std::vector<std::pair<std::string, std::string>> headers = {}) {
    bool has_key = false;
    for (const auto& [k, v] : headers) has_key |= k == "Idempotency-Key";
    if (!has_key) headers.emplace_back("Idempotency-Key", ids::NewUuidV7());
    return Call(base, method, path, json::Serialize(body), Token(user), headers);
  }

  http::ClientResponse Call(const std::string& base, http::Method method, const std::string& path,
                            const std::string& body, const std::string& token,
                            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    http::ClientRequest r{method, base + path, {}, body};
    if (!body.empty()) r.headers.Set("Content-Type", "application/json");
    if (!token.empty()) r.headers.Set("Authorization", "Bearer " + token);
    for (const auto& [k, v] : headers) r.headers.Set(k, v);
    return client_.Send(r, std::chrono::seconds(30));
  }
  // A POST (or PUT) as `user` with a fresh Idempotency-Key unless one is given.
  http::ClientResponse Send(http::Method method, const std::string& path, const boost::json::value& body,
                            const std::string& user, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return SendTo(base(), method, path, body, user, std::move(headers));
  }
  http::ClientResponse Post(const std::string& path, const boost::json::value& body, const std::string& user,
                            std::vector<std::pair<std::string, std::string>> headers = {}) {
    return Send(http::Method::Post, path, body, user, std::move(headers));
  }
  http::ClientResponse GetAs(const std::string& path, const std::string& user,
                             const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return Call(base(), http::Method::Get, path, "", Token(user), headers);
  }
  boost::json::value GetJson(const std::string& path, const std::string& user) {
    auto res = GetAs(path, user);
    if (res.status != 200) throw std::runtime_error(path + ": " + std::to_string(res.status) + " " + res.body);
    return json::Parse(res.body);
  }

  // A demo user's access token; "servico" is Produção's client_credentials token.
  std::string Token(const std::string& user) {
    std::lock_guard lock(mutex_);
    auto& token = tokens_[user];
    if (token.empty() && keycloak_) {
      // A user signed in at the realm (the browser's PKCE flow ends with this token).
      token = user == "servico" ? keycloak_->ServiceToken("producao") : keycloak_->TokenFor(user);
    }
    if (token.empty()) {
      std::string form =
          user == "servico"
              ? "grant_type=client_credentials&client_id=producao&client_secret=" + kProducaoSecret
              : "grant_type=password&username=" + user + "&password=pharmasys-demo&client_id=pharmasys-web";
      http::ClientRequest r{http::Method::Post, auth_ + "/v1/auth/token", {}, form};
      r.headers.Set("Content-Type", "application/x-www-form-urlencoded");
      auto res = client_.Send(r, std::chrono::seconds(30));
      if (res.status != 200) throw std::runtime_error("token for " + user + ": " + res.body);
      token = std::string(json::Parse(res.body).at("access_token").as_string());
    }
    return token;
  }
  // A signature token (POST /v1/auth/assinaturas) of `user` for `recurso` and `significado`.
  std::string Signature(const std::string& user, const std::string& recurso, const std::string& significado) {
    auto res = Call(auth_, http::Method::Post, "/v1/auth/assinaturas",
                    json::Serialize(boost::json::object{
                        {"senha", "pharmasys-demo"}, {"recurso", recurso}, {"significado", significado}}),
                    Token(user));
    if (res.status != 201) throw std::runtime_error("signature: " + res.body);
    return std::string(json::Parse(res.body).at("assinatura_token").as_string());
  }
  // The `sub` of a demo user.
  std::string SubOf(const std::string& user) {
    auto res = Call(auth_, http::Method::Get, "/v1/auth/me", "", Token(user));
    return std::string(json::Parse(res.body).at("sub").as_string());
  }

  // A confirming channel on the test broker (the topology declared).
  std::unique_ptr<amqp::Channel> Channel() { return broker_.Channel(); }

  void PublishEvent(const events::Event& e) {
    auto channel = broker_.Channel();
    channel->PublishConfirmed(
        {{.routing_key = e.tipo, .body = json::Serialize(e.ToJson()), .message_id = e.id, .type = e.tipo}},
        std::chrono::seconds(5));
  }
  // Takes every message waiting in another service's queue (what this one published to it).
  std::vector<events::Event> Drain(const std::string& queue) {
    auto channel = broker_.Channel();
    std::vector<events::Event> out;
    while (auto d = channel->Get(channel->Name(queue))) out.push_back(events::Event::FromJson(json::Parse(d->body)));
    return out;
  }

  pg::Pool& db() { return *services_.front()->pool; }  // the first service's database, as its own role
  const std::string& base() const { return services_.front()->base; }

 private:
  struct Started {
    TestDatabase db;
    std::uint16_t port = 0;
    std::string base;
    std::string binary;
    std::vector<std::string> env;
    std::unique_ptr<ChildProcess> process;
    std::unique_ptr<pg::Pool> pool;
  };
  Started& Find(const std::string& base) {
    for (auto& s : services_) {
      if (s->base == base) return *s;
    }
    throw std::logic_error("no service at " + base);
  }

  std::string trusted_keys_ = NewTrustedKeysDir();
  std::unique_ptr<FakeKeycloak> keycloak_;
  TestDatabase auth_db_;
  TestBroker broker_;
  std::uint16_t auth_port_ = 0;
  std::string auth_;
  std::unique_ptr<ChildProcess> auth_process_;
  std::vector<std::unique_ptr<Started>> services_;
  http::Client client_;
  std::mutex mutex_;
  std::map<std::string, std::string> tokens_;
};

// Small readers for the answers the tests look at.
inline std::string Str(const boost::json::value& v, const char* key) {
  return std::string(v.at(key).as_string());
}
inline Decimal Num(const boost::json::value& v, const char* key) {
  return *json::DecimalFrom(v.at(key));
}
inline Decimal Q(const char* text) {
  return *Decimal::Parse(text);
}
inline std::string Unique(const std::string& prefix) {
  return prefix + "-" + ids::RandomHex(4);
}
// The problem type's slug ("estoque-insuficiente") of an error answer.
inline std::string Slug(const http::ClientResponse& res) {
  auto type = Str(json::Parse(res.body), "type");
  return type.substr(type.rfind('/') + 1);
}

}  // namespace pharmasys::testing
