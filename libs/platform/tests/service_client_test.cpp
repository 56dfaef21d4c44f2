// The service-to-service client: what it repeats, what it never repeats, and how it reads
// the other service's problem document and health.
#include "pharmasys/http/service_client.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "http_support.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"

namespace pharmasys::http {
namespace {

using namespace std::chrono_literals;

class ServiceClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Fails the first `failures_` calls of each path with the status given, then answers.
    router_.Post("/v1/coisas", [this](Request& r) {
      ++posts_;
      last_key_ = std::string(r.headers.GetOr("Idempotency-Key", ""));
      if (posts_ <= failures_) return Response::Text(status_, "falhou");
      return Response::Text(201, "feito");
    });
    router_.Get("/v1/coisas", [this](Request& r) {
      ++gets_;
      last_authorization_ = std::string(r.headers.GetOr("Authorization", ""));
      if (gets_ <= failures_) return Response::Text(status_, "falhou");
      return Response::Text(200, "lido");
    });
    router_.Get("/v1/recusa", [](Request&) {
      auto res = Response::Text(409, R"({"type":"https://pharmasys.example/problems/estoque-insuficiente",)"
                                     R"("title":"Estoque insuficiente","status":409,"detail":"faltam 3 kg",)"
                                     R"("errors":[{"campo":"quantidade","mensagem":"maior que o saldo"}]})");
      res.headers.Set("Content-Type", "application/problem+json");
      return res;
    });
    router_.Get("/healthz", [this](Request&) { return Response::Text(healthy_ ? 200 : 503, "-"); });
    ServerOptions options;
    options.address = "127.0.0.1";
    options.shutdown_grace = 2000ms;
    server_ = std::make_unique<Server>(options, [this](Request& r) { return router_.Dispatch(r); });
    server_->Start();
  }

  ServiceClient Make(int attempts) {
    return ServiceClient({.name = "estoque",
                          .title = "Estoque",
                          .base_url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/",
                          .deadline = 2000ms,
                          .retry = {.attempts = attempts, .backoff = 10ms}},
                         client_);
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::shared_ptr<Client> client_ = std::make_shared<Client>();
  std::atomic<int> posts_{0}, gets_{0};
  int failures_ = 0;
  int status_ = 503;
  bool healthy_ = true;
  std::string last_key_, last_authorization_;
};

TEST_F(ServiceClientTest, AKeyedPostIsRepeatedWithItsKeyUntilTheServiceAnswers) {
  failures_ = 2;
  auto res = Make(4).Call({.method = Method::Post,
                           .path = "/v1/coisas",
                           .body = "{}",
                           .content_type = "application/json",
                           .idempotency_key = "k-1"});
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(posts_, 3);
  EXPECT_EQ(last_key_, "k-1");
}

TEST_F(ServiceClientTest, APostWithoutAKeyIsNeverRepeated) {
  failures_ = 2;
  auto res = Make(4).Call({.method = Method::Post, .path = "/v1/coisas", .body = "{}"});
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(posts_, 1);
}

TEST_F(ServiceClientTest, ARefusalIsNotRepeatedAndAfterTheLastAttemptTheAnswerIsGiven) {
  failures_ = 10;
  status_ = 422;
  EXPECT_EQ(Make(4).Call({.path = "/v1/coisas"}).status, 422);
  EXPECT_EQ(gets_, 1);
  gets_ = 0;
  status_ = 502;
  EXPECT_EQ(Make(3).Call({.path = "/v1/coisas"}).status, 502);
  EXPECT_EQ(gets_, 3);
}

TEST_F(ServiceClientTest, AForwardedAuthorizationGoesAsIs) {
  EXPECT_EQ(Make(1).Call({.path = "/v1/coisas", .authorization = "Bearer do-auditor"}).status, 200);
  EXPECT_EQ(last_authorization_, "Bearer do-auditor");
}

TEST_F(ServiceClientTest, NoAnswerWithinTheDeadlineThrowsAfterEveryAttempt) {
  router_.Get("/v1/lento", [this](Request&) {
    ++gets_;
    std::this_thread::sleep_for(600ms);
    return Response::Text(200, "tarde");
  });
  auto service = Make(2);
  EXPECT_THROW(service.Call({.path = "/v1/lento", .deadline = 100ms}), UpstreamError);
  EXPECT_TRUE(testing::Eventually([&] { return gets_ == 2; }, 3000ms));
}

TEST_F(ServiceClientTest, TheOtherServicesProblemBecomesOursNamingIt) {
  auto service = Make(1);
  auto res = service.Call({.path = "/v1/recusa"});
  EXPECT_FALSE(ServiceClient::Transient(res));
  Error e = service.ProblemOf(res);
  EXPECT_EQ(e.status(), 409);
  EXPECT_EQ(e.slug(), "estoque-insuficiente");
  EXPECT_EQ(std::string(e.detail()), "Estoque: faltam 3 kg");
  ASSERT_EQ(e.errors().size(), 1u);
  EXPECT_EQ(e.errors()[0].campo, "quantidade");

  Error garbled = service.ProblemOf({.status = 500, .headers = {}, .body = "<html>", .stream = nullptr});
  EXPECT_EQ(garbled.status(), 502);
  EXPECT_EQ(garbled.slug(), "estoque-indisponivel");
}

TEST_F(ServiceClientTest, HealthIsTheServicesHealthzAnswer) {
  auto service = Make(1);
  EXPECT_EQ(service.Healthy(), std::nullopt);
  healthy_ = false;
  ASSERT_TRUE(service.Healthy().has_value());
  EXPECT_NE(service.Healthy()->find("503"), std::string::npos);
  ServiceClient nobody({.name = "cq", .base_url = "http://127.0.0.1:" + std::to_string(testing::FreePort())}, client_);
  ASSERT_TRUE(nobody.Healthy(300ms).has_value());
}

}  // namespace
}  // namespace pharmasys::http
