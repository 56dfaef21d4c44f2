#pragma once
// The authorization request of the Authorization Code flow (RFC 6749 §4.1) with PKCE (RFC 7636,
// S256 only): which requests get the sign-in page, which get an error sent back to the client,
// and which get an error shown here because the redirect URI cannot be trusted with it
// (§4.1.2.1). Also the rules of the values the flow carries. Pure: no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pharmasys::auth_service {

// The parameters as received (an absent one is empty): the same on the page's GET and on the
// sign-in form's POST, which carries them as hidden fields.
struct AuthorizationRequest {
  std::string response_type;
  std::string client_id;
  std::string redirect_uri;
  std::string state;
  std::string code_challenge;
  std::string code_challenge_method;
};

// The parameter names of the request, in the order the sign-in form carries them.
inline constexpr std::string_view kAuthorizationParameters[] = {
    "response_type", "client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method"};

// A client that may use the flow: a public client (no secret), bound to exact redirect URIs.
struct RegisteredClient {
  std::string client_id;
  std::vector<std::string> redirect_uris;
};

enum class AuthorizationVerdict {
  Valid,          // show the sign-in page
  RefuseHere,     // unknown client or redirect URI: answer here, never redirect
  RedirectError,  // tell the client, at its redirect URI
};

struct AuthorizationDecision {
  AuthorizationVerdict verdict = AuthorizationVerdict::Valid;
  std::string error;  // RedirectError: invalid_request or unsupported_response_type
  // RefuseHere: for the person, in pt-BR. RedirectError: for the client's developer, in the
  // characters RFC 6749 allows in `error_description` (printable ASCII but `"` and `\`).
  std::string description;
};

inline constexpr std::size_t kMaxStateLength = 1024;

// `duplicated` names a parameter the request sent more than once (RFC 6749 §3.1), or is empty.
AuthorizationDecision DecideAuthorization(const AuthorizationRequest& request, const RegisteredClient& client,
                                          std::string_view duplicated);

// RFC 7636 §4.1: 43 to 128 characters of [A-Z] [a-z] [0-9] "-" "." "_" "~".
bool IsCodeVerifier(std::string_view verifier);
// An S256 challenge: BASE64URL(SHA-256(verifier)) without padding, in its one spelling (43
// characters whose last one carries no unused bits).
bool IsS256Challenge(std::string_view challenge);

// Why `uri` cannot be a registered redirect URI, or nullopt: an absolute http(s) URI with a host,
// no fragment (RFC 6749 §3.1.2), and nothing that would need escaping in a Location header, a
// Content-Security-Policy or an HTML attribute.
std::optional<std::string> RedirectUriProblem(std::string_view uri);

// The origin (scheme://host[:port]) of an absolute http(s) URI, or empty.
std::string OriginOf(std::string_view uri);

// `redirect_uri` with `parameters` added to its query, each percent-encoded (RFC 6749 §4.1.2:
// the query it already has is kept).
std::string WithQueryParameters(std::string_view redirect_uri,
                                const std::vector<std::pair<std::string_view, std::string_view>>& parameters);

// Whether a POST of the sign-in form comes from the sign-in page itself rather than from a page
// of another site (login CSRF). `origin` and `fetch_site` are the request's `Origin` and
// `Sec-Fetch-Site` headers; `own_origin` is the issuer's origin; `hosts` are the authorities the
// request was addressed to (`Host`, and `X-Forwarded-Host` behind the gateway). A browser names
// the site a POST comes from in one of those headers; a request with neither is not a
// browser's, and passes.
bool FromOwnPage(std::optional<std::string_view> origin, std::optional<std::string_view> fetch_site,
                 std::string_view own_origin, const std::vector<std::string_view>& hosts);

}  // namespace pharmasys::auth_service
