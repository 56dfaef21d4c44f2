#pragma once
// Every service and the gateway, each service with its own database, on the test broker and
// Redis: the plant as a client reaches it. Used by the end-to-end and the browser suites.
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "http_support.hpp"
#include "plant_support.hpp"

namespace pharmasys::testing {

inline std::string PlantBin(const std::string& name) {
  return std::string(PHARMASYS_BIN_DIR) + "/pharmasys-" + name;
}

inline std::string PlantRedisUrl() {
  const char* url = std::getenv("PHARMASYS_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') throw std::runtime_error("PHARMASYS_TEST_REDIS_URL is not set");
  return url;
}

struct PlantOptions {
  std::uint16_t gateway_port = 0;     // 0: any free port
  std::vector<std::string> auth_env;  // extra settings for Auth
  std::vector<std::string> gateway_env;
  std::string web_root = PHARMASYS_WEB_ROOT;
};

class Plant : public ServiceUnderTest {
 public:
  std::string gateway;
  std::string estoque, cq, producao, relatorios;

  explicit Plant(PlantOptions options = {}) : ServiceUnderTest(std::move(options.auth_env)) {
    using namespace std::chrono_literals;
    estoque = StartService(PlantBin("estoque"));
    cq = StartService(PlantBin("cq"));
    producao = StartService(PlantBin("producao"),
                            {"PHARMASYS_AUTH_TOKEN_URL=" + token_url(), "PHARMASYS_CLIENT_ID=producao",
                             "PHARMASYS_CLIENT_SECRET=" + kProducaoSecret, "PHARMASYS_ESTOQUE_URL=" + estoque});
    relatorios = StartService(PlantBin("relatorios"), {"PHARMASYS_AUDIT_SOURCES=auth=" + auth_url() +
                                                       ",producao=" + producao + ",cq=" + cq + ",estoque=" + estoque});
    auto port = options.gateway_port != 0 ? options.gateway_port : FreePort();
    std::vector<std::string> env{"PHARMASYS_HTTP_PORT=" + std::to_string(port),
                                 "PHARMASYS_METRICS_PORT=" + std::to_string(FreePort()),
                                 "PHARMASYS_UPSTREAM_AUTH=" + auth_url(),
                                 "PHARMASYS_UPSTREAM_ESTOQUE=" + estoque,
                                 "PHARMASYS_UPSTREAM_CQ=" + cq,
                                 "PHARMASYS_UPSTREAM_PRODUCAO=" + producao,
                                 "PHARMASYS_UPSTREAM_RELATORIOS=" + relatorios,
                                 "PHARMASYS_JWT_JWKS_URL=" + auth_url() + "/v1/auth/jwks",
                                 "PHARMASYS_REDIS_URL=" + PlantRedisUrl(),
                                 "PHARMASYS_RATE_LIMIT_IP=100000/min",
                                 "PHARMASYS_RATE_LIMIT_USER=100000/min",
                                 "PHARMASYS_WEB_ROOT=" + options.web_root};
    for (auto& variable : IssuerEnv()) env.push_back(variable);
    env.insert(env.end(), options.gateway_env.begin(), options.gateway_env.end());
    gateway_process_ = std::make_unique<ChildProcess>(PlantBin("gateway"), env);
    if (!Eventually([&] { return testing::Get(port, "/readyz").status == 200; }, 60s)) {
      throw std::runtime_error("gateway did not start: " + gateway_process_->Stderr());
    }
    gateway = "http://127.0.0.1:" + std::to_string(port);
  }

 private:
  std::unique_ptr<ChildProcess> gateway_process_;
};

}  // namespace pharmasys::testing
