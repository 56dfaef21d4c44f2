// The gateway over real sockets on loopback: in-process stand-ins for the five services
// (each answers with what it received), the real token verifier with a test issuer's keys,
// and the real Redis of ./pharmasys test (PHARMASYS_TEST_REDIS_URL) for the shared limits.
#include "gateway.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "fake_service.hpp"
#include "http_support.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"
#include "stream_support.hpp"
#include "token_support.hpp"

namespace pharmasys::gateway {
namespace {

using namespace std::chrono_literals;
using namespace pharmasys::testing;
namespace fs = std::filesystem;

std::string TestRedisUrl() {
  const char* url = std::getenv("PHARMASYS_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error("PHARMASYS_TEST_REDIS_URL is not set: run the tests with ./pharmasys test");
  }
  return url;
}

std::string DeadRedisUrl() {
  return "redis://127.0.0.1:" + std::to_string(FreePort());
}

// Log lines written while a test runs (the log sink is a plain function).
std::mutex log_mutex;
std::vector<std::string> log_lines;
void CaptureLog(std::string_view line) {
  std::lock_guard lock(log_mutex);
  log_lines.emplace_back(line);
}
void StartCapturingLog() {
  {
    std::lock_guard lock(log_mutex);
    log_lines.clear();
  }
  log::SetSink(&CaptureLog);
}
int LogLinesContaining(std::string_view text) {
  std::lock_guard lock(log_mutex);
  return static_cast<int>(std::count_if(log_lines.begin(), log_lines.end(),
                                        [&](const std::string& l) { return l.find(text) != std::string::npos; }));
}

struct Config {
  RateLimit per_ip{10000, 60s};
  RateLimit per_user{10000, 60s};
  std::optional<std::string> redis_url;  // nullopt: counted in the process
  std::string key_prefix = "test:" + ids::RandomHex(6) + ":";
  std::chrono::milliseconds timeout{5000};
  std::vector<std::string> cors;
  std::optional<fs::path> web_root;
  std::string web_csp = std::string(kDefaultContentSecurityPolicy);
  std::uint64_t body_limit = 1024 * 1024;
};

// The gateway as main() assembles it, on a free port.
class GatewayUnderTest {
 public:
  GatewayUnderTest(const Config& setup, std::map<Upstream, std::string> upstreams, const TestIssuer& issuer) {
    own_routes_.Get("/healthz", [](http::Request&) { return http::Response::Text(200, "vivo"); });
    client_ = std::make_shared<http::Client>();
    std::unique_ptr<redis::Client> redis;
    if (setup.redis_url) {
      redis = std::make_unique<redis::Client>(
          redis::Options{.url = *setup.redis_url, .connect_timeout = 250ms, .command_timeout = 250ms});
    }
    limiter_ = std::make_shared<RateLimiter>(std::move(redis), setup.key_prefix);
    verifier_ = std::make_shared<auth::JwtVerifier>(
        auth::VerifierOptions{.issuer = issuer.issuer(), .jwks_url = "http://127.0.0.1:1/jwks"}, client_);
    verifier_->SetJwks(issuer.Jwks());
    GatewayOptions options{.proxy = {.upstreams = std::move(upstreams), .timeout = setup.timeout},
                           .per_user = setup.per_user,
                           .per_ip = setup.per_ip,
                           .cors_origins = setup.cors,
                           .web_root = setup.web_root,
                           .web_content_security_policy = setup.web_csp};
    gateway_ = std::make_unique<Gateway>(options, own_routes_, client_, limiter_, auth::Authenticate(verifier_));
    http::ServerOptions server_options;
    server_options.address = "127.0.0.1";
    server_options.worker_threads = 8;
    server_options.body_limit = setup.body_limit;
    server_options.shutdown_grace = 2000ms;
    server_ = std::make_unique<http::Server>(server_options, [this](http::Request& r) { return gateway_->Handle(r); });
    server_->Start();
  }

  std::uint16_t port() const { return server_->port(); }
  std::string url(const std::string& target) const { return "http://127.0.0.1:" + std::to_string(port()) + target; }
  RateLimiter& limiter() { return *limiter_; }
  http::Client& upstream_client() { return *client_; }

 private:
  http::Router own_routes_;
  std::shared_ptr<http::Client> client_;
  std::shared_ptr<RateLimiter> limiter_;
  std::shared_ptr<auth::JwtVerifier> verifier_;
  std::unique_ptr<Gateway> gateway_;
  std::unique_ptr<http::Server> server_;
};

class GatewayTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { issuer_ = std::make_unique<TestIssuer>(); }
  static void TearDownTestSuite() { issuer_.reset(); }

  void SetUp() override {
    for (Upstream u : kUpstreams) services_.emplace(u, std::make_unique<FakeService>(std::string(NameOf(u))));
  }
  void TearDown() override { log::SetSink(nullptr); }

  std::map<Upstream, std::string> Upstreams() const {
    std::map<Upstream, std::string> urls;
    for (const auto& [u, s] : services_) urls[u] = s->url();
    return urls;
  }
  std::unique_ptr<GatewayUnderTest> Start(const Config& setup = {}) {
    return std::make_unique<GatewayUnderTest>(setup, Upstreams(), *issuer_);
  }
  FakeService& service(Upstream u) { return *services_.at(u); }
  int AllCalls() const {
    int n = 0;
    for (const auto& [u, s] : services_) n += s->calls();
    return n;
  }

  http::ClientResponse Send(GatewayUnderTest& gw, http::Method method, const std::string& target,
                            std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "") {
    http::ClientRequest request{method, gw.url(target), {}, std::move(body)};
    for (auto& [n, v] : headers) request.headers.Set(n, v);
    return caller_.Send(request, 10s);
  }
  http::ClientResponse Get(GatewayUnderTest& gw, const std::string& target, const std::string& user = "u-1") {
    return Send(gw, http::Method::Get, target, {{"Authorization", "Bearer " + issuer_->AccessToken(user)}});
  }

  static boost::json::object Echo(const http::ClientResponse& r) { return json::Parse(r.body).as_object(); }
  static std::string Seen(const http::ClientResponse& r, const std::string& header) {
    auto echo = Echo(r);
    const auto& headers = echo.at("headers").as_object();
    const auto* v = headers.if_contains(Lower(header));
    return v == nullptr ? std::string("<absent>") : std::string(v->as_string());
  }
  static std::string ProblemType(const http::ClientResponse& r) {
    return std::string(json::Parse(r.body).at("type").as_string());
  }

  static std::unique_ptr<TestIssuer> issuer_;
  std::map<Upstream, std::unique_ptr<FakeService>> services_;
  http::Client caller_;
};
std::unique_ptr<TestIssuer> GatewayTest::issuer_;

constexpr std::string_view kProblems = "https://pharmasys.dev/problemas/";

TEST_F(GatewayTest, RoutesEveryPrefixOfTheContractToItsService) {
  auto gw = Start();
  const std::pair<std::string, std::string> cases[] = {
      {"/v1/auth/me", "auth"},
      {"/v1/usuarios", "auth"},
      {"/v1/usuarios/0190/senha", "auth"},
      {"/v1/receitas?produto=P-1", "producao"},
      {"/v1/ordens-producao/0190/etapas/2/registros", "producao"},
      {"/v1/especificacoes/MAT-1", "cq"},
      {"/v1/amostras?status=coletada&lote_id=0190", "cq"},
      {"/v1/laudos/0190", "cq"},
      {"/v1/desvios", "cq"},
      {"/v1/recolhimentos", "cq"},
      {"/v1/cq/lotes/0190", "cq"},
      {"/v1/materiais/MAT-1", "estoque"},
      {"/v1/recebimentos", "estoque"},
      {"/v1/estoque/saldos?material=MAT-1&status=liberado", "estoque"},
      {"/v1/expedicoes/0190/confirmar", "estoque"},
      {"/v1/devolucoes", "estoque"},
      {"/v1/relatorios/rastreabilidade/L-1?direcao=ambos", "relatorios"},
  };
  for (const auto& [target, owner] : cases) {
    auto r = Get(*gw, target);
    ASSERT_EQ(r.status, 200) << target << ": " << r.body;
    auto echo = Echo(r);
    EXPECT_EQ(echo.at("servico").as_string(), owner) << target;
    auto q = target.find('?');
    EXPECT_EQ(echo.at("path").as_string(), target.substr(0, q)) << target;
    EXPECT_EQ(echo.at("query").as_string(), q == std::string::npos ? "" : target.substr(q + 1)) << target;
  }
  EXPECT_EQ(AllCalls(), static_cast<int>(std::size(cases)));
  for (const char* target : {"/v1/nada", "/v1/auth", "/v1/cq", "/v1/materiaisx", "/v1"}) {
    auto r = Get(*gw, target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(ProblemType(r), std::string(kProblems) + "nao-encontrado") << target;
  }
  EXPECT_EQ(AllCalls(), static_cast<int>(std::size(cases)));
}

TEST_F(GatewayTest, ForwardsWhatTheServicesNeedAndNoHopByHopHeaders) {
  auto gw = Start();
  const std::string token = issuer_->AccessToken("u-1");
  const std::string trace = ids::RandomHex(16);
  const std::string parent = ids::RandomHex(8);
  auto r = Send(*gw, http::Method::Post, "/v1/recebimentos?x=1",
                {{"Authorization", "Bearer " + token},
                 {"Content-Type", "application/json"},
                 {"Accept", "application/json"},
                 {"Idempotency-Key", "chave-1"},
                 {"If-Match", "\"3\""},
                 {"X-Assinatura", "assinatura-1"},
                 {"X-Request-Id", "pedido-123"},
                 {"traceparent", "00-" + trace + "-" + parent + "-01"},
                 {"X-Interno", "nao-passa"},
                 {"Proxy-Authorization", "Basic eDp5"},
                 {"TE", "trailers"},
                 {"X-Forwarded-For", "6.6.6.6"}},
                R"({"material":"MAT-1"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto echo = Echo(r);
  EXPECT_EQ(echo.at("method").as_string(), "POST");
  EXPECT_EQ(echo.at("body").as_string(), R"({"material":"MAT-1"})");
  EXPECT_EQ(Seen(r, "Authorization"), "Bearer " + token);  // the original token
  EXPECT_EQ(Seen(r, "Content-Type"), "application/json");
  EXPECT_EQ(Seen(r, "Accept"), "application/json");
  EXPECT_EQ(Seen(r, "Idempotency-Key"), "chave-1");
  EXPECT_EQ(Seen(r, "If-Match"), "\"3\"");
  EXPECT_EQ(Seen(r, "X-Assinatura"), "assinatura-1");
  EXPECT_EQ(Seen(r, "X-Request-Id"), "pedido-123");
  auto forwarded_trace = Seen(r, "traceparent");
  EXPECT_EQ(forwarded_trace.substr(3, 32), trace);    // the same trace
  EXPECT_NE(forwarded_trace.substr(36, 16), parent);  // the gateway's span is the parent now
  EXPECT_EQ(Seen(r, "X-Forwarded-For"), "127.0.0.1");
  EXPECT_EQ(Seen(r, "X-Forwarded-Proto"), "http");
  for (const char* dropped : {"X-Interno", "Proxy-Authorization", "TE"}) {
    EXPECT_EQ(Seen(r, dropped), "<absent>") << dropped;
  }
  // Back to the client: the service's headers, not its hop-by-hop ones.
  EXPECT_EQ(r.headers.GetOr("ETag", ""), "\"7\"");
  EXPECT_EQ(r.headers.GetOr("Location", ""), "/v1/coisas/1");
  EXPECT_EQ(r.headers.GetOr("X-Servico", ""), "estoque");
  EXPECT_EQ(r.headers.GetOr("Content-Type", ""), "application/json");
  EXPECT_EQ(r.headers.GetOr("X-Request-Id", ""), "pedido-123");
  EXPECT_EQ(r.headers.GetOr("traceparent", "").substr(3, 32), trace);
  for (const char* dropped : {"Keep-Alive", "X-Hop", "Proxy-Authenticate", "Access-Control-Allow-Origin"}) {
    EXPECT_FALSE(r.headers.Get(dropped)) << dropped;
  }
}

TEST_F(GatewayTest, StartsARequestIdAndATraceWhenTheClientSendsNone) {
  auto gw = Start();
  auto r = Get(*gw, "/v1/materiais");
  ASSERT_EQ(r.status, 200);
  auto id = std::string(r.headers.GetOr("X-Request-Id", ""));
  EXPECT_FALSE(id.empty());
  EXPECT_EQ(Seen(r, "X-Request-Id"), id);
  auto trace = std::string(r.headers.GetOr("traceparent", ""));
  ASSERT_EQ(trace.size(), 55u);
  EXPECT_EQ(Seen(r, "traceparent").substr(0, 35), trace.substr(0, 35));
}

TEST_F(GatewayTest, KeepsUpstreamConnectionsAlive) {
  auto gw = Start();
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Get(*gw, "/v1/materiais").status, 200);
  EXPECT_EQ(service(Upstream::Estoque).connections(), 1u);
  EXPECT_GE(gw->upstream_client().idle_connections(), 1u);
}

TEST_F(GatewayTest, ResponsesAreStreamedThroughNotBufferedWhole) {
  auto gw = Start();
  auto body = std::make_shared<GatedBody>(6, 256 * 1024);
  service(Upstream::Relatorios).Stream("/v1/relatorios/auditoria", body);
  http::ClientRequest request{http::Method::Get, gw->url("/v1/relatorios/auditoria"), {}, ""};
  request.headers.Set("Authorization", "Bearer " + issuer_->AccessToken("u-1"));
  auto res = caller_.SendStreaming(request, 10s);
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.headers.GetOr("Content-Type", ""), "text/csv");
  std::size_t received = 0;
  // Most of the export reaches the client while the service still holds back its last piece.
  while (received < 5 * 256 * 1024) {
    auto piece = res.stream->Next();
    ASSERT_TRUE(piece);
    received += piece->size();
  }
  body->Open();
  while (auto piece = res.stream->Next()) received += piece->size();
  EXPECT_EQ(received, 6u * 256 * 1024);
}

TEST_F(GatewayTest, ASlowServiceIsA504) {
  Config setup;
  setup.timeout = 300ms;
  auto gw = Start(setup);
  service(Upstream::Estoque).set_delay(1500ms);
  auto t0 = std::chrono::steady_clock::now();
  auto r = Get(*gw, "/v1/materiais");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1400ms);
  EXPECT_EQ(r.status, 504);
  EXPECT_EQ(r.headers.GetOr("Content-Type", ""), "application/problem+json");
  EXPECT_EQ(ProblemType(r), std::string(kProblems) + "tempo-esgotado");
  EXPECT_FALSE(r.headers.GetOr("X-Request-Id", "").empty());
}

TEST_F(GatewayTest, AServiceThatCannotBeReachedIsA502) {
  auto upstreams = Upstreams();
  upstreams[Upstream::Estoque] = "http://127.0.0.1:" + std::to_string(FreePort());  // nothing listens there
  upstreams.erase(Upstream::Relatorios);                                            // not configured
  auto gw = std::make_unique<GatewayUnderTest>(Config{}, upstreams, *issuer_);
  for (const char* target : {"/v1/materiais", "/v1/relatorios/painel"}) {
    auto r = Get(*gw, target);
    EXPECT_EQ(r.status, 502) << target;
    EXPECT_EQ(r.headers.GetOr("Content-Type", ""), "application/problem+json");
    EXPECT_EQ(ProblemType(r), std::string(kProblems) + "upstream-indisponivel") << target;
  }
  EXPECT_EQ(Get(*gw, "/v1/amostras").status, 200);  // the others still work
}

// proves: X4
TEST_F(GatewayTest, BodiesOverTheLimitAre413AndNeverReachTheService) {
  Config setup;
  setup.body_limit = 1024;
  auto gw = Start(setup);
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", "Bearer " + issuer_->AccessToken("u-1")}, {"Content-Type", "application/json"}};
  EXPECT_EQ(Send(*gw, http::Method::Post, "/v1/materiais", headers, std::string(1000, 'a')).status, 200);
  auto r = Send(*gw, http::Method::Post, "/v1/materiais", headers, std::string(4096, 'a'));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(ProblemType(r), std::string(kProblems) + "corpo-muito-grande");
  EXPECT_EQ(service(Upstream::Estoque).calls(), 1);
}

TEST_F(GatewayTest, AnAddressOverItsLimitGets429WithRetryAfter) {
  Config setup;
  setup.per_ip = {3, 60s};
  setup.redis_url = TestRedisUrl();
  auto gw = Start(setup);
  for (int i = 0; i < 3; ++i) {
    auto r = Get(*gw, "/v1/materiais", "u-" + std::to_string(i));  // different users, one address
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.GetOr("RateLimit-Limit", ""), "3");
    EXPECT_EQ(r.headers.GetOr("RateLimit-Remaining", ""), std::to_string(2 - i));
  }
  auto r = Get(*gw, "/v1/materiais", "u-9");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(ProblemType(r), std::string(kProblems) + "limite-de-taxa");
  auto retry_after = std::stoi(std::string(r.headers.GetOr("Retry-After", "0")));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  // Counted before the token check: without a token it is still a 429, not a 401.
  EXPECT_EQ(Send(*gw, http::Method::Get, "/v1/materiais").status, 429);
  EXPECT_EQ(service(Upstream::Estoque).calls(), 3);
  EXPECT_TRUE(gw->limiter().shared());
}

TEST_F(GatewayTest, ReplicasShareTheCountersThroughRedis) {
  Config setup;
  setup.per_ip = {4, 60s};
  setup.redis_url = TestRedisUrl();
  auto a = Start(setup);
  auto b = Start(setup);  // same Redis, same keys: another replica
  EXPECT_EQ(Get(*a, "/v1/materiais").status, 200);
  EXPECT_EQ(Get(*b, "/v1/materiais").status, 200);
  EXPECT_EQ(Get(*a, "/v1/materiais").status, 200);
  EXPECT_EQ(Get(*b, "/v1/materiais").status, 200);
  EXPECT_EQ(Get(*a, "/v1/materiais").status, 429);
  EXPECT_EQ(Get(*b, "/v1/materiais").status, 429);
}

TEST_F(GatewayTest, AUserOverItsLimitGets429AndOtherUsersDoNot) {
  Config setup;
  setup.per_user = {2, 60s};
  setup.redis_url = TestRedisUrl();
  auto gw = Start(setup);
  EXPECT_EQ(Get(*gw, "/v1/materiais", "ana").status, 200);
  EXPECT_EQ(Get(*gw, "/v1/materiais", "ana").status, 200);
  auto r = Get(*gw, "/v1/materiais", "ana");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(ProblemType(r), std::string(kProblems) + "limite-de-taxa");
  EXPECT_GE(std::stoi(std::string(r.headers.GetOr("Retry-After", "0"))), 1);
  EXPECT_EQ(Get(*gw, "/v1/materiais", "bruno").status, 200);
  // The user is the verified `sub`: a forged token changes nothing.
  auto forged = Send(*gw, http::Method::Get, "/v1/materiais", {{"Authorization", "Bearer eyJ.forjado.x"}});
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(service(Upstream::Estoque).calls(), 3);
}

TEST_F(GatewayTest, WithoutRedisItKeepsServingLimitsLocallyAndSaysSo) {
  StartCapturingLog();
  Config setup;
  setup.per_ip = {3, 60s};
  setup.redis_url = DeadRedisUrl();
  auto gw = Start(setup);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get(*gw, "/v1/materiais").status, 200);
  auto r = Get(*gw, "/v1/materiais");
  EXPECT_EQ(r.status, 429);  // the limit still holds, counted in this process
  EXPECT_GE(std::stoi(std::string(r.headers.GetOr("Retry-After", "0"))), 1);
  EXPECT_FALSE(gw->limiter().shared());
  auto readiness = gw->limiter().Readiness();
  ASSERT_TRUE(readiness);
  EXPECT_NE(readiness->find("in this process"), std::string::npos) << *readiness;
  EXPECT_EQ(LogLinesContaining("Redis unreachable"), 1);  // once per outage, not per request
}

// proves: X2
TEST_F(GatewayTest, EveryApiCallNeedsATokenButThePublicEndpoints) {
  auto gw = Start();
  auto missing = Send(*gw, http::Method::Get, "/v1/auth/me");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(ProblemType(missing), std::string(kProblems) + "nao-autenticado");
  EXPECT_TRUE(missing.headers.Get("WWW-Authenticate"));
  EXPECT_EQ(Send(*gw, http::Method::Get, "/v1/materiais", {{"Authorization", "Bearer x.y.z"}}).status, 401);
  TestIssuer stranger;  // the right claims, signed with a key the gateway does not know
  EXPECT_EQ(Send(*gw, http::Method::Get, "/v1/materiais", {{"Authorization", "Bearer " + stranger.AccessToken("u-1")}})
                .status,
            401);
  EXPECT_EQ(Send(*gw, http::Method::Get, "/v1/auth/token").status, 401);  // only POST is public
  EXPECT_EQ(AllCalls(), 0);

  auto token = Send(*gw, http::Method::Post, "/v1/auth/token", {{"Content-Type", "application/x-www-form-urlencoded"}},
                    "grant_type=password");
  EXPECT_EQ(token.status, 200);
  EXPECT_EQ(Echo(token).at("servico").as_string(), "auth");
  // Client authentication of the token endpoint passes through untouched.
  auto basic = Send(*gw, http::Method::Post, "/v1/auth/revogar", {{"Authorization", "Basic cGhhcm1hOng="}});
  EXPECT_EQ(basic.status, 200);
  EXPECT_EQ(Seen(basic, "Authorization"), "Basic cGhhcm1hOng=");
  EXPECT_EQ(Send(*gw, http::Method::Get, "/v1/auth/jwks").status, 200);
  EXPECT_EQ(Send(*gw, http::Method::Get, "/v1/auth/.well-known/openid-configuration").status, 200);
  EXPECT_EQ(AllCalls(), 4);
}

// The web client's sign-in: Auth's page and form pass without a token, and what Auth answers
// (HTML, its Content-Security-Policy, a 303 and its Location) reaches the browser as it is.
TEST_F(GatewayTest, TheAuthorizationEndpointNeedsNoTokenAndItsAnswersComeBackAsTheyAre) {
  auto gw = Start();
  const std::string form = "response_type=code&client_id=pharmasys-web&username=analista&password=x";
  auto echoed = Send(*gw, http::Method::Post, "/v1/auth/autorizar",
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Origin", "http://localhost:8080"},
                      {"Sec-Fetch-Site", "same-origin"}},
                     form);
  ASSERT_EQ(echoed.status, 200) << echoed.body;
  EXPECT_EQ(Echo(echoed).at("servico").as_string(), "auth");
  EXPECT_EQ(Echo(echoed).at("body").as_string(), form);
  EXPECT_EQ(Seen(echoed, "Origin"), "http://localhost:8080");  // Auth checks where the form came from
  EXPECT_EQ(Seen(echoed, "Sec-Fetch-Site"), "same-origin");
  EXPECT_EQ(Seen(echoed, "Authorization"), "<absent>");

  const std::string csp =
      "default-src 'none'; style-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; form-action 'self' "
      "http://localhost:8080; frame-ancestors 'none'; base-uri 'none'";
  auto page = http::Response::Text(200, "<!doctype html>\n<html lang=\"pt-BR\"><title>PharmaSys — Entrar</title>",
                                   "text/html; charset=utf-8");
  page.headers.Set("Content-Security-Policy", csp);
  page.headers.Set("X-Frame-Options", "DENY");
  page.headers.Set("Cache-Control", "no-store");
  page.headers.Set("Referrer-Policy", "no-referrer");
  service(Upstream::Auth).Respond(http::Method::Get, "/v1/auth/autorizar", page);
  auto redirect = http::Response::Empty(303);
  const std::string location = "http://localhost:8080/entrar/retorno?code=Zm9v&state=%22x%22&iss=http%3A%2F%2Fh";
  redirect.headers.Set("Location", location);
  redirect.headers.Set("Cache-Control", "no-store");
  service(Upstream::Auth).Respond(http::Method::Post, "/v1/auth/autorizar", redirect);

  auto got = Send(*gw, http::Method::Get, "/v1/auth/autorizar?response_type=code&client_id=pharmasys-web");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, page.body);
  EXPECT_EQ(got.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8");
  EXPECT_EQ(got.headers.GetOr("Content-Security-Policy", ""), csp);
  EXPECT_EQ(got.headers.GetOr("X-Frame-Options", ""), "DENY");
  EXPECT_EQ(got.headers.GetOr("Cache-Control", ""), "no-store");
  EXPECT_EQ(got.headers.GetOr("Referrer-Policy", ""), "no-referrer");
  auto posted = Send(*gw, http::Method::Post, "/v1/auth/autorizar",
                     {{"Content-Type", "application/x-www-form-urlencoded"}}, form);
  EXPECT_EQ(posted.status, 303);
  EXPECT_EQ(posted.headers.GetOr("Location", ""), location);
  EXPECT_EQ(posted.headers.GetOr("Cache-Control", ""), "no-store");
  // Only GET and POST are the endpoint's public methods.
  EXPECT_EQ(Send(*gw, http::Method::Put, "/v1/auth/autorizar").status, 401);
  EXPECT_EQ(AllCalls(), 1);  // the echo; the two answers above are Auth's own
}

TEST_F(GatewayTest, DotSegmentsCannotSlipPastTheTokenCheck) {
  auto gw = Start();
  for (const char* target : {"/v1/auth/token/../../usuarios", "/v1/auth/jwks/%2e%2e/%2E%2E/usuarios"}) {
    auto r = Exchange(gw->port(), std::string("POST ") + target +
                                      " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 400) << target;
  }
  EXPECT_EQ(AllCalls(), 0);
}

TEST_F(GatewayTest, CorsPreflightIsAnsweredHereAndResponsesCarryTheHeaders) {
  Config setup;
  setup.cors = {"https://ui.pharmasys.example"};
  auto gw = Start(setup);
  auto preflight = Send(*gw, http::Method::Options, "/v1/recebimentos",
                        {{"Origin", "https://ui.pharmasys.example"},
                         {"Access-Control-Request-Method", "POST"},
                         {"Access-Control-Request-Headers", "authorization,content-type,idempotency-key"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.headers.GetOr("Access-Control-Allow-Origin", ""), "https://ui.pharmasys.example");
  auto methods = std::string(preflight.headers.GetOr("Access-Control-Allow-Methods", ""));
  for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"}) EXPECT_NE(methods.find(m), std::string::npos) << m;
  auto allowed = std::string(preflight.headers.GetOr("Access-Control-Allow-Headers", ""));
  for (const char* h :
       {"Authorization", "Content-Type", "Idempotency-Key", "If-Match", "X-Assinatura", "X-Request-Id"}) {
    EXPECT_NE(allowed.find(h), std::string::npos) << h;
  }
  EXPECT_EQ(AllCalls(), 0);  // no token needed, no service bothered

  auto stranger = Send(*gw, http::Method::Options, "/v1/recebimentos",
                       {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_FALSE(stranger.headers.Get("Access-Control-Allow-Origin"));
  EXPECT_FALSE(stranger.headers.Get("Access-Control-Allow-Methods"));

  auto r = Send(*gw, http::Method::Get, "/v1/materiais",
                {{"Origin", "https://ui.pharmasys.example"}, {"Authorization", "Bearer " + issuer_->AccessToken("u")}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.GetOr("Access-Control-Allow-Origin", ""), "https://ui.pharmasys.example");
  auto exposed = std::string(r.headers.GetOr("Access-Control-Expose-Headers", ""));
  for (const char* h : {"Location", "ETag", "X-Request-Id", "Idempotent-Replayed", "Retry-After"}) {
    EXPECT_NE(exposed.find(h), std::string::npos) << h;
  }
  EXPECT_NE(std::string(r.headers.GetOr("Vary", "")).find("Origin"), std::string::npos);
  // Errors too, or the UI could not read them.
  auto unauthenticated = Send(*gw, http::Method::Get, "/v1/materiais", {{"Origin", "https://ui.pharmasys.example"}});
  EXPECT_EQ(unauthenticated.status, 401);
  EXPECT_EQ(unauthenticated.headers.GetOr("Access-Control-Allow-Origin", ""), "https://ui.pharmasys.example");
  auto other = Send(*gw, http::Method::Get, "/v1/materiais",
                    {{"Origin", "https://evil.example"}, {"Authorization", "Bearer " + issuer_->AccessToken("u")}});
  EXPECT_FALSE(other.headers.Get("Access-Control-Allow-Origin"));
}

// A web root as the SPA build leaves it (index.html, content-hashed files under assets/, their
// .gz beside some of them), with a secret beside the root that must never come out.
class WebRoot {
 public:
  WebRoot() : base_(fs::temp_directory_path() / ("pharmasys-web-" + ids::RandomHex(6))) {
    fs::create_directories(base_ / "web" / "sub");
    fs::create_directories(base_ / "web" / "assets");
    Write(base_ / "segredo.txt", "segredo-fora-da-raiz");
    Write(base_ / "web" / "index.html", "<html>PharmaSys</html>");
    Write(base_ / "web" / "index.html.gz", "gzip-de-index.html");
    Write(base_ / "web" / "app.js", "console.log('ok')");
    Write(base_ / "web" / "estilo.css", "body{}");
    Write(base_ / "web" / "sub" / "index.html", "<html>sub</html>");
    Write(base_ / "web" / "assets" / "index-3f2a1c9d.js", "console.log('spa')");
    Write(base_ / "web" / "assets" / "index-3f2a1c9d.js.gz", "gzip-de-index-3f2a1c9d.js");
    Write(base_ / "web" / "assets" / "index-b71e04aa.css", "main{}");
    Write(base_ / "web" / "assets" / "vazamento-0c1d.js", "console.log('dentro')");
    fs::create_symlink(base_ / "segredo.txt", base_ / "web" / "atalho.txt");
    // A compressed variant that leads outside the root is no variant at all.
    fs::create_symlink(base_ / "segredo.txt", base_ / "web" / "assets" / "vazamento-0c1d.js.gz");
  }
  ~WebRoot() { fs::remove_all(base_); }
  fs::path root() const { return base_ / "web"; }

 private:
  static void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  fs::path base_;
};

TEST_F(GatewayTest, ServesTheWebUiFilesWithTheirTypes) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"/", "text/html; charset=utf-8", "<html>PharmaSys</html>"},
      {"/index.html", "text/html; charset=utf-8", "<html>PharmaSys</html>"},
      {"/app.js", "text/javascript; charset=utf-8", "console.log('ok')"},
      {"/estilo.css?v=2", "text/css; charset=utf-8", "body{}"},
      {"/sub/", "text/html; charset=utf-8", "<html>sub</html>"},
      {"/sub", "text/html; charset=utf-8", "<html>sub</html>"},
  };
  for (const auto& [target, type, body] : cases) {
    auto r = Send(*gw, http::Method::Get, target);  // no token needed
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.headers.GetOr("Content-Type", ""), type) << target;
    EXPECT_EQ(r.body, body) << target;
  }
  auto missing = Send(*gw, http::Method::Get, "/nada.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ProblemType(missing), std::string(kProblems) + "nao-encontrado");
  EXPECT_EQ(Send(*gw, http::Method::Post, "/", {}, "x").status, 405);
  EXPECT_EQ(AllCalls(), 0);
}

TEST_F(GatewayTest, NothingOutsideTheWebRootIsEverServed) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  for (const char* target :
       {"/../segredo.txt", "/%2e%2e/segredo.txt", "/%2E%2E%2Fsegredo.txt", "/sub/..%2f..%2fsegredo.txt",
        "/sub/../../segredo.txt", "/atalho.txt", "/..%5csegredo.txt", "/index.html%00.js"}) {
    auto r = Exchange(gw->port(), std::string("GET ") + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("segredo-fora-da-raiz"), std::string::npos) << target;
  }
}

TEST_F(GatewayTest, APageOfTheApplicationWithNoFileOpensTheIndex) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  for (const char* target : {"/lotes/abc", "/cq/amostras", "/cq/amostras/", "/estoque/lotes/LP260101-00001?aba=2",
                             "/auditoria/%C3%A1rvore", "/assets"}) {
    auto r = Send(*gw, http::Method::Get, target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "<html>PharmaSys</html>") << target;
    EXPECT_EQ(r.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8") << target;
    EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), "no-cache") << target;
  }
  // A missing file is a 404, whatever folder it would be in; so are the gateway's own paths
  // below them, and the API's.
  for (const char* target : {"/assets/x.js", "/favicon.ico", "/lotes/abc.json", "/.env", "/sub/nada.css", "/healthz/x",
                             "/readyz/", "/metrics", "/metrics/x"}) {
    auto r = Send(*gw, http::Method::Get, target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("PharmaSys</html>"), std::string::npos) << target;
  }
  auto api = Get(*gw, "/v1/nada");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(ProblemType(api), std::string(kProblems) + "nao-encontrado");
  EXPECT_EQ(Send(*gw, http::Method::Post, "/lotes/abc", {}, "x").status, 405);
  EXPECT_EQ(AllCalls(), 0);
}

TEST_F(GatewayTest, HashedAssetsAreCachedForAYearAndEverythingElseIsRevalidated) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  for (const char* target : {"/assets/index-3f2a1c9d.js", "/assets/index-b71e04aa.css"}) {
    auto r = Send(*gw, http::Method::Get, target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), "public, max-age=31536000, immutable") << target;
  }
  EXPECT_EQ(Send(*gw, http::Method::Get, "/assets/index-b71e04aa.css").body, "main{}");
  for (const char* target : {"/", "/index.html", "/app.js", "/sub/", "/lotes/abc"}) {
    auto r = Send(*gw, http::Method::Get, target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), "no-cache") << target;
  }
  // A missing asset is not cached as if it were one.
  auto missing = Send(*gw, http::Method::Get, "/assets/index-00000000.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.headers.GetOr("Cache-Control", ""), "public, max-age=31536000, immutable");
}

TEST_F(GatewayTest, EveryAnswerFromTheWebRootCarriesTheSecurityHeaders) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  const std::pair<http::Method, const char*> cases[] = {{http::Method::Get, "/"},
                                                        {http::Method::Get, "/assets/index-3f2a1c9d.js"},
                                                        {http::Method::Get, "/lotes/abc"},
                                                        {http::Method::Head, "/lotes/abc"},
                                                        {http::Method::Get, "/favicon.ico"},
                                                        {http::Method::Post, "/"}};
  for (const auto& [method, target] : cases) {
    auto r = Send(*gw, method, target, {}, method == http::Method::Post ? "x" : "");
    EXPECT_EQ(r.headers.GetOr("Content-Security-Policy", ""), kDefaultContentSecurityPolicy) << target;
    EXPECT_EQ(r.headers.GetOr("X-Content-Type-Options", ""), "nosniff") << target;
    EXPECT_EQ(r.headers.GetOr("Referrer-Policy", ""), "no-referrer") << target;
    EXPECT_EQ(r.headers.GetOr("X-Frame-Options", ""), "DENY") << target;
    EXPECT_EQ(r.headers.GetOr("Permissions-Policy", ""), "camera=(), microphone=(), geolocation=()") << target;
  }
  EXPECT_EQ(kDefaultContentSecurityPolicy,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  // The API's answers are the services' own: no page policy on them.
  EXPECT_FALSE(Get(*gw, "/v1/materiais").headers.Get("Content-Security-Policy"));

  Config strict;
  strict.web_root = web.root();
  strict.web_csp = "default-src 'none'";
  auto other = Start(strict);
  EXPECT_EQ(Send(*other, http::Method::Get, "/").headers.GetOr("Content-Security-Policy", ""), "default-src 'none'");
}

TEST_F(GatewayTest, AGzipVariantGoesOnlyToAClientThatAcceptsIt) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  auto asset = [&](const std::string& accept_encoding, const char* target = "/assets/index-3f2a1c9d.js") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!accept_encoding.empty()) headers.emplace_back("Accept-Encoding", accept_encoding);
    return Send(*gw, http::Method::Get, target, headers);
  };
  for (const char* accepted : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*", "GZIP"}) {
    auto r = asset(accepted);
    EXPECT_EQ(r.status, 200) << accepted;
    EXPECT_EQ(r.body, "gzip-de-index-3f2a1c9d.js") << accepted;
    EXPECT_EQ(r.headers.GetOr("Content-Encoding", ""), "gzip") << accepted;
    EXPECT_EQ(r.headers.GetOr("Content-Type", ""), "text/javascript; charset=utf-8") << accepted;
    EXPECT_EQ(r.headers.GetOr("Vary", ""), "Accept-Encoding") << accepted;
    EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), "public, max-age=31536000, immutable") << accepted;
  }
  for (const char* refused : {"", "br", "gzip;q=0", "identity", "*, gzip;q=0", "deflate, *;q=0"}) {
    auto r = asset(refused);
    EXPECT_EQ(r.status, 200) << refused;
    EXPECT_EQ(r.body, "console.log('spa')") << refused;
    EXPECT_FALSE(r.headers.Get("Content-Encoding")) << refused;
    EXPECT_EQ(r.headers.GetOr("Vary", ""), "Accept-Encoding") << refused;  // a cache must keep both apart
  }
  // The fallback has the index's variant; a file without one is sent as it is.
  auto page = asset("gzip", "/lotes/abc");
  EXPECT_EQ(page.body, "gzip-de-index.html");
  EXPECT_EQ(page.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8");
  EXPECT_EQ(page.headers.GetOr("Content-Encoding", ""), "gzip");
  auto plain = asset("gzip", "/assets/index-b71e04aa.css");
  EXPECT_EQ(plain.body, "main{}");
  EXPECT_FALSE(plain.headers.Get("Content-Encoding"));
  EXPECT_FALSE(plain.headers.Get("Vary"));
  // A variant that resolves outside the root is ignored.
  auto leak = asset("gzip", "/assets/vazamento-0c1d.js");
  EXPECT_EQ(leak.body, "console.log('dentro')");
  EXPECT_FALSE(leak.headers.Get("Content-Encoding"));
}

TEST_F(GatewayTest, HeadAnswersAsGetWouldWithoutTheBody) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  const std::tuple<const char*, const char*, std::size_t> cases[] = {
      {"/assets/index-3f2a1c9d.js", "", std::string("console.log('spa')").size()},
      {"/assets/index-3f2a1c9d.js", "gzip", std::string("gzip-de-index-3f2a1c9d.js").size()},
      {"/lotes/abc", "", std::string("<html>PharmaSys</html>").size()},
  };
  for (const auto& [target, encoding, length] : cases) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (*encoding != '\0') headers.emplace_back("Accept-Encoding", encoding);
    auto r = Send(*gw, http::Method::Head, target, headers);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_TRUE(r.body.empty()) << target;
    EXPECT_EQ(r.headers.GetOr("Content-Length", ""), std::to_string(length)) << target << " " << encoding;
    auto get = Send(*gw, http::Method::Get, target, headers);
    EXPECT_EQ(r.headers.GetOr("Content-Type", ""), get.headers.GetOr("Content-Type", "")) << target;
    EXPECT_EQ(r.headers.GetOr("Cache-Control", ""), get.headers.GetOr("Cache-Control", "")) << target;
    EXPECT_EQ(r.headers.GetOr("Content-Encoding", ""), get.headers.GetOr("Content-Encoding", "")) << target;
  }
  EXPECT_EQ(Send(*gw, http::Method::Head, "/assets/x.js").status, 404);
}

TEST_F(GatewayTest, ATraversalNeverFallsBackToAnythingButA404) {
  WebRoot web;
  Config setup;
  setup.web_root = web.root();
  auto gw = Start(setup);
  for (const char* target :
       {"/..%2f..%2fetc/passwd", "/..%2f..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
        "/lotes/..%2f..%2f..%2fsegredo", "/lotes/../../segredo", "/lotes/%2e%2e%2fsegredo", "/sub/..%2f..%2fsegredo",
        "/..%5c..%5csegredo", "/lotes%00/abc", "/lotes/abc%00", "/./lotes", "/assets/..%2f..%2fsegredo"}) {
    auto r = Exchange(gw->port(), std::string("GET ") + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("segredo-fora-da-raiz"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(GatewayTest, WithoutAWebRootEveryOtherPathIsA404) {
  auto gw = Start();
  auto r = Send(*gw, http::Method::Get, "/");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.GetOr("Content-Type", ""), "application/problem+json");
  EXPECT_EQ(Send(*gw, http::Method::Get, "/healthz").body, "vivo");  // the gateway's own routes
}

}  // namespace
}  // namespace pharmasys::gateway
