// The gateway executable with its HTTPS listener: the same application over TLS with HSTS,
// plain HTTP without it (RFC 6797), the optional redirect, and the TLS configuration errors.
#include <gtest/gtest.h>

#include "fake_service.hpp"
#include "http_support.hpp"
#include "tls_support.hpp"
#include "token_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;

class GatewayHttps : public ::testing::Test {
 protected:
  void SetUp() override { auth_.Serve("/v1/auth/jwks", issuer_.Jwks()); }

  std::vector<std::string> Environment(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> env{
        "PHARMASYS_HTTP_PORT=" + std::to_string(plain_),        "PHARMASYS_HTTPS_PORT=" + std::to_string(https_),
        "PHARMASYS_TLS_CERT_FILE=" + pki_.certificate(),        "PHARMASYS_TLS_KEY_FILE=" + pki_.key(),
        "PHARMASYS_METRICS_PORT=" + std::to_string(FreePort()), "PHARMASYS_UPSTREAM_AUTH=" + auth_.url()};
    // NAME=value in `extra` replaces NAME (a child reads the first of two).
    for (const auto& setting : extra) {
      auto name = setting.substr(0, setting.find('=') + 1);
      std::erase_if(env, [&](const std::string& e) { return e.starts_with(name); });
      env.push_back(setting);
    }
    return env;
  }

  TlsResult Https(const std::string& target) { return TlsGet(https_, target, {.ca_file = pki_.ca()}); }

  TestIssuer issuer_;
  FakeService auth_{"auth"};
  TestPki pki_;
  std::uint16_t plain_ = FreePort();
  std::uint16_t https_ = FreePort();
};

TEST_F(GatewayHttps, AnswersOverTlsWithHstsAndOverPlainHttpWithout) {
  ChildProcess gateway(PHARMASYS_GATEWAY_BIN, Environment());
  ASSERT_TRUE(Eventually([&] { return Https("/healthz").response.status == 200; })) << gateway.Stderr();

  auto health = Https("/healthz");
  EXPECT_EQ(health.response.headers["strict-transport-security"], "max-age=31536000");
  // The same application: the proxy and the token check, and HSTS on its problems too.
  auto me = Https("/v1/auth/me");
  EXPECT_EQ(me.response.status, 401) << me.error;
  EXPECT_EQ(me.response.headers["strict-transport-security"], "max-age=31536000");

  auto plain = Get(plain_, "/healthz");
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.headers.count("strict-transport-security"), 0u);
  auto plain_problem = Get(plain_, "/v1/auth/me");
  EXPECT_EQ(plain_problem.status, 401);
  EXPECT_EQ(plain_problem.headers.count("strict-transport-security"), 0u);

  // Plain HTTP on the HTTPS port is closed without an answer; the listener serves on.
  EXPECT_EQ(Get(https_, "/healthz").status, 0);
  EXPECT_EQ(Https("/healthz").response.status, 200);
  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.Wait(10000ms), 0) << gateway.Stderr();
}

TEST_F(GatewayHttps, RedirectsPlainHttpWhenAskedButStillAnswersProbes) {
  ChildProcess gateway(PHARMASYS_GATEWAY_BIN, Environment({"PHARMASYS_HTTP_REDIRECT_TO_HTTPS=on"}));
  ASSERT_TRUE(Eventually([&] { return Get(plain_, "/healthz").status == 200; })) << gateway.Stderr();

  auto redirected =
      Exchange(plain_, "GET /v1/lotes?status=liberado HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(redirected.status, 308);
  EXPECT_EQ(redirected.headers["location"],
            "https://localhost:" + std::to_string(https_) + "/v1/lotes?status=liberado");
  EXPECT_EQ(redirected.headers.count("strict-transport-security"), 0u);
  auto ipv6 = Exchange(plain_, "GET / HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(ipv6.headers["location"], "https://[::1]:" + std::to_string(https_) + "/");
  // Nothing of a Host that is not a host name goes into Location.
  auto odd = Exchange(plain_, "GET / HTTP/1.1\r\nHost: evil.example/x?\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(odd.status, 400);
  EXPECT_EQ(odd.headers.count("location"), 0u);

  EXPECT_EQ(Https("/healthz").response.status, 200);
  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.Wait(10000ms), 0) << gateway.Stderr();
}

TEST_F(GatewayHttps, AKeyThatIsNotTheCertificatesIsAConfigurationError) {
  ChildProcess gateway(PHARMASYS_GATEWAY_BIN, Environment({"PHARMASYS_TLS_KEY_FILE=" + pki_.other_key()}));
  EXPECT_EQ(gateway.Wait(10000ms), 2);
  EXPECT_NE(gateway.Stderr().find("PHARMASYS_TLS_KEY_FILE: '" + pki_.other_key() + "'"), std::string::npos)
      << gateway.Stderr();
}

TEST(GatewayHttpsConfiguration, TheFilesAreRequiredWithThePortAndThePortWithThem) {
  TestIssuer issuer;
  FakeService auth("auth");
  auth.Serve("/v1/auth/jwks", issuer.Jwks());
  ChildProcess no_files(PHARMASYS_GATEWAY_BIN, {"PHARMASYS_HTTP_PORT=" + std::to_string(FreePort()),
                                                "PHARMASYS_HTTPS_PORT=" + std::to_string(FreePort()),
                                                "PHARMASYS_UPSTREAM_AUTH=" + auth.url()});
  EXPECT_EQ(no_files.Wait(10000ms), 2);
  EXPECT_NE(no_files.Stderr().find("PHARMASYS_TLS_CERT_FILE: required"), std::string::npos) << no_files.Stderr();
  EXPECT_NE(no_files.Stderr().find("PHARMASYS_TLS_KEY_FILE: required"), std::string::npos) << no_files.Stderr();

  ChildProcess no_port(PHARMASYS_GATEWAY_BIN,
                       {"PHARMASYS_HTTP_PORT=" + std::to_string(FreePort()), "PHARMASYS_TLS_CERT_FILE=/etc/hostname",
                        "PHARMASYS_HTTP_REDIRECT_TO_HTTPS=on", "PHARMASYS_UPSTREAM_AUTH=" + auth.url()});
  EXPECT_EQ(no_port.Wait(10000ms), 2);
  EXPECT_NE(no_port.Stderr().find("PHARMASYS_TLS_CERT_FILE: set, but PHARMASYS_HTTPS_PORT is not"), std::string::npos)
      << no_port.Stderr();
  EXPECT_NE(no_port.Stderr().find("PHARMASYS_HTTP_REDIRECT_TO_HTTPS: on, but"), std::string::npos) << no_port.Stderr();

  TestPki pki;
  ChildProcess missing(
      PHARMASYS_GATEWAY_BIN,
      {"PHARMASYS_HTTP_PORT=" + std::to_string(FreePort()), "PHARMASYS_HTTPS_PORT=" + std::to_string(FreePort()),
       "PHARMASYS_TLS_CERT_FILE=" + pki.Path("absent.pem"), "PHARMASYS_TLS_KEY_FILE=" + pki.key(),
       "PHARMASYS_UPSTREAM_AUTH=" + auth.url()});
  EXPECT_EQ(missing.Wait(10000ms), 2);
  EXPECT_NE(missing.Stderr().find("PHARMASYS_TLS_CERT_FILE: '" + pki.Path("absent.pem") + "' is not a file"),
            std::string::npos)
      << missing.Stderr();
}

}  // namespace
}  // namespace pharmasys
