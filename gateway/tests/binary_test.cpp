// The real pharmasys-gateway executable as a process: its configuration, the token check
// wired to the issuer's JWKS, and its behaviour while Redis is down.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "fake_service.hpp"
#include "http_support.hpp"
#include "pharmasys/json/json.hpp"
#include "token_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;

std::string TestRedisUrl() {
  const char* url = std::getenv("PHARMASYS_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error("PHARMASYS_TEST_REDIS_URL is not set: run the tests with ./pharmasys test");
  }
  return url;
}

bool Healthy(std::uint16_t port) {
  return Get(port, "/healthz").status == 200;
}

RawResponse Request(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::string& extra_headers = "") {
  return Exchange(port, method + " " + target + " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n" + extra_headers +
                            "Connection: close\r\n\r\n");
}

// The `dependencias` entry named `name` of a /readyz answer.
boost::json::object Dependency(const std::string& readyz_body, const std::string& name) {
  auto body = json::Parse(readyz_body);
  for (const auto& d : body.at("dependencias").as_array()) {
    if (d.at("nome").as_string() == name) return d.as_object();
  }
  ADD_FAILURE() << "no dependency " << name << " in " << readyz_body;
  return {};
}

int LinesContaining(const std::string& text, const std::string& needle) {
  std::istringstream lines(text);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) n += line.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

TEST(GatewayBinary, RefusesToStartWithoutTheIssuersKeys) {
  ChildProcess gateway(PHARMASYS_GATEWAY_BIN, {"PHARMASYS_HTTP_PORT=" + std::to_string(FreePort()),
                                               "PHARMASYS_UPSTREAM_ESTOQUE=http://127.0.0.1:8084"});
  EXPECT_EQ(gateway.Wait(10000ms), 2);
  EXPECT_NE(gateway.Stderr().find("PHARMASYS_JWT_JWKS_URL"), std::string::npos) << gateway.Stderr();
}

TEST(GatewayBinary, ChecksTokensAgainstTheJwksOfTheAuthServiceAndSharesLimitsInRedis) {
  TestIssuer issuer;  // the default issuer, http://localhost:8080/v1/auth
  FakeService auth("auth");
  auth.Serve("/v1/auth/jwks", issuer.Jwks());
  auto port = FreePort();
  ChildProcess gateway(
      PHARMASYS_GATEWAY_BIN,
      {"PHARMASYS_HTTP_PORT=" + std::to_string(port), "PHARMASYS_UPSTREAM_AUTH=" + auth.url(),
       "PHARMASYS_METRICS_PORT=" + std::to_string(FreePort()), "PHARMASYS_REDIS_URL=" + TestRedisUrl()});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << gateway.Stderr();
  auto ready = Get(port, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_TRUE(Dependency(ready.body, "limites-de-taxa").at("ok").as_bool());

  EXPECT_EQ(Request(port, "GET", "/v1/auth/me").status, 401);
  auto me = Request(port, "GET", "/v1/auth/me", "Authorization: Bearer " + issuer.AccessToken("u-1") + "\r\n");
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json::Parse(me.body).at("servico").as_string(), "auth");
  EXPECT_FALSE(me.headers["ratelimit-limit"].empty());
  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.Wait(10000ms), 0);
}

TEST(GatewayBinary, KeepsServingWithRedisDownLimitingLocallyAndSaysSo) {
  FakeService auth("auth");
  auto port = FreePort();
  ChildProcess gateway(PHARMASYS_GATEWAY_BIN,
                       {"PHARMASYS_HTTP_PORT=" + std::to_string(port), "PHARMASYS_UPSTREAM_AUTH=" + auth.url(),
                        "PHARMASYS_METRICS_PORT=" + std::to_string(FreePort()),
                        "PHARMASYS_REDIS_URL=redis://127.0.0.1:" + std::to_string(FreePort()),  // nothing there
                        "PHARMASYS_RATE_LIMIT_IP=3/min"});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << gateway.Stderr();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Request(port, "POST", "/v1/auth/token").status, 200);
  auto limited = Request(port, "POST", "/v1/auth/token");
  EXPECT_EQ(limited.status, 429);
  EXPECT_GE(std::stoi(limited.headers["retry-after"]), 1);
  EXPECT_EQ(auth.calls(), 3);

  auto ready = Get(port, "/readyz");
  EXPECT_EQ(ready.status, 200);  // still taking traffic, so a load balancer keeps it
  EXPECT_EQ(json::Parse(ready.body).at("status").as_string(), "degradado");
  EXPECT_FALSE(Dependency(ready.body, "redis").at("ok").as_bool());
  auto limits = Dependency(ready.body, "limites-de-taxa");
  EXPECT_FALSE(limits.at("ok").as_bool());
  EXPECT_NE(std::string(limits.at("erro").as_string()).find("in this process"), std::string::npos);
  EXPECT_TRUE(Dependency(ready.body, "PHARMASYS_UPSTREAM_AUTH").at("ok").as_bool());

  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.Wait(10000ms), 0);
  EXPECT_EQ(LinesContaining(gateway.Stdout(), "Redis unreachable"), 1) << gateway.Stdout();
}

TEST(GatewayBinary, ServesItsMetricsOnTheOperatorListenerAndNotOnThePublicPort) {
  FakeService auth("auth");
  auto port = FreePort();
  auto metrics_port = FreePort();
  ChildProcess gateway(PHARMASYS_GATEWAY_BIN,
                       {"PHARMASYS_HTTP_PORT=" + std::to_string(port), "PHARMASYS_UPSTREAM_AUTH=" + auth.url(),
                        "PHARMASYS_METRICS_PORT=" + std::to_string(metrics_port)});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << gateway.Stderr();
  EXPECT_EQ(Request(port, "GET", "/v1/auth/me").status, 401);  // something to count

  auto public_metrics = Request(port, "GET", "/metrics");
  EXPECT_EQ(public_metrics.status, 404);
  EXPECT_EQ(public_metrics.headers["content-type"], "application/problem+json");
  EXPECT_EQ(public_metrics.body.find("http_server_requests_total"), std::string::npos);

  auto metrics = Get(metrics_port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers["content-type"].rfind("text/plain; version=0.0.4", 0), 0u)
      << metrics.headers["content-type"];
  EXPECT_NE(metrics.body.find("# TYPE http_server_requests_total counter"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("route=\"/healthz\",status=\"200\""), std::string::npos) << metrics.body;
  EXPECT_EQ(Get(metrics_port, "/healthz").status, 404);  // the operator listener has the metrics only
  EXPECT_EQ(Request(metrics_port, "GET", "/v1/auth/me").status, 404);

  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.Wait(10000ms), 0);
  // By default on loopback only.
  bool said_where = false;
  std::istringstream lines(gateway.Stdout());
  std::string line;
  while (std::getline(lines, line)) {
    auto entry = json::Parse(line);
    if (entry.at("message").as_string() == "serving metrics") {
      said_where = true;
      EXPECT_EQ(entry.at("server.address").as_string(), "127.0.0.1");
      EXPECT_EQ(entry.at("server.port").as_int64(), metrics_port);
    }
  }
  EXPECT_TRUE(said_where) << gateway.Stdout();
}

}  // namespace
}  // namespace pharmasys
