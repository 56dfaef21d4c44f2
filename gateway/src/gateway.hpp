#pragma once
// The gateway's application: what the HTTP server calls for every request.
//
//   /healthz, /readyz             the service's own routes
//   /metrics                      404 here: served on the operator listener only
//   OPTIONS preflight             answered here (CORS)
//   /v1/...                       per-IP limit → token check (public endpoints excepted) →
//                                 per-user limit → the owning service (proxy.hpp)
//   anything else                 the web UI's static files, index.html for its own routes
//
// Errors become problem documents here, so that CORS headers go on them too.
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cors.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "proxy.hpp"
#include "rate_limit.hpp"
#include "static_files.hpp"

namespace pharmasys::gateway {

struct GatewayOptions {
  ProxyOptions proxy;
  RateLimit per_user{600, std::chrono::minutes(1)};
  RateLimit per_ip{1200, std::chrono::minutes(1)};
  std::vector<std::string> cors_origins;
  std::optional<std::filesystem::path> web_root;
  std::string web_content_security_policy = std::string(kDefaultContentSecurityPolicy);
};

class Gateway {
 public:
  // `own_routes` answers its literal paths (/healthz, /readyz) but /metrics, which is for the
  // operator listener (OperatorApplication); `authenticate` is
  // the access-token middleware (auth::Authenticate), run on every API call but the public
  // endpoints.
  Gateway(GatewayOptions options, const http::Router& own_routes, std::shared_ptr<http::Client> client,
          std::shared_ptr<RateLimiter> limiter, http::Middleware authenticate);

  http::Response Handle(http::Request& request) const;

 private:
  http::Response Dispatch(http::Request& request) const;
  http::Response Api(http::Request& request) const;

  GatewayOptions options_;
  const http::Router& own_routes_;
  std::set<std::string, std::less<>> own_paths_;
  std::shared_ptr<RateLimiter> limiter_;
  http::Middleware authenticate_;
  Proxy proxy_;
  Cors cors_;
  StaticFiles static_files_;
};

// The path of the metrics, kept off the public port.
inline constexpr std::string_view kMetricsPath = "/metrics";

// What the operator listener answers: `own_routes`' /metrics, and 404 for anything else.
http::Application OperatorApplication(const http::Router& own_routes);

// The HSTS header of every HTTPS answer (RFC 6797: sent over TLS only, never on plain HTTP).
inline constexpr std::string_view kStrictTransportSecurity = "max-age=31536000";

// `application` with Strict-Transport-Security on every response (problems included): what
// the HTTPS listener serves.
http::Application WithStrictTransportSecurity(http::Application application);

// The plain listener when PHARMASYS_HTTP_REDIRECT_TO_HTTPS is on: 308 to the same host and
// target on `https_port` (":443" left out), except /healthz and /readyz, which `application`
// still answers for probes that speak plain HTTP; 400 without a usable Host.
http::Application RedirectToHttps(std::uint16_t https_port, http::Application application);

struct HttpsListener {
  http::ServerOptions options;  // with options.tls set
  http::Application application;
};

// Serves `application` on `options`, `operator_application` on `operator_options` and, when
// given, `https` on its own port, until SIGTERM/SIGINT, then stops them all gracefully.
// Returns the exit code (1 when a port cannot be bound or the TLS files cannot be loaded).
int RunServer(const http::ServerOptions& options, http::Application application,
              const http::ServerOptions& operator_options, http::Application operator_application,
              std::optional<HttpsListener> https = std::nullopt);

}  // namespace pharmasys::gateway
