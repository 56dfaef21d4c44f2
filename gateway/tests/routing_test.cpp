// The gateway's pure decisions: the routing table, public endpoints, dot segments, header
// forwarding, client addresses, limits and content types.
#include "routing.hpp"

#include <gtest/gtest.h>

#include "forwarding.hpp"
#include "rate_limit.hpp"
#include "static_files.hpp"

namespace pharmasys::gateway {
namespace {

using namespace std::chrono_literals;

TEST(Routing, EveryPrefixOfTheContractGoesToItsService) {
  const std::pair<const char*, Upstream> cases[] = {
      {"/v1/auth/token", Upstream::Auth},
      {"/v1/auth/.well-known/openid-configuration", Upstream::Auth},
      {"/v1/usuarios", Upstream::Auth},
      {"/v1/usuarios/0190/senha", Upstream::Auth},
      {"/v1/receitas", Upstream::Producao},
      {"/v1/ordens-producao/0190/etapas/2/registros", Upstream::Producao},
      {"/v1/especificacoes/MAT-1", Upstream::Cq},
      {"/v1/amostras", Upstream::Cq},
      {"/v1/laudos/0190", Upstream::Cq},
      {"/v1/desvios/0190/encerrar", Upstream::Cq},
      {"/v1/recolhimentos", Upstream::Cq},
      {"/v1/cq/lotes/0190", Upstream::Cq},
      {"/v1/materiais", Upstream::Estoque},
      {"/v1/recebimentos", Upstream::Estoque},
      {"/v1/estoque/saldos", Upstream::Estoque},
      {"/v1/expedicoes/0190/confirmar", Upstream::Estoque},
      {"/v1/devolucoes/0190/avaliar", Upstream::Estoque},
      {"/v1/relatorios/rastreabilidade/L-1", Upstream::Relatorios},
  };
  for (const auto& [path, owner] : cases) {
    auto match = Route(path);
    ASSERT_TRUE(match) << path;
    EXPECT_EQ(match->upstream, owner) << path;
  }
  EXPECT_EQ(Route("/v1/ordens-producao/1")->pattern, "/v1/ordens-producao*");
  EXPECT_EQ(Route("/v1/cq/lotes/1")->pattern, "/v1/cq/*");
}

TEST(Routing, PathsOutsideTheTableMatchNothing) {
  for (const char* path : {"/v1/auth", "/v1/auth/", "/v1/cq", "/v1/estoque", "/v1/relatorios", "/v1/materiaisx",
                           "/v1/materiais/", "/v1/nada", "/v1", "/v1/", "/v2/materiais", "/materiais", "/"}) {
    EXPECT_FALSE(Route(path)) << path;
  }
  EXPECT_TRUE(IsApiPath("/v1"));
  EXPECT_TRUE(IsApiPath("/v1/nada"));
  EXPECT_FALSE(IsApiPath("/v10/x"));
  EXPECT_FALSE(IsApiPath("/index.html"));
}

TEST(Routing, OnlyTheTokenEndpointsAndKeysArePublic) {
  using http::Method;
  EXPECT_TRUE(IsPublicEndpoint(Method::Post, "/v1/auth/token"));
  EXPECT_TRUE(IsPublicEndpoint(Method::Post, "/v1/auth/revogar"));
  EXPECT_TRUE(IsPublicEndpoint(Method::Get, "/v1/auth/.well-known/openid-configuration"));
  EXPECT_TRUE(IsPublicEndpoint(Method::Get, "/v1/auth/jwks"));
  EXPECT_TRUE(IsPublicEndpoint(Method::Get, "/v1/auth/autorizar"));   // the sign-in page
  EXPECT_TRUE(IsPublicEndpoint(Method::Post, "/v1/auth/autorizar"));  // its form
  EXPECT_FALSE(IsPublicEndpoint(Method::Put, "/v1/auth/autorizar"));
  EXPECT_FALSE(IsPublicEndpoint(Method::Get, "/v1/auth/autorizar/x"));
  EXPECT_FALSE(IsPublicEndpoint(Method::Get, "/v1/auth/token"));
  EXPECT_FALSE(IsPublicEndpoint(Method::Post, "/v1/auth/token/x"));
  EXPECT_FALSE(IsPublicEndpoint(Method::Post, "/v1/auth/assinaturas"));
  EXPECT_FALSE(IsPublicEndpoint(Method::Get, "/v1/auth/me"));
  EXPECT_FALSE(IsPublicEndpoint(Method::Delete, "/v1/auth/jwks"));
}

TEST(Routing, DotSegmentsAreFoundAlsoWhenEncoded) {
  for (const char* path : {"/v1/auth/token/../../usuarios", "/v1/./materiais", "/v1/auth/token/%2e%2e/x",
                           "/v1/auth/token/%2E./x", "/v1/x/.%2e", "/.."}) {
    EXPECT_TRUE(HasDotSegment(path)) << path;
  }
  for (const char* path : {"/v1/materiais", "/v1/materiais/a.b", "/v1/x/...", "/v1/x/.hidden", "//v1", "/"}) {
    EXPECT_FALSE(HasDotSegment(path)) << path;
  }
}

http::Request RequestFrom(std::string peer, std::vector<std::pair<std::string, std::string>> headers) {
  http::Request r;
  r.remote_address = std::move(peer);
  for (auto& [n, v] : headers) r.headers.Add(n, v);
  r.request_id = "req-1";
  r.trace.trace_id = std::string(32, 'a');
  r.trace.span_id = std::string(16, 'b');
  return r;
}

TEST(Forwarding, TheClientAddressIsThePeerUnlessThePeerIsATrustedProxy) {
  auto direct = RequestFrom("203.0.113.9", {{"X-Forwarded-For", "10.9.9.9"}});
  EXPECT_EQ(ClientAddress(direct, {}), "203.0.113.9");  // a client cannot pick its own bucket
  EXPECT_EQ(ClientAddress(direct, {"10.0.0.1"}), "203.0.113.9");

  auto proxied = RequestFrom("10.0.0.1", {{"X-Forwarded-For", "1.1.1.1, 198.51.100.7, 10.0.0.2"}});
  EXPECT_EQ(ClientAddress(proxied, {"10.0.0.1", "10.0.0.2"}), "198.51.100.7");
  auto bare = RequestFrom("10.0.0.1", {});
  EXPECT_EQ(ClientAddress(bare, {"10.0.0.1"}), "10.0.0.1");
}

TEST(Forwarding, UpstreamHeadersAreAnAllowListPlusIdTraceAndForwarded) {
  auto r =
      RequestFrom("203.0.113.9", {{"Authorization", "Bearer t"},
                                  {"content-type", "application/json"},
                                  {"Idempotency-Key", "k"},
                                  {"If-Match", "\"3\""},
                                  {"X-Assinatura", "s"},
                                  {"Accept", "application/pdf"},
                                  {"Origin", "https://gw.example:8080"},
                                  {"Sec-Fetch-Site", "same-origin"},
                                  {"Host", "gw.example:8080"},
                                  {"Connection", "keep-alive, X-Secret"},
                                  {"X-Secret", "1"},
                                  {"Proxy-Authorization", "Basic x"},
                                  {"TE", "trailers"},
                                  {"X-Forwarded-For", "6.6.6.6"},
                                  {"X-Forwarded-Proto", "https"},
                                  {"traceparent", "00-" + std::string(32, 'c') + "-" + std::string(16, 'd') + "-01"}});
  auto h = UpstreamHeaders(r, {});
  EXPECT_EQ(h.GetOr("Authorization", ""), "Bearer t");
  EXPECT_EQ(h.GetOr("Content-Type", ""), "application/json");
  EXPECT_EQ(h.GetOr("Idempotency-Key", ""), "k");
  EXPECT_EQ(h.GetOr("If-Match", ""), "\"3\"");
  EXPECT_EQ(h.GetOr("X-Assinatura", ""), "s");
  EXPECT_EQ(h.GetOr("Accept", ""), "application/pdf");
  EXPECT_EQ(h.GetOr("Origin", ""), "https://gw.example:8080");  // for the sign-in form's CSRF check
  EXPECT_EQ(h.GetOr("Sec-Fetch-Site", ""), "same-origin");
  EXPECT_EQ(h.GetOr("X-Request-Id", ""), "req-1");
  EXPECT_EQ(h.GetOr("traceparent", ""), "00-" + std::string(32, 'a') + "-" + std::string(16, 'b') + "-01");
  EXPECT_EQ(h.GetOr("X-Forwarded-For", ""), "203.0.113.9");  // the client's own value is not believed
  EXPECT_EQ(h.GetOr("X-Forwarded-Proto", ""), "http");
  EXPECT_EQ(h.GetOr("X-Forwarded-Host", ""), "gw.example:8080");
  for (const char* dropped : {"Connection", "X-Secret", "Proxy-Authorization", "TE", "Host"}) {
    EXPECT_FALSE(h.Get(dropped)) << dropped;
  }
  auto behind = RequestFrom("10.0.0.1", {{"X-Forwarded-For", "198.51.100.7"}, {"X-Forwarded-Proto", "https"}});
  auto hb = UpstreamHeaders(behind, {"10.0.0.1"});
  EXPECT_EQ(hb.GetOr("X-Forwarded-For", ""), "198.51.100.7, 10.0.0.1");
  EXPECT_EQ(hb.GetOr("X-Forwarded-Proto", ""), "https");
}

TEST(Forwarding, DownstreamHeadersLoseHopByHopAndGatewayOwnedFields) {
  http::Headers from;
  for (auto [n, v] : std::initializer_list<std::pair<const char*, const char*>>{{"Content-Type", "application/json"},
                                                                                {"ETag", "\"7\""},
                                                                                {"Location", "/v1/materiais/1"},
                                                                                {"Idempotent-Replayed", "true"},
                                                                                {"Connection", "keep-alive, X-Hop"},
                                                                                {"X-Hop", "1"},
                                                                                {"Keep-Alive", "timeout=5"},
                                                                                {"Transfer-Encoding", "chunked"},
                                                                                {"Trailer", "X-T"},
                                                                                {"Upgrade", "h2c"},
                                                                                {"Proxy-Authenticate", "Basic"},
                                                                                {"Content-Length", "12"},
                                                                                {"X-Request-Id", "other"},
                                                                                {"Access-Control-Allow-Origin", "*"}}) {
    from.Add(n, v);
  }
  auto out = DownstreamHeaders(from);
  EXPECT_EQ(out.GetOr("Content-Type", ""), "application/json");
  EXPECT_EQ(out.GetOr("ETag", ""), "\"7\"");
  EXPECT_EQ(out.GetOr("Location", ""), "/v1/materiais/1");
  EXPECT_EQ(out.GetOr("Idempotent-Replayed", ""), "true");
  EXPECT_EQ(out.size(), 4u);
}

TEST(RateLimits, ParseTheConfiguredForms) {
  auto per_minute = ParseRateLimit("600/min");
  ASSERT_TRUE(per_minute);
  EXPECT_EQ(per_minute->requests, 600);
  EXPECT_EQ(per_minute->window, 60s);
  EXPECT_EQ(ParseRateLimit("20/s")->window, 1s);
  EXPECT_EQ(ParseRateLimit("5000/h")->window, 1h);
  EXPECT_EQ(ParseRateLimit("100/10s")->window, 10s);
  EXPECT_EQ(ParseRateLimit("7/m")->window, 60s);
  EXPECT_FALSE(ParseRateLimit("off")->enabled());
  for (const char* bad : {"", "600", "0/min", "-1/min", "600/", "600/day", "x/min", "600/0s", "600/min "}) {
    EXPECT_FALSE(ParseRateLimit(bad)) << bad;
  }
}

TEST(RateLimits, DecideCountsDownToTheLimit) {
  RateLimit three{3, 60s};
  auto first = Decide(1, 59500ms, three);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.remaining, 2);
  EXPECT_EQ(first.ResetSeconds(), 60);
  EXPECT_TRUE(Decide(3, 1ms, three).allowed);
  auto over = Decide(4, 1ms, three);
  EXPECT_FALSE(over.allowed);
  EXPECT_EQ(over.remaining, 0);
  EXPECT_EQ(over.ResetSeconds(), 1);  // never 0: Retry-After: 0 invites a busy loop
  EXPECT_TRUE(Decide(1000, 1ms, RateLimit{0, 60s}).allowed);
}

TEST(RateLimits, LocalWindowsCountPerKeyAndStartOver) {
  LocalWindows windows;
  auto t0 = LocalWindows::Clock::now();
  EXPECT_EQ(windows.Increment("a", 1s, t0).count, 1);
  EXPECT_EQ(windows.Increment("a", 1s, t0 + 100ms).count, 2);
  EXPECT_EQ(windows.Increment("a", 1s, t0 + 100ms).resets_in, 900ms);
  EXPECT_EQ(windows.Increment("b", 1s, t0 + 100ms).count, 1);
  EXPECT_EQ(windows.Increment("a", 1s, t0 + 1s).count, 1);  // a new window
  // Expired windows do not pile up.
  for (int i = 0; i < 100; ++i) windows.Increment("k" + std::to_string(i), 1s, t0 + 2s);
  windows.Increment("late", 1s, t0 + 20s);
  EXPECT_EQ(windows.size(), 1u);
}

TEST(WebUiRoutes, ArePathsWithoutADotOutsideTheGatewaysOwn) {
  for (const char* path : {"/", "/lotes", "/lotes/abc", "/cq/amostras/", "/estoque/lotes/LP260101-00001",
                           "/auditoria/%C3%A1rvore", "/v1x", "/v10/a", "/healthzz", "/metricas", "/assets"}) {
    EXPECT_TRUE(IsWebUiRoute(path)) << path;
  }
  for (const char* path : {"/assets/x.js",
                           "/favicon.ico",
                           "/lotes/abc.json",
                           "/.env",
                           "/lotes/%2eenv",
                           "/v1",
                           "/v1/",
                           "/v1/lotes",
                           "/%76%31/lotes",
                           "/healthz",
                           "/healthz/x",
                           "/readyz",
                           "/readyz/",
                           "/metrics",
                           "/metrics/x",
                           "/..%2f..%2fetc/passwd",
                           "/lotes/../x",
                           "/lotes/%2E%2E/x",
                           "/./lotes",
                           "/lotes/.",
                           "/a%5cb",
                           "/a%00b",
                           "lotes",
                           ""}) {
    EXPECT_FALSE(IsWebUiRoute(path)) << path;
  }
}

TEST(StaticFileEncodings, GzipWhenAcceptedWithAWeightAboveZero) {
  for (const char* accepted : {"gzip", "GZip", "x-gzip", "deflate, gzip", "gzip;q=0.001", "gzip ; q=1", "*",
                               "br, *;q=0.1", "gzip;q=0, gzip;q=0.5"}) {
    EXPECT_TRUE(AcceptsGzip(accepted)) << accepted;
  }
  for (const char* refused : {"", "identity", "br", "deflate, br;q=0.9", "gzip;q=0", "gzip;Q=0.000", "gzip;q=0.",
                              "*;q=0", "*, gzip;q=0", "gzipped", "gzip-ish"}) {
    EXPECT_FALSE(AcceptsGzip(refused)) << refused;
  }
}

TEST(StaticFileHeaders, TheSecurityHeadersCarryThePolicyGiven) {
  auto headers = SecurityHeaders("default-src 'none'");
  const std::vector<std::pair<std::string, std::string>> expected{
      {"Content-Security-Policy", "default-src 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"}};
  EXPECT_EQ(headers, expected);
}

TEST(StaticFileTypes, FollowTheExtension) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("a/app.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("estilo.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("logo.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("fonte.woff2"), "font/woff2");
  EXPECT_EQ(ContentTypeFor("sem-extensao"), "application/octet-stream");
}

}  // namespace
}  // namespace pharmasys::gateway
