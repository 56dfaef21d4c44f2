#pragma once
// The front door as it runs in production: the Auth service (demo users) behind the gateway,
// each a real process with its own test database, the test broker and the test Redis. Started
// once for the whole test program.
#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>

#include "amqp_support.hpp"
#include "http_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/json/json.hpp"
#include "service_db_support.hpp"

namespace pharmasys::testing {

inline std::string TestRedisUrl() {
  const char* url = std::getenv("PHARMASYS_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') throw std::runtime_error("PHARMASYS_TEST_REDIS_URL is not set");
  return url;
}

inline std::string Bin(const std::string& name) {
  return std::string(PHARMASYS_BIN_DIR) + "/pharmasys-" + name;
}

class FrontDoor {
 public:
  static FrontDoor& Get() {
    static FrontDoor door;
    return door;
  }

  std::uint16_t gateway_port() const { return gateway_port_; }
  std::string gateway_url() const { return "http://127.0.0.1:" + std::to_string(gateway_port_); }

  http::ClientResponse Call(const std::string& method, const std::string& path, const std::string& token = "",
                            const std::string& body = "", const std::string& content_type = "application/json",
                            const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    http::ClientRequest r{http::MethodFrom(method), gateway_url() + path, {}, body};
    if (!token.empty()) r.headers.Set("Authorization", "Bearer " + token);
    if (!body.empty()) r.headers.Set("Content-Type", content_type);
    if (method != "GET") r.headers.Set("Idempotency-Key", ids::NewUuidV7());
    for (const auto& [name, value] : headers) r.headers.Set(name, value);
    return client_.Send(r, std::chrono::seconds(15));
  }

  // The same call straight to a service's own port (routes the gateway does not expose).
  http::ClientResponse CallService(const std::string& service, const std::string& method, const std::string& path,
                                   const std::string& token = "") {
    std::uint16_t port = auth_port_;
    for (std::size_t i = 0; i < backend_names_.size(); ++i) {
      if (backend_names_[i] == service) port = backends_[i]->port;
    }
    http::ClientRequest r{http::MethodFrom(method), "http://127.0.0.1:" + std::to_string(port) + path, {}, ""};
    if (!token.empty()) r.headers.Set("Authorization", "Bearer " + token);
    return client_.Send(r, std::chrono::seconds(15));
  }

  http::ClientResponse Login(const std::string& user) {
    return Call("POST", "/v1/auth/token", "",
                "grant_type=password&username=" + user + "&password=pharmasys-demo&client_id=pharmasys-web",
                "application/x-www-form-urlencoded");
  }
  std::string AccessToken(const std::string& user) {
    auto res = Login(user);
    if (res.status != 200) throw std::runtime_error("login of " + user + " failed: " + res.body);
    return std::string(json::Parse(res.body).at("access_token").as_string());
  }

 private:
  FrontDoor() {
    auth_port_ = FreePort();
    auto auth_env = PrepareServiceDatabase(Bin("auth"), db_, trusted_keys_);
    auth_env.insert(auth_env.end(),
                    {"PHARMASYS_HTTP_PORT=" + std::to_string(auth_port_), "PHARMASYS_AMQP_URL=" + broker_.options().url,
                     "PHARMASYS_AMQP_PREFIX=" + broker_.options().prefix,
                     "PHARMASYS_AUTH_KEY_ENCRYPTION_KEY=" + std::string(64, 'c'), "PHARMASYS_DEMO=1"});
    auth_ = std::make_unique<ChildProcess>(Bin("auth"), auth_env);
    if (!Eventually([&] { return testing::Get(auth_port_, "/healthz").status == 200; }, std::chrono::seconds(30))) {
      throw std::runtime_error("auth did not start: " + auth_->Stderr());
    }
    std::vector<std::string> gateway_env{"PHARMASYS_HTTP_PORT=",
                                         "PHARMASYS_UPSTREAM_AUTH=http://127.0.0.1:" + std::to_string(auth_port_),
                                         "PHARMASYS_REDIS_URL=" + TestRedisUrl(),
                                         "PHARMASYS_METRICS_PORT=" + std::to_string(FreePort()),
                                         "PHARMASYS_RATE_LIMIT_IP=100000/min",
                                         "PHARMASYS_RATE_LIMIT_USER=100000/min"};
    // The domain services, each with its own database, trusting Auth's tokens.
    for (const char* name : {"producao", "cq", "estoque", "relatorios"}) {
      auto& backend = backends_.emplace_back(std::make_unique<Backend>());
      backend_names_.emplace_back(name);
      backend->port = FreePort();
      auto env = PrepareServiceDatabase(Bin(name), backend->db, trusted_keys_);
      env.insert(
          env.end(),
          {"PHARMASYS_HTTP_PORT=" + std::to_string(backend->port), "PHARMASYS_AUDIT_TRUSTED_KEYS=" + trusted_keys_,
           "PHARMASYS_AMQP_URL=" + broker_.options().url, "PHARMASYS_AMQP_PREFIX=" + broker_.options().prefix,
           "PHARMASYS_JWT_ISSUER=http://localhost:8080/v1/auth",
           "PHARMASYS_JWT_JWKS_URL=http://127.0.0.1:" + std::to_string(auth_port_) + "/v1/auth/jwks",
           // Relatórios asks Auth for its chain.
           "PHARMASYS_AUDIT_SOURCES=auth=http://127.0.0.1:" + std::to_string(auth_port_)});
      backend->process = std::make_unique<ChildProcess>(Bin(name), env);
      if (!Eventually([&] { return testing::Get(backend->port, "/healthz").status == 200; },
                      std::chrono::seconds(60))) {
        throw std::runtime_error(std::string(name) + " did not start: " + backend->process->Stderr());
      }
      std::string variable = "PHARMASYS_UPSTREAM_" + std::string(name);
      for (auto& c : variable) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      gateway_env.push_back(variable + "=http://127.0.0.1:" + std::to_string(backend->port));
    }
    gateway_port_ = FreePort();
    gateway_env[0] += std::to_string(gateway_port_);
    gateway_ = std::make_unique<ChildProcess>(Bin("gateway"), gateway_env);
    if (!Eventually([&] { return testing::Get(gateway_port_, "/healthz").status == 200; }, std::chrono::seconds(30))) {
      throw std::runtime_error("gateway did not start: " + gateway_->Stderr());
    }
  }

  std::string trusted_keys_ = NewTrustedKeysDir();
  TestDatabase db_;
  TestBroker broker_;
  std::uint16_t auth_port_ = 0;
  std::uint16_t gateway_port_ = 0;
  std::unique_ptr<ChildProcess> auth_;
  std::unique_ptr<ChildProcess> gateway_;
  struct Backend {
    TestDatabase db;
    std::uint16_t port = 0;
    std::unique_ptr<ChildProcess> process;
  };
  std::vector<std::unique_ptr<Backend>> backends_;
  std::vector<std::string> backend_names_;
  http::Client client_;
};

}  // namespace pharmasys::testing
