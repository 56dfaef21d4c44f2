// The real service executables as processes: configuration errors, health, readiness,
// metrics, logs on stdout, and a clean exit on SIGTERM.
#include <gtest/gtest.h>

#include <sstream>

#include "http_support.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;

bool Healthy(std::uint16_t port) {
  return Get(port, "/healthz").status == 200;
}

TEST(ServiceBinary, AnswersHealthMetricsAndStopsCleanlyOnSigterm) {
  auto port = FreePort();
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_HTTP_PORT=" + std::to_string(port)});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << service.Stderr();

  auto health = Get(port, "/healthz");
  auto body = json::Parse(health.body);
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("servico").as_string(), "estoque");

  auto ready = Get(port, "/readyz");
  EXPECT_EQ(ready.status, 200);  // no dependencies configured

  Get(port, "/nope");
  auto metrics = Get(port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("http_server_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("route=\"unmatched\",status=\"404\""), std::string::npos);
  EXPECT_NE(metrics.body.find("http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le="),
            std::string::npos);
  EXPECT_NE(metrics.body.find("http_server_requests_in_flight"), std::string::npos);
  EXPECT_NE(metrics.body.find("process_resident_memory_bytes "), std::string::npos);

  service.Signal(SIGTERM);
  EXPECT_EQ(service.Wait(10000ms), 0);

  // Every stdout line is one ECS JSON object.
  std::istringstream lines(service.Stdout());
  std::string line;
  int count = 0;
  bool saw_404 = false;
  while (std::getline(lines, line)) {
    auto entry = json::Parse(line);
    EXPECT_EQ(entry.at("service.name").as_string(), "estoque");
    EXPECT_TRUE(entry.as_object().contains("@timestamp"));
    EXPECT_TRUE(entry.as_object().contains("log.level"));
    if (entry.as_object().contains("http.response.status_code") &&
        entry.at("http.response.status_code").as_int64() == 404) {
      saw_404 = true;
      EXPECT_EQ(entry.at("trace.id").as_string().size(), 32u);
      EXPECT_TRUE(entry.as_object().contains("http.request.id"));
    }
    ++count;
  }
  EXPECT_GE(count, 3);
  EXPECT_TRUE(saw_404);
}

TEST(ServiceBinary, BadConfigurationStopsTheStartNamingTheVariable) {
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_HTTP_PORT=80a", "PHARMASYS_HTTP_READ_TIMEOUT=soon"});
  EXPECT_EQ(service.Wait(10000ms), 2);
  auto err = service.Stderr();
  EXPECT_NE(err.find("PHARMASYS_HTTP_PORT"), std::string::npos) << err;
  EXPECT_NE(err.find("PHARMASYS_HTTP_READ_TIMEOUT"), std::string::npos) << err;
}

TEST(ServiceBinary, PortInUseIsAClearError) {
  auto port = FreePort();
  ChildProcess first(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_HTTP_PORT=" + std::to_string(port)});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); }));
  ChildProcess second(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_HTTP_PORT=" + std::to_string(port)});
  EXPECT_EQ(second.Wait(10000ms), 1);
  EXPECT_NE(second.Stderr().find(std::to_string(port)), std::string::npos);
}

TEST(ServiceBinary, ReadinessNamesTheUnreachableDependencyWithoutItsPassword) {
  auto port = FreePort();
  auto dead = FreePort();
  ChildProcess service(
      PHARMASYS_ESTOQUE_BIN,
      {"PHARMASYS_HTTP_PORT=" + std::to_string(port),
       "PHARMASYS_DB_URL=postgresql://estoque:pw-not-for-logs@127.0.0.1:" + std::to_string(dead) + "/estoque",
       "PHARMASYS_AMQP_URL=amqp://u:amqp-pw-not-for-logs@127.0.0.1:" + std::to_string(dead) + "/v"});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); }));
  auto ready = Get(port, "/readyz");
  EXPECT_EQ(ready.status, 503);
  auto body = json::Parse(ready.body);
  EXPECT_EQ(body.at("status").as_string(), "nao-pronto");
  std::string names;
  for (const auto& d : body.at("dependencias").as_array()) {
    EXPECT_FALSE(d.at("ok").as_bool());
    names += std::string(d.at("nome").as_string()) + " ";
  }
  EXPECT_NE(names.find("postgresql"), std::string::npos);
  EXPECT_NE(names.find("rabbitmq"), std::string::npos);
  EXPECT_EQ(ready.body.find("not-for-logs"), std::string::npos);
  service.Signal(SIGTERM);
  EXPECT_EQ(service.Wait(10000ms), 0);
  EXPECT_EQ(service.Stdout().find("not-for-logs"), std::string::npos);
}

TEST(ServiceBinary, GatewayIsReadyWhenItsUpstreamsAnswer) {
  auto upstream_port = FreePort();
  ChildProcess upstream(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_HTTP_PORT=" + std::to_string(upstream_port)});
  ASSERT_TRUE(Eventually([&] { return Healthy(upstream_port); }));
  auto port = FreePort();
  ChildProcess gateway(PHARMASYS_GATEWAY_BIN,
                       {"PHARMASYS_HTTP_PORT=" + std::to_string(port),
                        "PHARMASYS_UPSTREAM_ESTOQUE=http://127.0.0.1:" + std::to_string(upstream_port)});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << gateway.Stderr();
  EXPECT_EQ(Get(port, "/readyz").status, 200);
  upstream.Signal(SIGTERM);
  ASSERT_EQ(upstream.Wait(10000ms), 0);
  EXPECT_EQ(Get(port, "/readyz").status, 503);
}

}  // namespace
}  // namespace pharmasys
