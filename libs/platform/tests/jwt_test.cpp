// RULES.md X1 against the platform's verifier: every forged or misused token is refused, and
// a token shaped like a Keycloak access token from another configured issuer is accepted.
// Keys are served as a JWKS over HTTP by an in-process issuer.
#include "pharmasys/auth/jwt.hpp"

#include <cjose/base64.h>
#include <cjose/header.h>
#include <cjose/jwk.h>
#include <cjose/jws.h>
#include <gtest/gtest.h>
#include <openssl/hmac.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <future>

#include "http_support.hpp"
#include "issuer_support.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::auth {
namespace {

using namespace std::chrono_literals;
using testing::B64;
using testing::Issuer;
using testing::Now;

class JwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/jwks", [this](http::Request&) {
      ++fetches_;
      return http::Response::Text(200, jwks_, "application/json");
    });
    http::ServerOptions options;
    options.address = "127.0.0.1";
    server_ = std::make_unique<http::Server>(options, [this](http::Request& r) { return router_.Dispatch(r); });
    server_->Start();
    jwks_ = issuer_.Jwks();
    verifier_ = Verifier("https://auth.pharmasys.test/v1/auth");
  }
  std::shared_ptr<JwtVerifier> Verifier(const std::string& iss) {
    return std::make_shared<JwtVerifier>(
        VerifierOptions{.issuer = iss,
                        .jwks_url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/jwks",
                        .min_refetch_interval = 2s},
        std::make_shared<http::Client>());
  }
  void ExpectRefused(const std::string& token, const std::string& why) {
    try {
      verifier_->VerifyAccessToken(token);
      ADD_FAILURE() << "accepted: " << why;
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), 401) << why;
      EXPECT_EQ(e.slug(), "nao-autenticado") << why;
      if (token.size() >= 16) {
        EXPECT_EQ(std::string(e.what()).find(token.substr(0, 16)), std::string::npos) << "the token is echoed";
      }
    }
  }

  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::string jwks_;
  std::atomic<int> fetches_{0};
  Issuer issuer_{"https://auth.pharmasys.test/v1/auth", "key-1"};
  std::shared_ptr<JwtVerifier> verifier_;
};

TEST_F(JwtTest, AValidTokenGivesItsPrincipal) {
  auto p = verifier_->VerifyAccessToken(issuer_.Sign(issuer_.Claims()));
  EXPECT_EQ(p.sub, "f2b6e5a0-0000-4000-8000-000000000001");
  EXPECT_EQ(p.username, "analista");
  EXPECT_EQ(p.nome, "Ana Analista");
  EXPECT_TRUE(p.HasRole("analista_cq"));
  EXPECT_EQ(fetches_, 1);
  verifier_->VerifyAccessToken(issuer_.Sign(issuer_.Claims()));
  EXPECT_EQ(fetches_, 1);  // keys are cached
}

// proves: X1
TEST_F(JwtTest, AlgNoneIsRefused) {
  auto claims = issuer_.Claims();
  ExpectRefused(B64(R"({"alg":"none","kid":"key-1"})") + "." + B64(json::Serialize(claims)) + ".", "alg none");
  ExpectRefused(B64(R"({"alg":"none","kid":"key-1"})") + "." + B64(json::Serialize(claims)), "alg none, 2 parts");
}

// proves: X1
TEST_F(JwtTest, Hs256SignedWithThePublicKeyIsRefused) {
  // Algorithm confusion: HMAC keyed with the RSA public key the attacker can download.
  std::string secret = issuer_.PublicJwk();
  std::string signing_input =
      B64(R"({"alg":"HS256","kid":"key-1","typ":"JWT"})") + "." + B64(json::Serialize(issuer_.Claims()));
  unsigned char mac[32];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac, &mac_len);
  ExpectRefused(signing_input + "." + B64(std::string_view(reinterpret_cast<char*>(mac), mac_len)), "HS256");
}

TEST_F(JwtTest, ConcurrentFirstRequestsAllWaitForTheFirstFetch) {
  // Nothing is cached yet; sixteen requests arrive together.
  std::string token = issuer_.Sign(issuer_.Claims());
  std::vector<std::future<bool>> calls;
  for (int i = 0; i < 16; ++i) {
    calls.push_back(std::async(std::launch::async, [&] {
      try {
        verifier_->VerifyAccessToken(token);
        return true;
      } catch (const Error&) {
        return false;
      }
    }));
  }
  for (auto& c : calls) EXPECT_TRUE(c.get());
  EXPECT_EQ(fetches_, 1);
}

// proves: X1
TEST_F(JwtTest, UnknownKidIsRefusedAndRefetchesAreRateLimited) {
  Issuer stranger("https://auth.pharmasys.test/v1/auth", "key-unknown");
  ExpectRefused(stranger.Sign(stranger.Claims()), "unknown kid");
  int after_first = fetches_;
  for (int i = 0; i < 5; ++i) ExpectRefused(stranger.Sign(stranger.Claims()), "unknown kid again");
  EXPECT_EQ(fetches_, after_first);  // no refetch storm within the interval
}

TEST_F(JwtTest, ARotatedKeyIsFetchedOnItsFirstUse) {
  verifier_->VerifyAccessToken(issuer_.Sign(issuer_.Claims()));
  Issuer rotated("https://auth.pharmasys.test/v1/auth", "key-2");
  jwks_ = R"({"keys":[)" + rotated.PublicJwk() + "," + issuer_.PublicJwk() + "]}";
  std::this_thread::sleep_for(2100ms);  // past the refetch interval
  EXPECT_EQ(verifier_->VerifyAccessToken(rotated.Sign(rotated.Claims())).username, "analista");
  EXPECT_EQ(verifier_->VerifyAccessToken(issuer_.Sign(issuer_.Claims())).username, "analista");  // previous still valid
}

// proves: X1
TEST_F(JwtTest, WrongIssuerOrAudienceIsRefused) {
  auto claims = issuer_.Claims();
  claims["iss"] = "https://evil.example/v1/auth";
  ExpectRefused(issuer_.Sign(claims), "wrong iss");
  claims = issuer_.Claims();
  claims["aud"] = "other-api";
  ExpectRefused(issuer_.Sign(claims), "wrong aud");
  claims.erase("aud");
  ExpectRefused(issuer_.Sign(claims), "no aud");
}

// proves: X1
TEST_F(JwtTest, ExpiredOrNotYetValidIsRefusedBeyondTheLeeway) {
  auto claims = issuer_.Claims();
  claims["exp"] = Now() - 31;
  ExpectRefused(issuer_.Sign(claims), "expired");
  claims["exp"] = Now() - 10;  // within the 30 s leeway
  EXPECT_NO_THROW(verifier_->VerifyAccessToken(issuer_.Sign(claims)));
  claims = issuer_.Claims();
  claims["nbf"] = Now() + 120;
  ExpectRefused(issuer_.Sign(claims), "nbf in the future");
  claims = issuer_.Claims();
  claims.erase("exp");
  ExpectRefused(issuer_.Sign(claims), "no exp");
}

// A verified access token is remembered, but only for what its text decides: its time claims
// are checked on every use, and a new key set forgets every token verified with the old one.
// proves: X1
TEST_F(JwtTest, ARememberedTokenStillExpires) {
  auto claims = issuer_.Claims();
  claims["exp"] = Now() - 29;  // within the 30 s leeway, for about a second more
  const auto expiring = issuer_.Sign(claims);
  EXPECT_NO_THROW(verifier_->VerifyAccessToken(expiring));
  EXPECT_NO_THROW(verifier_->VerifyAccessToken(expiring));
  std::this_thread::sleep_for(2100ms);
  ExpectRefused(expiring, "expired since it was first verified");
}

TEST_F(JwtTest, ANewKeySetForgetsTheTokensVerifiedWithTheOldOne) {
  const auto token = issuer_.Sign(issuer_.Claims());
  EXPECT_EQ(verifier_->VerifyAccessToken(token).username, "analista");
  EXPECT_EQ(verifier_->VerifyAccessToken(token).username, "analista");
  Issuer other("https://auth.pharmasys.test/v1/auth", "key-2");
  verifier_->SetJwks(other.Jwks());  // key-1 is gone, and no refetch within 2 s of the first
  ExpectRefused(token, "its key is no longer in the key set");
}

// Found with fuzz_jwt: an exp of 1e300 was converted out of range and an exp of INT64_MAX
// overflowed when the leeway was added (undefined behaviour in both).
// proves: X1
TEST_F(JwtTest, TimeClaimsBeyondInt64AreTheFarFutureNeverWrapped) {
  for (boost::json::value exp :
       {boost::json::value(1e300), boost::json::value(INT64_MAX), boost::json::value(UINT64_MAX)}) {
    auto claims = issuer_.Claims();
    claims["exp"] = exp;
    EXPECT_NO_THROW(verifier_->VerifyAccessToken(issuer_.Sign(claims))) << json::Serialize(exp);
  }
  auto claims = issuer_.Claims();
  claims["exp"] = -1e300;
  ExpectRefused(issuer_.Sign(claims), "exp far in the past");
  claims = issuer_.Claims();
  claims["nbf"] = 1e300;
  ExpectRefused(issuer_.Sign(claims), "nbf in the far future");
  claims["nbf"] = UINT64_MAX;
  ExpectRefused(issuer_.Sign(claims), "nbf beyond int64");
}

// Found by fuzz_jwt: cjose's base64url decoder assert()s on "a=", so a token with such a
// segment aborted whichever process verified it (any service, the gateway) before a 401.
// proves: X1 X4
TEST_F(JwtTest, SegmentsThatAreNotBase64UrlAreRefusedBeforeDecoding) {
  std::string token = issuer_.Sign(issuer_.Claims());
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  const std::string header = token.substr(0, first), payload = token.substr(first + 1, second - first - 1),
                    signature = token.substr(second + 1);
  for (std::string bad : {"a=", "a==", "abcde=", "I=Z", "ab$c", "abcde"}) {
    ExpectRefused(bad + "." + payload + "." + signature, "header " + bad);
    ExpectRefused(header + "." + bad + "." + signature, "payload " + bad);
    ExpectRefused(header + "." + payload + "." + bad, "signature " + bad);
  }
  EXPECT_NO_THROW(verifier_->VerifyAccessToken(token));
}

// proves: X1
TEST_F(JwtTest, ATamperedPayloadIsRefused) {
  std::string token = issuer_.Sign(issuer_.Claims());
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  auto claims = issuer_.Claims();
  claims["realm_access"] = boost::json::object{{"roles", boost::json::array{"administrador"}}};
  std::string forged = token.substr(0, first + 1) + B64(json::Serialize(claims)) + token.substr(second);
  ExpectRefused(forged, "tampered payload");
  ExpectRefused(token.substr(0, token.size() - 2) + (token.back() == 'A' ? "BB" : "AA"), "tampered signature");
  // Another spelling of the same signature (the unused low bits of its last character set):
  // the same bytes, but not the token that was issued.
  std::string respelled = token;
  respelled.back() = static_cast<char>(respelled.back() + 1);  // RS256: 342 characters, 4 unused bits
  ExpectRefused(respelled, "a non-canonical encoding");
}

// proves: X1
TEST_F(JwtTest, RefreshAndSignatureTokensAreNotAccessTokens) {
  ExpectRefused(issuer_.Sign(issuer_.Claims("Refresh")), "refresh token");
  ExpectRefused(issuer_.Sign(issuer_.Claims("Assinatura")), "signature token");
  auto claims = issuer_.Claims();
  claims.erase("typ");
  ExpectRefused(issuer_.Sign(claims), "no typ");
}

// proves: X1
TEST_F(JwtTest, KeysInTokenHeadersAreNeverUsed) {
  // Even with a valid signature by a known key, a token naming where to get keys is refused
  // (and nothing is fetched from there).
  int before = fetches_;
  ExpectRefused(issuer_.Sign(issuer_.Claims(), {{"jku", "http://127.0.0.1:1/jwks"}}), "jku");
  ExpectRefused(issuer_.Sign(issuer_.Claims(), {{"x5u", "http://127.0.0.1:1/cert"}}), "x5u");
  ExpectRefused(issuer_.Sign(issuer_.Claims(), {{"jwk", "{}"}}), "jwk");
  EXPECT_LE(fetches_ - before, 1);
}

// proves: X1 X4
TEST_F(JwtTest, GarbageIsRefusedWithoutCrashing) {
  for (const char* junk : {"", ".", "..", "a.b.c", "eyJ.eyJ.eyJ", "not a token at all", "x.y", "a.b.c.d.e",
                           "eyJhbGciOiJSUzI1NiJ9.%%%.sig"}) {
    ExpectRefused(junk, std::string("garbage: ") + junk);
  }
  ExpectRefused(std::string(20000, 'a'), "oversized");
}

TEST_F(JwtTest, AKeycloakAccessTokenFromAnotherConfiguredIssuerIsAccepted) {
  // The claim layout of a Keycloak realm's access token; only the issuer URL is configured.
  Issuer keycloak("https://sso.plant.example/realms/pharmasys", "kc-rsa-1");
  jwks_ = keycloak.Jwks();
  auto verifier = Verifier("https://sso.plant.example/realms/pharmasys");
  auto claims = keycloak.Claims();
  claims["scope"] = "openid profile email";
  claims["sid"] = "3f0e";
  claims["email_verified"] = true;
  claims["resource_access"] = boost::json::object{{"account", boost::json::object{{"roles", boost::json::array{}}}}};
  auto p = verifier->VerifyAccessToken(keycloak.Sign(claims, {{"typ", "JWT"}}));
  EXPECT_TRUE(p.HasRole("analista_cq"));
  EXPECT_THROW(verifier_->VerifyAccessToken(keycloak.Sign(claims)), Unauthenticated);  // not our issuer
}

// Both at once: PharmaSys' Auth and a plant's Keycloak realm found by its discovery document.
class TwoIssuersTest : public JwtTest {
 protected:
  void SetUp() override {
    JwtTest::SetUp();
    router_.Get("/realms/pharmasys/.well-known/openid-configuration", [this](http::Request&) {
      ++discoveries_;
      return http::Response::Json(
          200, boost::json::object{{"issuer", discovery_issuer_}, {"jwks_uri", Base() + "/realms/pharmasys/certs"}});
    });
    router_.Get("/realms/pharmasys/certs",
                [this](http::Request&) { return http::Response::Text(200, certs_, "application/json"); });
  }
  std::string Base() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  std::shared_ptr<JwtVerifier> Both(std::vector<std::string> azp = {}) {
    return std::make_shared<JwtVerifier>(
        VerifierOptions{
            .issuer = "https://auth.pharmasys.test/v1/auth",
            .jwks_url = Base() + "/jwks",
            .trusted_issuers = {{.discovery_url = Base() + "/realms/pharmasys/.well-known/openid-configuration",
                                 .authorized_parties = std::move(azp)}},
            .min_refetch_interval = 2s},
        std::make_shared<http::Client>());
  }
  std::string discovery_issuer_;  // what the realm's discovery document says its issuer is
  std::string certs_;             // the realm's JWK Set
  std::atomic<int> discoveries_{0};
};

// proves: X1
TEST_F(TwoIssuersTest, EachIssuersTokensAreAcceptedAndOnlyWithItsOwnKeys) {
  const std::string realm = Base() + "/realms/pharmasys";
  discovery_issuer_ = realm;
  Issuer keycloak(realm, "kc-rsa-1");  // its tokens name the URL its discovery document is under
  certs_ = keycloak.Jwks();
  auto verifier = Both();
  EXPECT_EQ(verifier->VerifyAccessToken(issuer_.Sign(issuer_.Claims())).username, "analista");
  auto kc_claims = keycloak.Claims();
  EXPECT_TRUE(verifier->VerifyAccessToken(keycloak.Sign(kc_claims)).HasRole("analista_cq"));
  EXPECT_EQ(discoveries_.load(), 1);

  verifier_ = verifier;
  // The realm's key does not vouch for a token that names PharmaSys' Auth, nor the other way.
  ExpectRefused(keycloak.Sign(issuer_.Claims()), "our issuer, signed by the realm's key");
  ExpectRefused(issuer_.Sign(kc_claims), "the realm's issuer, signed by our key");
  // An issuer that is configured nowhere.
  Issuer stranger("https://elsewhere.example/realms/pharmasys", "kc-rsa-1");
  ExpectRefused(stranger.Sign(stranger.Claims()), "an issuer nobody trusts");
  // The realm's audience rule holds too.
  auto wrong_aud = kc_claims;
  wrong_aud["aud"] = "account";
  ExpectRefused(keycloak.Sign(wrong_aud), "the realm's token without the pharmasys audience");
  // Signature tokens come from PharmaSys' Auth alone.
  EXPECT_THROW(verifier->VerifySignatureToken(keycloak.Sign(keycloak.Claims("Assinatura"))), Error);
}

// proves: X1
TEST_F(TwoIssuersTest, ADiscoveryDocumentNamingAnotherIssuerGivesNoKeys) {
  const std::string realm = Base() + "/realms/pharmasys";
  discovery_issuer_ = "https://attacker.example/realms/pharmasys";  // OIDC Discovery §4.3: must match
  Issuer keycloak(realm, "kc-rsa-1");  // its tokens name the URL its discovery document is under
  certs_ = keycloak.Jwks();
  verifier_ = Both();
  ExpectRefused(keycloak.Sign(keycloak.Claims()), "keys from a discovery document of another issuer");
}

// proves: X1
TEST_F(TwoIssuersTest, AnAuthorizedPartyOutsideTheIssuersListIsRefused) {
  const std::string realm = Base() + "/realms/pharmasys";
  discovery_issuer_ = realm;
  Issuer keycloak(realm, "kc-rsa-1");  // its tokens name the URL its discovery document is under
  certs_ = keycloak.Jwks();
  verifier_ = Both({"pharmasys-web"});
  auto claims = keycloak.Claims();
  claims["azp"] = "pharmasys-web";
  EXPECT_NO_THROW(verifier_->VerifyAccessToken(keycloak.Sign(claims)));
  claims["azp"] = "some-other-client";
  ExpectRefused(keycloak.Sign(claims), "a client the realm issued to but the plant did not allow");
}

TEST(TrustedIssuers, FromTheEnvironmentWithTheirRules) {
  config::Env env([](const std::string& name) -> std::optional<std::string> {
    if (name == "PHARMASYS_JWT_ISSUER_2_DISCOVERY_URL")
      return "https://sso.plant.example/realms/pharmasys/.well-known/openid-configuration";
    if (name == "PHARMASYS_JWT_ISSUER_2_AZP") return "pharmasys-web,producao";
    if (name == "PHARMASYS_JWT_ISSUER_3_DISCOVERY_URL") return "https://sso.plant.example/realms/other";
    return std::nullopt;
  });
  auto issuers = TrustedIssuersFromEnv(env);
  ASSERT_EQ(issuers.size(), 1u);
  EXPECT_EQ(issuers[0].audience, "pharmasys");
  EXPECT_EQ(issuers[0].authorized_parties, (std::vector<std::string>{"pharmasys-web", "producao"}));
  EXPECT_EQ(IssuerOfDiscoveryUrl(issuers[0].discovery_url), "https://sso.plant.example/realms/pharmasys");
  ASSERT_EQ(env.problems().size(), 1u);
  EXPECT_NE(env.problems()[0].find("PHARMASYS_JWT_ISSUER_3_DISCOVERY_URL"), std::string::npos);
}

// proves: X2
TEST_F(JwtTest, TheMiddlewareAnswers401WithoutATokenAnd403WithoutTheRole) {
  http::Router router;
  router.Use(Authenticate(verifier_, {"/v1/auth/token"}));
  router.Get("/v1/auth/token", [](http::Request&) { return http::Response::Text(200, "public"); });
  router.Get("/v1/laudos", [](http::Request& r) {
    RequireRole(r, {"analista_cq", "auditor"});
    return http::Response::Text(200, r.principal.username);
  });
  router.Get("/v1/usuarios", [](http::Request& r) {
    RequireRole(r, {"administrador"});
    return http::Response::Text(200, "ok");
  });
  auto call = [&](std::string path, std::string auth) {
    http::Request r;
    r.method = http::Method::Get;
    r.method_text = "GET";
    r.path = std::move(path);
    if (!auth.empty()) r.headers.Set("Authorization", auth);
    try {
      return router.Dispatch(r).status;
    } catch (const Error& e) {
      return e.status();
    }
  };
  std::string token = "Bearer " + issuer_.Sign(issuer_.Claims());
  EXPECT_EQ(call("/v1/auth/token", ""), 200);
  EXPECT_EQ(call("/v1/auth/token", "Basic cGhhcm1hc3lzLXdlYjo="), 200);  // public: not inspected
  EXPECT_EQ(call("/v1/laudos", ""), 401);
  EXPECT_EQ(call("/v1/laudos", "Basic YWRtaW46YWRtaW4="), 401);
  EXPECT_EQ(call("/v1/laudos", "Bearer garbage"), 401);
  EXPECT_EQ(call("/v1/laudos", token), 200);
  EXPECT_EQ(call("/v1/usuarios", token), 403);
}

}  // namespace
}  // namespace pharmasys::auth
