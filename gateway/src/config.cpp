#include "config.hpp"

#include <algorithm>
#include <filesystem>

#include "pharmasys/redis/redis.hpp"
#include "pharmasys/service/service.hpp"
#include "routing.hpp"

namespace pharmasys::gateway {
namespace {

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

bool IsOrigin(const std::string& origin) {
  if (origin == "*") return true;
  std::string_view rest = origin;
  if (rest.starts_with("https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else {
    return false;
  }
  return !rest.empty() && rest.find('/') == std::string_view::npos;
}

RateLimit Limit(config::Env& env, const std::string& name, const std::string& fallback, GatewayConfig& config) {
  std::string text = env.String(name, fallback);
  if (auto limit = ParseRateLimit(text)) return *limit;
  config.problems.push_back(name + ": expected a limit such as 600/min, 20/s, 5000/h, 100/10s or off, got '" + text +
                            "'");
  return *ParseRateLimit(fallback);
}

void LoadTls(config::Env& env, GatewayConfig& config) {
  auto cert = env.Optional("PHARMASYS_TLS_CERT_FILE");
  auto key = env.Optional("PHARMASYS_TLS_KEY_FILE");
  config.redirect_to_https = env.Bool("PHARMASYS_HTTP_REDIRECT_TO_HTTPS", false);
  if (!env.Optional("PHARMASYS_HTTPS_PORT")) {
    for (const auto& [name, value] : {std::pair{"PHARMASYS_TLS_CERT_FILE", &cert}, {"PHARMASYS_TLS_KEY_FILE", &key}}) {
      if (*value) config.problems.push_back(std::string(name) + ": set, but PHARMASYS_HTTPS_PORT is not (no listener)");
    }
    if (config.redirect_to_https) {
      config.problems.push_back("PHARMASYS_HTTP_REDIRECT_TO_HTTPS: on, but PHARMASYS_HTTPS_PORT is not set");
    }
    return;
  }
  config.https_port = static_cast<std::uint16_t>(env.Port("PHARMASYS_HTTPS_PORT", 8443));
  if (!cert) config.problems.push_back("PHARMASYS_TLS_CERT_FILE: required with PHARMASYS_HTTPS_PORT (PEM chain)");
  if (!key) config.problems.push_back("PHARMASYS_TLS_KEY_FILE: required with PHARMASYS_HTTPS_PORT (PEM key)");
  if (!cert || !key) return;
  config.tls = {*cert, *key};
  if (auto problem = http::CheckTls(config.tls)) {
    bool about_key = problem->file == http::TlsProblem::File::Key;
    config.problems.push_back(std::string(about_key ? "PHARMASYS_TLS_KEY_FILE" : "PHARMASYS_TLS_CERT_FILE") + ": " +
                              problem->message);
  }
}

}  // namespace

GatewayConfig LoadConfig(config::Env& env) {
  GatewayConfig config;
  auto& gateway = config.gateway;
  for (Upstream upstream : kUpstreams) {
    std::string url = env.Url(std::string(VariableOf(upstream)), "");
    if (!url.empty()) gateway.proxy.upstreams[upstream] = url;
  }
  gateway.proxy.timeout = env.Duration("PHARMASYS_UPSTREAM_TIMEOUT", std::chrono::seconds(30));
  gateway.proxy.trusted_proxies = CommaList(env.String("PHARMASYS_TRUSTED_PROXIES", ""));
  gateway.per_user = Limit(env, "PHARMASYS_RATE_LIMIT_USER", "600/min", config);
  gateway.per_ip = Limit(env, "PHARMASYS_RATE_LIMIT_IP", "1200/min", config);

  gateway.cors_origins = CommaList(env.String("PHARMASYS_CORS_ORIGINS", ""));
  for (const auto& origin : gateway.cors_origins) {
    if (!IsOrigin(origin)) {
      config.problems.push_back("PHARMASYS_CORS_ORIGINS: '" + origin +
                                "' is not an origin (scheme://host[:port], no path) nor *");
    }
  }
  if (auto root = env.Optional("PHARMASYS_WEB_ROOT")) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*root, ec)) {
      config.problems.push_back("PHARMASYS_WEB_ROOT: '" + *root + "' is not a folder");
    }
    gateway.web_root = *root;
  }
  gateway.web_content_security_policy = env.String("PHARMASYS_WEB_CSP", std::string(kDefaultContentSecurityPolicy));
  const auto& csp = gateway.web_content_security_policy;
  if (csp.find_first_not_of(" \t") == std::string::npos) {
    config.problems.push_back("PHARMASYS_WEB_CSP: empty; unset it for the default policy");
  } else if (std::any_of(csp.begin(), csp.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    config.problems.push_back("PHARMASYS_WEB_CSP: control characters cannot go in a header");
  }

  config.redis_url = env.Optional("PHARMASYS_REDIS_URL");
  if (config.redis_url) {
    try {
      redis::ParseUrl(*config.redis_url);
    } catch (const std::invalid_argument& e) {
      config.problems.push_back(std::string("PHARMASYS_REDIS_URL: ") + e.what());
    }
  }
  config.redis_timeout = env.Duration("PHARMASYS_REDIS_TIMEOUT", std::chrono::milliseconds(250));

  config.jwt.issuer = env.String("PHARMASYS_JWT_ISSUER", "http://localhost:8080/v1/auth");
  config.jwt.audience = env.String("PHARMASYS_JWT_AUDIENCE", "pharmasys");
  config.jwt.jwks_url = env.Url("PHARMASYS_JWT_JWKS_URL", "");
  config.jwt.trusted_issuers = auth::TrustedIssuersFromEnv(env);
  if (config.jwt.jwks_url.empty() && !env.Optional("PHARMASYS_JWT_JWKS_URL")) {
    auto auth = gateway.proxy.upstreams.find(Upstream::Auth);
    if (auth != gateway.proxy.upstreams.end()) {
      config.jwt.jwks_url = auth->second + "/v1/auth/jwks";
    } else {
      config.problems.push_back(
          "PHARMASYS_JWT_JWKS_URL: required (the issuer's JWK Set URL, e.g. http://127.0.0.1:8081/v1/auth/jwks) "
          "unless PHARMASYS_UPSTREAM_AUTH is set");
    }
  }
  LoadTls(env, config);
  return config;
}

http::ServerOptions LoadServerOptions(config::Env& env) {
  // The gateway's workers mostly wait on the services (up to PHARMASYS_UPSTREAM_TIMEOUT each):
  // more of them than a service has, so a few slow calls do not hold up the rest, and on a
  // pool, so the event loop goes on reading and timing out connections meanwhile.
  return pharmasys::ServerOptionsFromEnv(env, 8080, 64, http::Dispatch::Pool);
}

http::ServerOptions LoadMetricsServerOptions(config::Env& env, const http::ServerOptions& public_options) {
  http::ServerOptions o = public_options;
  o.address = env.String("PHARMASYS_METRICS_ADDRESS", "127.0.0.1");
  o.port = static_cast<std::uint16_t>(env.Port("PHARMASYS_METRICS_PORT", 9080));
  o.io_threads = 1;
  o.worker_threads = 2;
  o.body_limit = 4096;  // a scrape is a GET
  return o;
}

std::optional<http::ServerOptions> HttpsServerOptions(const GatewayConfig& config,
                                                      const http::ServerOptions& public_options) {
  if (!config.https_port) return std::nullopt;
  http::ServerOptions o = public_options;
  o.port = *config.https_port;
  o.tls = config.tls;
  return o;
}

std::optional<std::string> ConfigurationProblems(const config::Env& env, const GatewayConfig& config) {
  // The HTTP variables are read twice (by the Service and for the server): name each once.
  std::vector<std::string> all;
  for (const auto* list : {&env.problems(), &config.problems}) {
    for (const auto& p : *list) {
      if (std::find(all.begin(), all.end(), p) == all.end()) all.push_back(p);
    }
  }
  if (all.empty()) return std::nullopt;
  std::string message = "invalid configuration:";
  for (const auto& p : all) message += "\n  - " + p;
  return message;
}

}  // namespace pharmasys::gateway
