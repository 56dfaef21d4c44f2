// RULES.md X1 through the gateway, over HTTP: every forged or misused token gets 401, and a
// token shaped exactly like a Keycloak access token from a second configured issuer passes.
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <atomic>

#include "issuer_support.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/json/json.hpp"
#include "system.hpp"

namespace pharmasys {
namespace {

using namespace std::chrono_literals;
using testing::B64;
using testing::ClaimsOf;
using testing::FrontDoor;
using testing::Issuer;
using testing::Now;

// An HTTP server of the test's own: a JWKS for an issuer, or a service behind the gateway.
class LocalServer {
 public:
  LocalServer() {
    http::ServerOptions options;
    options.address = "127.0.0.1";
    server_ = std::make_unique<http::Server>(options, [this](http::Request& r) {
      ++hits;
      return router.Dispatch(r);
    });
  }
  void Start() { server_->Start(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  http::Router router;
  std::atomic<int> hits{0};

 private:
  std::unique_ptr<http::Server> server_;
};

int MeWith(const std::string& token) {
  return FrontDoor::Get().Call("GET", "/v1/auth/me", token).status;
}

std::string Segment(const std::string& token, int n) {
  std::size_t start = 0;
  for (int i = 0; i < n; ++i) start = token.find('.', start) + 1;
  return token.substr(start, token.find('.', start) - start);
}

// proves: X1
TEST(SecurityX1, AGenuineTokenPassesAndNoTokenIs401) {
  EXPECT_EQ(MeWith(FrontDoor::Get().AccessToken("analista")), 200);
  EXPECT_EQ(MeWith(""), 401);
}

// proves: X1
TEST(SecurityX1, AlgNoneIs401) {
  auto real = FrontDoor::Get().AccessToken("analista");
  std::string kid_header = testing::B64(R"({"alg":"none","typ":"JWT"})");
  EXPECT_EQ(MeWith(kid_header + "." + Segment(real, 1) + "."), 401);
}

// proves: X1
TEST(SecurityX1, Hs256KeyedWithThePublishedPublicKeyIs401) {
  auto& door = FrontDoor::Get();
  std::string jwks = door.Call("GET", "/v1/auth/jwks").body;  // public: anyone can take it
  auto key = json::Parse(jwks).at("keys").as_array().at(0);
  std::string kid(key.at("kid").as_string());
  std::string input =
      B64(R"({"alg":"HS256","typ":"JWT","kid":")" + kid + "\"}") + "." + Segment(door.AccessToken("analista"), 1);
  for (const std::string& secret : {jwks, json::Serialize(key), std::string(key.at("n").as_string())}) {
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
    EXPECT_EQ(MeWith(input + "." + B64(std::string_view(reinterpret_cast<char*>(mac), len))), 401);
  }
}

// proves: X1
TEST(SecurityX1, AnUnknownKidIs401) {
  Issuer attacker("http://localhost:8080/v1/auth", "kid-of-the-attacker");
  EXPECT_EQ(MeWith(attacker.Sign(attacker.Claims())), 401);
}

// proves: X1
TEST(SecurityX1, ATamperedPayloadIs401) {
  auto real = FrontDoor::Get().AccessToken("estoquista");
  auto claims = ClaimsOf(real);
  claims["realm_access"] = boost::json::object{{"roles", boost::json::array{"administrador"}}};
  std::string forged = Segment(real, 0) + "." + B64(json::Serialize(claims)) + "." + Segment(real, 2);
  EXPECT_EQ(MeWith(forged), 401);
  EXPECT_EQ(FrontDoor::Get().Call("GET", "/v1/usuarios", forged).status, 401);
}

// proves: X1
TEST(SecurityX1, ARefreshTokenIsNotAnAccessToken) {
  auto login = json::Parse(FrontDoor::Get().Login("gestor").body);
  EXPECT_EQ(MeWith(std::string(login.at("refresh_token").as_string())), 401);
}

// proves: X1
TEST(SecurityX1, KeyLocationsInTheHeaderAreNeverFollowed) {
  Issuer attacker("http://localhost:8080/v1/auth", "kid-of-the-attacker");
  LocalServer keys;
  keys.router.Get("/jwks", [&](http::Request&) { return http::Response::Text(200, attacker.Jwks()); });
  keys.Start();
  EXPECT_EQ(MeWith(attacker.Sign(attacker.Claims(), {{"jku", keys.url() + "/jwks"}})), 401);
  EXPECT_EQ(MeWith(attacker.Sign(attacker.Claims(), {{"x5u", keys.url() + "/cert.pem"}})), 401);
  EXPECT_EQ(MeWith(attacker.Sign(attacker.Claims(), {{"jwk", attacker.PublicJwk()}})), 401);
  EXPECT_EQ(keys.hits, 0);  // nothing was fetched from where the token pointed
}

// The web client's sign-in through the gateway, as a browser does it: the page and its form need
// no token, Auth's answers come back as sent, and the code is traded for tokens that work.
TEST(WebSignIn, TheAuthorizationCodeFlowPassesTheGatewayWithoutAToken) {
  auto& door = FrontDoor::Get();
  // RFC 7636 Appendix B's challenge.
  const std::string query =
      "response_type=code&client_id=pharmasys-web&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fentrar%2Fretorno"
      "&state=s-1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
  auto page = door.Call("GET", "/v1/auth/autorizar?" + query);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8");
  EXPECT_TRUE(std::string(page.headers.GetOr("Content-Security-Policy", "")).starts_with("default-src 'none';"));
  EXPECT_EQ(page.headers.GetOr("X-Frame-Options", ""), "DENY");
  EXPECT_NE(page.body.find("PharmaSys — Entrar"), std::string::npos);

  const std::string form = query + "&username=gestor&password=pharmasys-demo";
  auto forged = door.Call("POST", "/v1/auth/autorizar", "", form, "application/x-www-form-urlencoded",
                          {{"Origin", "https://evil.example"}});
  EXPECT_EQ(forged.status, 403);  // the browser's Origin reaches Auth through the gateway
  EXPECT_FALSE(forged.headers.Get("Location"));

  auto signed_in = door.Call("POST", "/v1/auth/autorizar", "", form, "application/x-www-form-urlencoded",
                             {{"Origin", "http://localhost:8080"}, {"Sec-Fetch-Site", "same-origin"}});
  ASSERT_EQ(signed_in.status, 303) << signed_in.body;
  std::string location(signed_in.headers.GetOr("Location", ""));
  ASSERT_TRUE(location.starts_with("http://localhost:8080/entrar/retorno?code=")) << location;
  auto answer = http::ParseForm(location.substr(location.find('?') + 1));
  EXPECT_EQ(answer["state"], "s-1");

  auto tokens = door.Call("POST", "/v1/auth/token", "",
                          "grant_type=authorization_code&client_id=pharmasys-web&code=" + answer["code"] +
                              "&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fentrar%2Fretorno"
                              "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                          "application/x-www-form-urlencoded");
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  EXPECT_EQ(MeWith(std::string(json::Parse(tokens.body).at("access_token").as_string())), 200);
}

// A gateway that trusts another issuer (as with a Keycloak realm), in front of a stand-in service.
class SecondIssuer : public ::testing::Test {
 protected:
  static constexpr const char* kIss = "https://sso.plant.example/realms/pharmasys";
  void SetUp() override {
    keys_.router.Get("/realms/pharmasys/protocol/openid-connect/certs",
                     [this](http::Request&) { return http::Response::Text(200, keycloak_.Jwks()); });
    keys_.Start();
    service_.router.Get("/v1/estoque/saldos", [](http::Request& r) {
      return http::Response::Text(200, std::string(r.headers.GetOr("Authorization", "")).substr(0, 7));
    });
    service_.Start();
    port_ = testing::FreePort();
    gateway_ = std::make_unique<testing::ChildProcess>(
        testing::Bin("gateway"),
        std::vector<std::string>{
            "PHARMASYS_HTTP_PORT=" + std::to_string(port_),
            "PHARMASYS_METRICS_PORT=" + std::to_string(testing::FreePort()),
            "PHARMASYS_JWT_ISSUER=" + std::string(kIss),
            "PHARMASYS_JWT_JWKS_URL=" + keys_.url() + "/realms/pharmasys/protocol/openid-connect/certs",
            "PHARMASYS_UPSTREAM_ESTOQUE=" + service_.url(), "PHARMASYS_REDIS_URL=" + testing::TestRedisUrl()});
    ASSERT_TRUE(testing::Eventually([&] { return testing::Get(port_, "/healthz").status == 200; }))
        << gateway_->Stderr();
  }
  int Saldos(const std::string& token) {
    return testing::Exchange(port_, "GET /v1/estoque/saldos HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + token +
                                        "\r\nConnection: close\r\n\r\n")
        .status;
  }
  boost::json::object KeycloakClaims() {
    auto c = keycloak_.Claims();
    c["scope"] = "openid profile email";
    c["sid"] = "e6b1c2";
    c["session_state"] = "e6b1c2";
    c["email_verified"] = true;
    c["allowed-origins"] = boost::json::array{"http://localhost:8080"};
    c["resource_access"] =
        boost::json::object{{"account", boost::json::object{{"roles", boost::json::array{"view-profile"}}}}};
    return c;
  }

  Issuer keycloak_{kIss, "kc-rs256-1"};
  LocalServer keys_;
  LocalServer service_;
  std::uint16_t port_ = 0;
  std::unique_ptr<testing::ChildProcess> gateway_;
};

TEST_F(SecondIssuer, AKeycloakShapedAccessTokenIsAccepted) {
  EXPECT_EQ(Saldos(keycloak_.Sign(KeycloakClaims(), {{"typ", "JWT"}})), 200);
}

// proves: X1
TEST_F(SecondIssuer, WrongIssuerAudienceOrExpiryIs401EvenWhenSignedByATrustedKey) {
  auto claims = KeycloakClaims();
  claims["iss"] = "https://sso.plant.example/realms/other";
  EXPECT_EQ(Saldos(keycloak_.Sign(claims)), 401);
  claims = KeycloakClaims();
  claims["aud"] = "account";
  EXPECT_EQ(Saldos(keycloak_.Sign(claims)), 401);
  claims = KeycloakClaims();
  claims["exp"] = Now() - 120;
  EXPECT_EQ(Saldos(keycloak_.Sign(claims)), 401);
  claims = KeycloakClaims();
  claims["typ"] = "Refresh";
  EXPECT_EQ(Saldos(keycloak_.Sign(claims)), 401);
}

}  // namespace
}  // namespace pharmasys
