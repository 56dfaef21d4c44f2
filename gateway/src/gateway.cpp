#include "gateway.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>

#include "pharmasys/error.hpp"
#include "pharmasys/http/problem.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/metrics/metrics.hpp"
#include "routing.hpp"

namespace pharmasys::gateway {
namespace {

Error TooManyRequests(const Decision& decision, std::string_view limit_name, std::string_view whose) {
  metrics::Registry::Global().Increment("gateway_rate_limited_total", {{"limit", std::string(limit_name)}});
  Error error(429, "limite-de-taxa", "Limite de taxa excedido",
              "Limite de " + std::to_string(decision.limit) + " requisições por " + std::string(whose) +
                  " atingido. Tente novamente em " + std::to_string(decision.ResetSeconds()) + " s.");
  error.WithHeader("Retry-After", std::to_string(decision.ResetSeconds()));
  error.WithHeader("RateLimit-Limit", std::to_string(decision.limit));
  error.WithHeader("RateLimit-Remaining", "0");
  error.WithHeader("RateLimit-Reset", std::to_string(decision.ResetSeconds()));
  return error;
}

// The headers of the limit closest to running out.
void AddRateLimitHeaders(http::Response& response, const Decision& ip, const Decision& user) {
  const Decision* tightest = nullptr;
  for (const Decision* d : {&ip, &user}) {
    if (d->limit > 0 && (tightest == nullptr || d->remaining < tightest->remaining)) tightest = d;
  }
  if (tightest == nullptr) return;
  response.headers.Set("RateLimit-Limit", std::to_string(tightest->limit));
  response.headers.Set("RateLimit-Remaining", std::to_string(tightest->remaining));
  response.headers.Set("RateLimit-Reset", std::to_string(tightest->ResetSeconds()));
}

}  // namespace

Gateway::Gateway(GatewayOptions options, const http::Router& own_routes, std::shared_ptr<http::Client> client,
                 std::shared_ptr<RateLimiter> limiter, http::Middleware authenticate)
    : options_(std::move(options)),
      own_routes_(own_routes),
      limiter_(std::move(limiter)),
      authenticate_(std::move(authenticate)),
      proxy_(options_.proxy, std::move(client)),
      cors_(options_.cors_origins),
      static_files_(options_.web_root, options_.web_content_security_policy) {
  for (const auto& route : own_routes_.Routes()) {
    if (route.path_template.find('{') == std::string::npos && route.path_template != kMetricsPath) {
      own_paths_.insert(route.path_template);
    }
  }
  metrics::Registry::Global().Describe("gateway_rate_limited_total", "counter",
                                       "Requests refused with 429, by the limit that refused them (ip, user)");
}

http::Response Gateway::Handle(http::Request& request) const {
  http::Response response;
  try {
    response = Dispatch(request);
  } catch (...) {
    response = http::ResponseForException(std::current_exception(), request);
  }
  cors_.Decorate(request, response);
  return response;
}

http::Response Gateway::Dispatch(http::Request& request) const {
  if (own_paths_.contains(request.path)) return own_routes_.Dispatch(request);
  // The metrics tell how the plant is used: for the operator listener, not for the Internet.
  if (request.path == kMetricsPath) throw NotFound("Nenhum recurso em " + request.path + ".");
  if (Cors::IsPreflight(request)) {
    request.route = "preflight";
    return cors_.Preflight(request);
  }
  if (IsApiPath(request.path)) return Api(request);
  request.route = "web";
  return static_files_.Serve(request);
}

http::Response Gateway::Api(http::Request& request) const {
  if (HasDotSegment(request.path)) throw BadRequest("O caminho não pode ter segmentos '.' ou '..'.");
  auto match = Route(request.path);
  if (!match) throw NotFound("Nenhum recurso em " + request.path + ".");
  request.route = std::string(match->pattern);

  // Per address before the token check, so a flood of bad tokens is cut off cheaply.
  const Decision by_ip = limiter_->Check("ip", ClientAddress(request, options_.proxy.trusted_proxies), options_.per_ip);
  if (!by_ip.allowed) throw TooManyRequests(by_ip, "ip", "endereço");

  // Per user after it: the key is the verified `sub`, not whatever a token claims.
  Decision by_user;
  auto forward = [&](http::Request& r) {
    if (!r.principal.sub.empty()) {
      by_user = limiter_->Check("usuario", r.principal.sub, options_.per_user);
      if (!by_user.allowed) throw TooManyRequests(by_user, "user", "usuário");
    }
    return proxy_.Forward(r, match->upstream);
  };
  http::Response response =
      IsPublicEndpoint(request.method, request.path) ? forward(request) : authenticate_(request, forward);
  AddRateLimitHeaders(response, by_ip, by_user);
  return response;
}

http::Application OperatorApplication(const http::Router& own_routes) {
  return [&own_routes](http::Request& request) -> http::Response {
    if (request.path != kMetricsPath) throw NotFound("Nenhum recurso em " + request.path + ".");
    return own_routes.Dispatch(request);
  };
}

http::Application WithStrictTransportSecurity(http::Application application) {
  return [application = std::move(application)](http::Request& request) {
    http::Response response;
    try {
      response = application(request);
    } catch (...) {
      response = http::ResponseForException(std::current_exception(), request);
    }
    response.headers.Set("Strict-Transport-Security", std::string(kStrictTransportSecurity));
    return response;
  };
}

namespace {

// The host of a Host header without its port: a name or IPv4 address ([A-Za-z0-9.-]), or an
// IPv6 literal in brackets; nullopt for anything else (nothing of it goes into Location).
std::optional<std::string> HostWithoutPort(std::string_view host) {
  if (host.starts_with('[')) {
    auto close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    auto inside = host.substr(1, close - 1);
    bool ok = !inside.empty() && std::all_of(inside.begin(), inside.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
    return ok ? std::optional<std::string>(host.substr(0, close + 1)) : std::nullopt;
  }
  auto name = host.substr(0, host.find(':'));
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
  return ok ? std::optional<std::string>(name) : std::nullopt;
}

}  // namespace

http::Application RedirectToHttps(std::uint16_t https_port, http::Application application) {
  return [https_port, application = std::move(application)](http::Request& request) {
    if (request.path == "/healthz" || request.path == "/readyz") return application(request);
    auto host = HostWithoutPort(request.headers.GetOr("Host", ""));
    if (!host) throw BadRequest("Host ausente ou inválido: não há para onde redirecionar");
    std::string location = "https://" + *host + (https_port == 443 ? "" : ":" + std::to_string(https_port));
    location += request.target.starts_with('/') ? request.target : "/";
    auto response = http::Response::Empty(308);
    response.headers.Set("Location", location);
    return response;
  };
}

int RunServer(const http::ServerOptions& options, http::Application application,
              const http::ServerOptions& operator_options, http::Application operator_application,
              std::optional<HttpsListener> https) {
  http::Server operator_server(operator_options, std::move(operator_application));
  http::Server server(options, std::move(application));
  std::unique_ptr<http::Server> https_server;
  if (https) https_server = std::make_unique<http::Server>(https->options, std::move(https->application));
  try {
    operator_server.Start();
    if (https_server) https_server->Start();
    server.Start();
  } catch (const std::exception& e) {
    log::Error("cannot start", {{"error.message", e.what()}});
    std::cerr << "gateway: " << e.what() << "\n";
    return 1;
  }
  log::Info("listening", {{"server.address", options.address}, {"server.port", server.port()}});
  if (https_server) {
    log::Info("listening over TLS",
              {{"server.address", https->options.address}, {"server.port", https_server->port()}});
  }
  log::Info("serving metrics", {{"server.address", operator_options.address}, {"server.port", operator_server.port()}});
  server.RunUntilSignalled();
  if (https_server) https_server->Stop();
  operator_server.Stop();
  log::Info("stopped");
  return 0;
}

}  // namespace pharmasys::gateway
