#pragma once
// The gateway's application: what the HTTP server calls for every request.
//
//   /healthz, /readyz, /metrics   the service's own routes
//   OPTIONS preflight             answered here (CORS)
//   /v1/...                       per-IP limit → token check (public endpoints excepted) →
//                                 per-user limit → the owning service (proxy.hpp)
//   anything else                 the web UI's static files
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
};

class Gateway {
 public:
  // `own_routes` answers its literal paths (/healthz, /readyz, /metrics); `authenticate` is
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

// Serves `application` until SIGTERM/SIGINT, then stops gracefully. Returns the exit code
// (1 when the port cannot be bound).
int RunServer(const http::ServerOptions& options, http::Application application);

}  // namespace pharmasys::gateway
