#pragma once
// The gateway's configuration, from environment variables. Every problem found is collected
// so the start fails once, naming each bad variable.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "gateway.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/config/env.hpp"
#include "pharmasys/http/server.hpp"

namespace pharmasys::gateway {

struct GatewayConfig {
  GatewayOptions gateway;
  std::optional<std::string> redis_url;  // unset: rate limits are counted in this process
  std::chrono::milliseconds redis_timeout{250};
  auth::VerifierOptions jwt;
  // PHARMASYS_HTTPS_PORT (unset: no HTTPS listener) with PHARMASYS_TLS_CERT_FILE and
  // PHARMASYS_TLS_KEY_FILE (both required then, checked at start); PHARMASYS_HTTP_REDIRECT_TO_HTTPS
  // (off): the plain listener answers 308 to https.
  std::optional<std::uint16_t> https_port;
  http::TlsOptions tls;
  bool redirect_to_https = false;
  std::vector<std::string> problems;  // beside the ones `env` recorded
};

// PHARMASYS_UPSTREAM_<SERVICE>, PHARMASYS_UPSTREAM_TIMEOUT (30s), PHARMASYS_RATE_LIMIT_USER
// (600/min), PHARMASYS_RATE_LIMIT_IP (1200/min), PHARMASYS_REDIS_URL, PHARMASYS_REDIS_TIMEOUT
// (250ms), PHARMASYS_CORS_ORIGINS, PHARMASYS_WEB_ROOT, PHARMASYS_WEB_CSP (the Content-Security-Policy
// of the web UI, kDefaultContentSecurityPolicy), PHARMASYS_TRUSTED_PROXIES,
// PHARMASYS_JWT_ISSUER (http://localhost:8080/v1/auth), PHARMASYS_JWT_AUDIENCE (pharmasys) and
// PHARMASYS_JWT_JWKS_URL (required, unless PHARMASYS_UPSTREAM_AUTH is set: then
// <auth>/v1/auth/jwks).
GatewayConfig LoadConfig(config::Env& env);

// The listening options, from the same PHARMASYS_HTTP_* variables (and defaults) every
// service reads, except PHARMASYS_HTTP_WORKERS: 64 by default.
http::ServerOptions LoadServerOptions(config::Env& env);

// The operator listener, where the gateway's /metrics is served (never on the public port):
// PHARMASYS_METRICS_ADDRESS (127.0.0.1) and PHARMASYS_METRICS_PORT (9080); the timeouts of
// `public_options`, two workers.
http::ServerOptions LoadMetricsServerOptions(config::Env& env, const http::ServerOptions& public_options);

// The HTTPS listener of `config` (nullopt when PHARMASYS_HTTPS_PORT is unset): the address and
// limits of `public_options` on config.https_port, with config.tls.
std::optional<http::ServerOptions> HttpsServerOptions(const GatewayConfig& config,
                                                      const http::ServerOptions& public_options);

// "invalid configuration:\n  - ..." naming every problem, or nullopt when there is none.
std::optional<std::string> ConfigurationProblems(const config::Env& env, const GatewayConfig& config);

}  // namespace pharmasys::gateway
