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

// Serves `application` on `options` and `operator_application` on `operator_options` until
// SIGTERM/SIGINT, then stops both gracefully. Returns the exit code (1 when a port cannot be
// bound).
int RunServer(const http::ServerOptions& options, http::Application application,
              const http::ServerOptions& operator_options, http::Application operator_application);

}  // namespace pharmasys::gateway
