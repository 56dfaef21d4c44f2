// The pure parts of the Authorization Code flow: the request decision, PKCE, redirect URIs,
// the CSRF check of the sign-in form, and what the pages put in their HTML and headers.
#include "domain/authorization.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "api/pages.hpp"
#include "domain/pkce.hpp"

namespace pharmasys::auth_service {
namespace {

// RFC 7636 Appendix B.
constexpr std::string_view kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

const RegisteredClient kWeb{"pharmasys-web", {"http://localhost:8080/entrar/retorno", "https://app.example/cb?x=1"}};

AuthorizationRequest Valid() {
  return {"code", "pharmasys-web", "http://localhost:8080/entrar/retorno", "xyz", std::string(kChallenge), "S256"};
}

TEST(AuthorizationRequest, AValidRequestGetsTheSignInPage) {
  EXPECT_EQ(DecideAuthorization(Valid(), kWeb, "").verdict, AuthorizationVerdict::Valid);
  auto no_state = Valid();
  no_state.state.clear();
  EXPECT_EQ(DecideAuthorization(no_state, kWeb, "").verdict, AuthorizationVerdict::Valid);
}

TEST(AuthorizationRequest, AnUnknownClientOrRedirectUriIsAnsweredHereNeverRedirected) {
  auto cases = std::vector<AuthorizationRequest>(6, Valid());
  cases[0].client_id = "other-client";
  cases[1].client_id.clear();
  cases[2].redirect_uri = "https://evil.example/cb";
  cases[3].redirect_uri = "http://localhost:8080/entrar/retorno/";  // not an exact match
  cases[4].redirect_uri = "http://localhost:8080/entrar/retorno?x=1";
  cases[5].redirect_uri.clear();
  for (const auto& request : cases) {
    auto decision = DecideAuthorization(request, kWeb, "");
    EXPECT_EQ(decision.verdict, AuthorizationVerdict::RefuseHere) << request.client_id << " " << request.redirect_uri;
    EXPECT_FALSE(decision.description.empty());
  }
  // Even a bad response_type is not sent to a redirect URI that is not registered.
  auto both = Valid();
  both.redirect_uri = "https://evil.example/cb";
  both.response_type = "token";
  EXPECT_EQ(DecideAuthorization(both, kWeb, "").verdict, AuthorizationVerdict::RefuseHere);
  EXPECT_EQ(DecideAuthorization(Valid(), kWeb, "redirect_uri").verdict, AuthorizationVerdict::RefuseHere);
  EXPECT_EQ(DecideAuthorization(Valid(), kWeb, "client_id").verdict, AuthorizationVerdict::RefuseHere);
}

TEST(AuthorizationRequest, OtherErrorsGoBackToTheClient) {
  struct Case {
    void (*change)(AuthorizationRequest&);
    const char* error;
  };
  const Case cases[] = {
      {[](AuthorizationRequest& r) { r.response_type = "token"; }, "unsupported_response_type"},
      {[](AuthorizationRequest& r) { r.response_type.clear(); }, "invalid_request"},
      {[](AuthorizationRequest& r) { r.code_challenge.clear(); }, "invalid_request"},
      {[](AuthorizationRequest& r) { r.code_challenge_method = "plain"; }, "invalid_request"},
      {[](AuthorizationRequest& r) { r.code_challenge_method.clear(); }, "invalid_request"},
      {[](AuthorizationRequest& r) { r.code_challenge = r.code_challenge.substr(1); }, "invalid_request"},
      {[](AuthorizationRequest& r) { r.code_challenge = std::string(kVerifier) + "x"; }, "invalid_request"},
      {[](AuthorizationRequest& r) { r.state = "tab\there"; }, "invalid_request"},
      {[](AuthorizationRequest& r) { r.state = std::string(kMaxStateLength + 1, 's'); }, "invalid_request"},
  };
  for (const auto& c : cases) {
    auto request = Valid();
    c.change(request);
    auto decision = DecideAuthorization(request, kWeb, "");
    EXPECT_EQ(decision.verdict, AuthorizationVerdict::RedirectError) << c.error;
    EXPECT_EQ(decision.error, c.error);
    // RFC 6749 §4.1.2.1: error_description is printable ASCII without '"' and '\'.
    for (char ch : decision.description) EXPECT_TRUE(ch >= 0x20 && ch <= 0x7E && ch != '"' && ch != '\\');
  }
  auto repeated = DecideAuthorization(Valid(), kWeb, "state");
  EXPECT_EQ(repeated.verdict, AuthorizationVerdict::RedirectError);
  EXPECT_EQ(repeated.error, "invalid_request");
}

TEST(Pkce, TheS256TransformIsTheRfc7636One) {
  EXPECT_EQ(S256Challenge(kVerifier), kChallenge);
  EXPECT_TRUE(VerifierMatches(kVerifier, kChallenge));
  std::string other(kVerifier);
  other.back() = 'j';
  EXPECT_FALSE(VerifierMatches(other, kChallenge));
  EXPECT_FALSE(VerifierMatches(kVerifier, kChallenge.substr(0, 42)));
  // A verifier outside RFC 7636's rules never matches, even against its own transform.
  const std::string short_one(42, 'a');
  EXPECT_FALSE(VerifierMatches(short_one, S256Challenge(short_one)));
  const std::string spaced = std::string(43, 'a') + " ";
  EXPECT_FALSE(VerifierMatches(spaced, S256Challenge(spaced)));
}

TEST(Pkce, VerifiersAndChallengesHaveOneShape) {
  EXPECT_TRUE(IsCodeVerifier(std::string(43, 'a')));
  EXPECT_TRUE(IsCodeVerifier(std::string(128, '~')));
  EXPECT_TRUE(IsCodeVerifier("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"));
  EXPECT_FALSE(IsCodeVerifier(std::string(42, 'a')));
  EXPECT_FALSE(IsCodeVerifier(std::string(129, 'a')));
  EXPECT_FALSE(IsCodeVerifier(std::string(43, 'a') + "+"));
  EXPECT_FALSE(IsCodeVerifier(std::string(43, 'a') + "="));
  EXPECT_TRUE(IsS256Challenge(kChallenge));
  EXPECT_FALSE(IsS256Challenge(std::string(kChallenge) + "="));  // no padding
  EXPECT_FALSE(IsS256Challenge(std::string(kChallenge.substr(0, 42)) + "+"));
  // The last character carries two unused bits: "M" leaves them clear, "N" does not.
  EXPECT_FALSE(IsS256Challenge(std::string(kChallenge.substr(0, 42)) + "N"));
}

TEST(Pkce, CodesAreLongRandomAndUrlSafe) {
  auto a = NewAuthorizationCode();
  auto b = NewAuthorizationCode();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);        // 256 bits
  EXPECT_TRUE(IsCodeVerifier(a));  // the same URL-safe alphabet
}

TEST(RedirectUris, OnlyAbsoluteUrisThatNeedNoEscapingCanBeRegistered) {
  EXPECT_FALSE(RedirectUriProblem("http://localhost:8080/entrar/retorno"));
  EXPECT_FALSE(RedirectUriProblem("https://app.example/cb?x=1"));
  for (const char* bad :
       {"", "/entrar/retorno", "localhost:8080/x", "ftp://h/x", "http:///x", "http://u:p@h/x", "https://h/x#frag",
        "https://h/a b", "https://h/x;y", "https://h/x\"y", "https://h/<x>", "javascript:alert(1)"}) {
    EXPECT_TRUE(RedirectUriProblem(bad)) << bad;
  }
  EXPECT_EQ(OriginOf("https://App.Example:443/cb?x=1"), "https://app.example");
  EXPECT_EQ(OriginOf("http://localhost:8080/entrar/retorno"), "http://localhost:8080");
  EXPECT_EQ(OriginOf("http://127.0.0.1?x"), "http://127.0.0.1");
}

TEST(RedirectUris, ParametersAreAddedToTheQueryEncoded) {
  EXPECT_EQ(WithQueryParameters("http://h/cb", {{"code", "abc"}, {"state", "a b&c=d/é"}}),
            "http://h/cb?code=abc&state=a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(WithQueryParameters("https://app.example/cb?x=1", {{"code", "abc"}}),
            "https://app.example/cb?x=1&code=abc");
  EXPECT_EQ(WithQueryParameters("https://app.example/cb?", {{"code", "abc"}}), "https://app.example/cb?code=abc");
}

TEST(SignInCsrf, AFormPostedFromAnotherSiteIsRefused) {
  const std::string_view own = "http://localhost:8080";
  const std::vector<std::string_view> hosts{"127.0.0.1:8081", "127.0.0.1:8080"};
  EXPECT_TRUE(FromOwnPage(std::nullopt, std::nullopt, own, hosts));  // not a browser
  EXPECT_TRUE(FromOwnPage("http://localhost:8080", std::nullopt, own, hosts));
  EXPECT_TRUE(FromOwnPage("http://127.0.0.1:8080", "same-origin", own, hosts));  // the gateway's Host
  EXPECT_TRUE(FromOwnPage("null", "same-origin", own, hosts));                   // no-referrer's own form
  EXPECT_FALSE(FromOwnPage("https://evil.example", std::nullopt, own, hosts));
  EXPECT_FALSE(FromOwnPage("https://evil.example", "cross-site", own, hosts));
  EXPECT_FALSE(FromOwnPage("http://localhost:8080", "cross-site", own, hosts));  // the browser knows better
  EXPECT_FALSE(FromOwnPage(std::nullopt, "same-site", own, hosts));
  EXPECT_FALSE(FromOwnPage("null", std::nullopt, own, hosts));  // a sandboxed page of anyone
  EXPECT_FALSE(FromOwnPage("http://127.0.0.1:8080.evil.example", std::nullopt, own, hosts));
}

std::string IndependentSha256Base64(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char out[64] = {};
  EVP_EncodeBlock(out, digest, SHA256_DIGEST_LENGTH);
  return reinterpret_cast<char*>(out);
}

TEST(SignInPage, IsAnAccessibleFormThatNeedsNoScriptAndItsStyleIsAllowedByHash) {
  auto page = SignInPage(200, Valid(), "", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.GetOr("Content-Type", ""), "text/html; charset=utf-8");
  const std::string& html = page.body;
  const std::vector<std::string> parts{
      "<html lang=\"pt-BR\">",
      "<title>PharmaSys — Entrar</title>",
      "name=\"viewport\"",
      "<label for=\"username\">Usuário</label>",
      "<input id=\"username\"",
      "autocomplete=\"username\"",
      "<label for=\"password\">Senha</label>",
      "autocomplete=\"current-password\"",
      "type=\"password\"",
      "<button type=\"submit\">",
      "method=\"post\"",
      ":focus-visible",
      "<input type=\"hidden\" name=\"code_challenge\" value=\"" + std::string(kChallenge) + "\">",
      "<input type=\"hidden\" name=\"state\" value=\"xyz\">"};
  for (const auto& part : parts) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  for (const char* absent : {"<script", " style=", "javascript:", "onclick", "onload"}) {
    EXPECT_EQ(html.find(absent), std::string::npos) << absent;
  }
  auto start = html.find("<style>") + 7;
  std::string style = html.substr(start, html.find("</style>") - start);
  std::string csp(page.headers.GetOr("Content-Security-Policy", ""));
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'sha256-" + IndependentSha256Base64(style) + "'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("form-action 'self' http://localhost:8080"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("base-uri 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(page.headers.GetOr("X-Frame-Options", ""), "DENY");
  EXPECT_EQ(page.headers.GetOr("Cache-Control", ""), "no-store");
  EXPECT_EQ(page.headers.GetOr("Referrer-Policy", ""), "no-referrer");
}

TEST(SignInPage, EveryReflectedValueIsEscaped) {
  auto request = Valid();
  request.state = R"("><script>alert(1)</script>)";
  auto page = SignInPage(400, request, "<img src=x onerror=alert(1)>'", "Usuário ou senha inválidos.");
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_EQ(page.body.find("<img"), std::string::npos);
  EXPECT_NE(page.body.find("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), std::string::npos);
  EXPECT_NE(page.body.find("value=\"&lt;img src=x onerror=alert(1)&gt;&#39;\""), std::string::npos);
  EXPECT_NE(page.body.find("role=\"alert\">Usuário ou senha inválidos.</p>"), std::string::npos);
  EXPECT_NE(page.body.find("aria-describedby=\"erro\""), std::string::npos);
  EXPECT_EQ(EscapeHtml(R"(<a href="x">&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  // Invalid UTF-8 and NUL do not reach the page as such.
  auto odd = SignInPage(400, Valid(), std::string("ad\xFF\0min", 6), "x");
  EXPECT_EQ(odd.body.find('\0'), std::string::npos);
  EXPECT_EQ(odd.body.find('\xFF'), std::string::npos);
}

TEST(SignInPage, TheErrorPageSendsNobodyAnywhere) {
  auto page = ErrorPage(400, "O endereço <de> retorno não está registrado.");
  EXPECT_EQ(page.status, 400);
  EXPECT_FALSE(page.headers.Get("Location"));
  EXPECT_EQ(page.body.find("<form"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;de&gt;"), std::string::npos);
  EXPECT_NE(std::string(page.headers.GetOr("Content-Security-Policy", "")).find("form-action 'none'"),
            std::string::npos);
  auto redirect = RedirectTo("http://h/cb?code=x");
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(redirect.headers.GetOr("Location", ""), "http://h/cb?code=x");
  EXPECT_EQ(redirect.headers.GetOr("Cache-Control", ""), "no-store");
  EXPECT_EQ(redirect.headers.GetOr("Referrer-Policy", ""), "no-referrer");
}

}  // namespace
}  // namespace pharmasys::auth_service
