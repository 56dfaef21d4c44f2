#include "config.hpp"

#include <gtest/gtest.h>

#include "env_support.hpp"

namespace pharmasys::gateway {
namespace {

using pharmasys::testing::fake_env;
using pharmasys::testing::FakeEnv;

using namespace std::chrono_literals;

TEST(GatewayConfig, DefaultsAndTheJwksUrlDerivedFromTheAuthUpstream) {
  fake_env = {{"PHARMASYS_UPSTREAM_AUTH", "http://127.0.0.1:8081/"}, {"PHARMASYS_UPSTREAM_ESTOQUE", "http://e:8084"}};
  config::Env env(&FakeEnv);
  auto config = LoadConfig(env);
  EXPECT_FALSE(ConfigurationProblems(env, config)) << *ConfigurationProblems(env, config);
  EXPECT_EQ(config.jwt.jwks_url, "http://127.0.0.1:8081/v1/auth/jwks");
  EXPECT_EQ(config.jwt.issuer, "http://localhost:8080/v1/auth");
  EXPECT_EQ(config.jwt.audience, "pharmasys");
  EXPECT_EQ(config.gateway.proxy.upstreams.size(), 2u);
  EXPECT_EQ(config.gateway.proxy.upstreams.at(Upstream::Estoque), "http://e:8084");
  EXPECT_EQ(config.gateway.proxy.timeout, 30s);
  EXPECT_EQ(config.gateway.per_user.requests, 600);
  EXPECT_EQ(config.gateway.per_ip.requests, 1200);
  EXPECT_EQ(config.gateway.per_ip.window, 60s);
  EXPECT_TRUE(config.gateway.cors_origins.empty());
  EXPECT_FALSE(config.gateway.web_root);
  EXPECT_EQ(config.gateway.web_content_security_policy, kDefaultContentSecurityPolicy);
  EXPECT_FALSE(config.redis_url);
}

TEST(GatewayConfig, ExplicitValues) {
  fake_env = {{"PHARMASYS_JWT_JWKS_URL", "http://keycloak:8080/realms/p/protocol/openid-connect/certs"},
              {"PHARMASYS_JWT_ISSUER", "http://keycloak:8080/realms/p"},
              {"PHARMASYS_UPSTREAM_TIMEOUT", "5s"},
              {"PHARMASYS_RATE_LIMIT_USER", "10/s"},
              {"PHARMASYS_RATE_LIMIT_IP", "off"},
              {"PHARMASYS_CORS_ORIGINS", "https://ui.example, http://localhost:5173"},
              {"PHARMASYS_TRUSTED_PROXIES", "10.0.0.1,10.0.0.2"},
              {"PHARMASYS_REDIS_URL", "redis://127.0.0.1:6380"},
              {"PHARMASYS_WEB_ROOT", "/tmp"},
              {"PHARMASYS_WEB_CSP", "default-src 'self'; frame-ancestors 'none'"}};
  config::Env env(&FakeEnv);
  auto config = LoadConfig(env);
  EXPECT_FALSE(ConfigurationProblems(env, config));
  EXPECT_EQ(config.gateway.web_content_security_policy, "default-src 'self'; frame-ancestors 'none'");
  EXPECT_EQ(config.jwt.issuer, "http://keycloak:8080/realms/p");
  EXPECT_EQ(config.gateway.proxy.timeout, 5s);
  EXPECT_EQ(config.gateway.per_user.window, 1s);
  EXPECT_FALSE(config.gateway.per_ip.enabled());
  EXPECT_EQ(config.gateway.cors_origins, (std::vector<std::string>{"https://ui.example", "http://localhost:5173"}));
  EXPECT_EQ(config.gateway.proxy.trusted_proxies, (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(config.redis_url, "redis://127.0.0.1:6380");
}

TEST(GatewayConfig, NamesEveryBadVariable) {
  fake_env = {{"PHARMASYS_RATE_LIMIT_USER", "lots"},     {"PHARMASYS_CORS_ORIGINS", "ftp://x,https://ok.example/path"},
              {"PHARMASYS_WEB_ROOT", "/no/such/folder"}, {"PHARMASYS_REDIS_URL", "http://r:6379"},
              {"PHARMASYS_UPSTREAM_CQ", "cq:8083"},      {"PHARMASYS_UPSTREAM_TIMEOUT", "soon"}};
  config::Env env(&FakeEnv);
  auto config = LoadConfig(env);
  LoadServerOptions(env);
  auto problems = ConfigurationProblems(env, config);
  ASSERT_TRUE(problems);
  for (const char* name :
       {"PHARMASYS_RATE_LIMIT_USER", "PHARMASYS_CORS_ORIGINS: 'ftp://x'",
        "PHARMASYS_CORS_ORIGINS: 'https://ok.example/path'", "PHARMASYS_WEB_ROOT", "PHARMASYS_REDIS_URL",
        "PHARMASYS_UPSTREAM_CQ", "PHARMASYS_UPSTREAM_TIMEOUT", "PHARMASYS_JWT_JWKS_URL"}) {
    EXPECT_NE(problems->find(name), std::string::npos) << name << " in " << *problems;
  }
}

TEST(GatewayConfig, AContentSecurityPolicyMustBeAHeaderValue) {
  for (const char* bad : {"", "   ", "default-src 'self'\r\nSet-Cookie: x=1", "default-src\t'self'\n"}) {
    fake_env = {{"PHARMASYS_UPSTREAM_AUTH", "http://a:1"}, {"PHARMASYS_WEB_CSP", bad}};
    config::Env env(&FakeEnv);
    auto config = LoadConfig(env);
    auto problems = ConfigurationProblems(env, config);
    ASSERT_TRUE(problems) << bad;
    EXPECT_NE(problems->find("PHARMASYS_WEB_CSP"), std::string::npos) << *problems;
  }
}

TEST(GatewayConfig, AVariableReadTwiceIsNamedOnce) {
  fake_env = {{"PHARMASYS_UPSTREAM_AUTH", "http://a:1"}, {"PHARMASYS_HTTP_PORT", "80a"}};
  config::Env env(&FakeEnv);
  env.Port("PHARMASYS_HTTP_PORT", 8080);  // as the Service does
  auto config = LoadConfig(env);
  LoadServerOptions(env);
  auto problems = ConfigurationProblems(env, config);
  ASSERT_TRUE(problems);
  EXPECT_EQ(problems->find("PHARMASYS_HTTP_PORT"), problems->rfind("PHARMASYS_HTTP_PORT"));
}

}  // namespace
}  // namespace pharmasys::gateway
