#include "pharmasys/log/log.hpp"

#include <gtest/gtest.h>

#include <mutex>

#include "pharmasys/json/json.hpp"

namespace pharmasys::log {
namespace {

std::vector<std::string> captured;
void Capture(std::string_view line) {
  captured.emplace_back(line);
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    captured.clear();
    Configure("estoque", Level::Info);
    SetSink(&Capture);
  }
  void TearDown() override { SetSink(nullptr); }
};

TEST_F(LogTest, OneJsonObjectPerLineWithEcsNames) {
  Info("lote recebido", {{"lote.codigo", "L-1"}, {"quantidade", 5}, {"ok", true}});
  ASSERT_EQ(captured.size(), 1u);
  EXPECT_EQ(captured[0].find('\n'), std::string::npos);
  auto v = json::Parse(captured[0]);
  EXPECT_EQ(v.at("message").as_string(), "lote recebido");
  EXPECT_EQ(v.at("log.level").as_string(), "info");
  EXPECT_EQ(v.at("service.name").as_string(), "estoque");
  EXPECT_EQ(v.at("lote.codigo").as_string(), "L-1");
  EXPECT_EQ(v.at("quantidade").as_int64(), 5);
  std::string ts(v.at("@timestamp").as_string());
  EXPECT_EQ(ts.size(), 24u);
  EXPECT_EQ(ts.back(), 'Z');
}

TEST_F(LogTest, RequestContextAddsTraceAndRequestIds) {
  {
    ScopedContext ctx({"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "req-1"});
    Info("inside");
  }
  Info("outside");
  auto inside = json::Parse(captured.at(0));
  EXPECT_EQ(inside.at("trace.id").as_string(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(inside.at("span.id").as_string(), "00f067aa0ba902b7");
  EXPECT_EQ(inside.at("http.request.id").as_string(), "req-1");
  EXPECT_FALSE(json::Parse(captured.at(1)).as_object().contains("trace.id"));
}

// proves: X5
TEST_F(LogTest, SecretsNeverReachTheLine) {
  Warn("login", {{"senha", "hunter2-secret"},
                 {"password", "p4ss"},
                 {"http.request.headers.authorization", "Bearer eyJabc.def.ghi"},
                 {"refresh_token", "rt-123"},
                 {"client_secret", "cs-9"},
                 {"X-Assinatura", "sig-7"}});
  ASSERT_EQ(captured.size(), 1u);
  for (auto secret : {"hunter2-secret", "p4ss", "eyJabc", "rt-123", "cs-9", "sig-7"}) {
    EXPECT_EQ(captured[0].find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(captured[0].find("[REDACTED]"), std::string::npos);
}

TEST_F(LogTest, LevelFilterAndEscaping) {
  Debug("hidden");
  Error("quote \" and newline \n and control \x01");
  ASSERT_EQ(captured.size(), 1u);
  EXPECT_EQ(json::Parse(captured[0]).at("message").as_string(), "quote \" and newline \n and control \x01");
}

// proves: X5
TEST(RedactUrl, HidesPasswords) {
  EXPECT_EQ(RedactUrl("postgresql://estoque:s3cr3t@127.0.0.1:5433/estoque"),
            "postgresql://estoque:***@127.0.0.1:5433/estoque");
  EXPECT_EQ(RedactUrl("amqp://user@h/v"), "amqp://user@h/v");
  EXPECT_EQ(RedactUrl("http://h/a@b"), "http://h/a@b");
}

}  // namespace
}  // namespace pharmasys::log
