// Composition root of the gateway: the single entry point on port 8080 (and over TLS on
// PHARMASYS_HTTPS_PORT when set), and its metrics on the operator listener (127.0.0.1:9080).
#include <iostream>

#include "config.hpp"
#include "gateway.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/service_client.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/service/service.hpp"

using namespace pharmasys;

int main(int argc, char** argv) {
  Service service("gateway", 8080);
  auto config = gateway::LoadConfig(service.env());
  auto client = std::make_shared<http::Client>();
  // Ready only when every upstream service answers its /healthz.
  for (const auto& [upstream, url] : config.gateway.proxy.upstreams) {
    http::ServiceClient upstream_service({.name = std::string(gateway::NameOf(upstream)), .base_url = url}, client);
    service.AddReadinessCheck(std::string(gateway::VariableOf(upstream)),
                              [upstream_service] { return upstream_service.Healthy(); });
  }
  // `routes`, `help`: the Service's commands. Serving is the gateway's own application (a
  // prefix proxy, not the Service's router).
  if (argc > 1 && std::string_view(argv[1]) != "serve") return service.Run(argc, argv);

  auto server_options = gateway::LoadServerOptions(service.env());
  auto metrics_options = gateway::LoadMetricsServerOptions(service.env(), server_options);
  if (auto problems = gateway::ConfigurationProblems(service.env(), config)) {
    log::Error(*problems, {{"event.reason", "configuration"}});
    std::cerr << "gateway: " << *problems << "\n";
    return 2;
  }

  std::unique_ptr<redis::Client> redis;
  if (config.redis_url) {
    redis = std::make_unique<redis::Client>(redis::Options{.url = *config.redis_url,
                                                           .connect_timeout = config.redis_timeout,
                                                           .command_timeout = config.redis_timeout,
                                                           .max_idle = server_options.worker_threads});
  } else {
    log::Warn("PHARMASYS_REDIS_URL not set; rate limits are counted in this process only");
  }
  auto limiter = std::make_shared<gateway::RateLimiter>(std::move(redis));
  // Without Redis the limits are counted in this process: serving, but degraded.
  if (config.redis_url) {
    service.AddReadinessCheck(
        "limites-de-taxa", [limiter] { return limiter->Readiness(); }, false);
  }

  // Tokens are checked against the issuer's JWKS, fetched over the same client. The public
  // endpoints never reach the check: the gateway tells them by method and exact path.
  auto verifier = std::make_shared<auth::JwtVerifier>(config.jwt, client);
  gateway::Gateway app(config.gateway, service.router(), client, limiter, auth::Authenticate(verifier));
  http::Application application = [&app](http::Request& r) { return app.Handle(r); };
  std::optional<gateway::HttpsListener> https;
  if (auto https_options = gateway::HttpsServerOptions(config, server_options)) {
    https = gateway::HttpsListener{*https_options, gateway::WithStrictTransportSecurity(application)};
  }
  http::Application plain =
      config.redirect_to_https ? gateway::RedirectToHttps(*config.https_port, application) : application;
  return gateway::RunServer(server_options, std::move(plain), metrics_options,
                            gateway::OperatorApplication(service.router()), std::move(https));
}
