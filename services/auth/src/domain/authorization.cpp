#include "authorization.hpp"

#include <algorithm>
#include <cctype>

namespace pharmasys::auth_service {
namespace {

constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool IsUnreserved(char c) {  // RFC 3986 §2.3, also the code verifier's alphabet
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_' || c == '~';
}

bool IsVisibleAscii(char c) {
  return c >= 0x21 && c <= 0x7E;
}

// RFC 6749 Appendix A.5: state = 1*VSCHAR (%x20-7E).
bool IsState(std::string_view state) {
  return state.size() <= kMaxStateLength &&
         std::all_of(state.begin(), state.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "http" or "https" and what follows "://", or nullopt.
std::optional<std::pair<std::string_view, std::string_view>> SplitScheme(std::string_view uri) {
  for (std::string_view scheme : {"https", "http"}) {
    if (uri.size() > scheme.size() + 3 && Lower(uri.substr(0, scheme.size())) == scheme &&
        uri.substr(scheme.size(), 3) == "://") {
      return std::pair{scheme, uri.substr(scheme.size() + 3)};
    }
  }
  return std::nullopt;
}

std::string_view AuthorityOf(std::string_view rest) {
  return rest.substr(0, rest.find_first_of("/?#"));
}

AuthorizationDecision RefuseHere(std::string description) {
  return {AuthorizationVerdict::RefuseHere, "", std::move(description)};
}

AuthorizationDecision Redirect(std::string error, std::string description) {
  return {AuthorizationVerdict::RedirectError, std::move(error), std::move(description)};
}

}  // namespace

AuthorizationDecision DecideAuthorization(const AuthorizationRequest& request, const RegisteredClient& client,
                                          std::string_view duplicated) {
  // Until the client and its redirect URI are known, nothing may be sent anywhere.
  if (duplicated == "client_id" || duplicated == "redirect_uri") {
    return RefuseHere("O parâmetro " + std::string(duplicated) + " foi enviado mais de uma vez.");
  }
  if (request.client_id.empty()) return RefuseHere("O pedido não identifica o aplicativo (client_id).");
  if (request.client_id != client.client_id) return RefuseHere("O aplicativo que pediu a entrada não é conhecido.");
  if (request.redirect_uri.empty()) return RefuseHere("O pedido não diz para onde voltar (redirect_uri).");
  // Exact match, character by character (RFC 9700 §4.1.3): no prefix, no pattern.
  if (std::find(client.redirect_uris.begin(), client.redirect_uris.end(), request.redirect_uri) ==
      client.redirect_uris.end()) {
    return RefuseHere("O endereço de retorno não está registrado para este aplicativo.");
  }
  if (!duplicated.empty()) {
    return Redirect("invalid_request", "o parametro " + std::string(duplicated) + " foi enviado mais de uma vez");
  }
  if (request.response_type.empty()) return Redirect("invalid_request", "response_type e obrigatorio");
  if (request.response_type != "code") {
    return Redirect("unsupported_response_type", "apenas response_type=code e aceito");
  }
  if (!IsState(request.state)) {
    return Redirect("invalid_request",
                    "state deve ter ate " + std::to_string(kMaxStateLength) + " caracteres ASCII visiveis");
  }
  if (request.code_challenge.empty()) return Redirect("invalid_request", "code_challenge e obrigatorio (PKCE)");
  if (request.code_challenge_method != "S256") {
    return Redirect("invalid_request", "code_challenge_method deve ser S256");
  }
  if (!IsS256Challenge(request.code_challenge)) {
    return Redirect("invalid_request", "code_challenge deve ser BASE64URL(SHA-256(code_verifier)), 43 caracteres");
  }
  return {};
}

bool IsCodeVerifier(std::string_view verifier) {
  return verifier.size() >= 43 && verifier.size() <= 128 && std::all_of(verifier.begin(), verifier.end(), IsUnreserved);
}

bool IsS256Challenge(std::string_view challenge) {
  // 32 bytes are 256 bits; 43 characters carry 258, so the last one's two low bits are unused
  // and zero in the one spelling an encoder produces.
  if (challenge.size() != 43) return false;
  for (char c : challenge) {
    if (kBase64Url.find(c) == std::string_view::npos) return false;
  }
  return kBase64Url.find(challenge.back()) % 4 == 0;
}

std::optional<std::string> RedirectUriProblem(std::string_view uri) {
  auto split = SplitScheme(uri);
  if (!split) return "'" + std::string(uri) + "' is not an absolute http:// or https:// URI";
  std::string_view authority = AuthorityOf(split->second);
  if (authority.empty()) return "'" + std::string(uri) + "' has no host";
  if (authority.find('@') != std::string_view::npos) return "'" + std::string(uri) + "' has user information";
  if (uri.find('#') != std::string_view::npos) return "'" + std::string(uri) + "' has a fragment";
  constexpr std::string_view kUnsafe = "\"'<>\\,;`{}|^";
  for (char c : uri) {
    if (!IsVisibleAscii(c) || kUnsafe.find(c) != std::string_view::npos) {
      return "'" + std::string(uri) + "' has a character that is not allowed (spaces, quotes, <>\\,;`{}|^)";
    }
  }
  return std::nullopt;
}

std::string OriginOf(std::string_view uri) {
  auto split = SplitScheme(uri);
  if (!split) return "";
  std::string authority = Lower(AuthorityOf(split->second));
  std::string_view default_port = split->first == "https" ? ":443" : ":80";
  if (authority.ends_with(default_port)) authority.resize(authority.size() - default_port.size());
  return std::string(split->first) + "://" + authority;
}

std::string WithQueryParameters(std::string_view redirect_uri,
                                const std::vector<std::pair<std::string_view, std::string_view>>& parameters) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(redirect_uri);
  char separator = out.find('?') == std::string::npos ? '?' : (out.back() == '?' || out.back() == '&' ? '\0' : '&');
  for (const auto& [name, value] : parameters) {
    if (separator != '\0') out.push_back(separator);
    separator = '&';
    out.append(name);
    out.push_back('=');
    for (char c : value) {
      if (IsUnreserved(c)) {
        out.push_back(c);
      } else {
        auto byte = static_cast<unsigned char>(c);
        out.push_back('%');
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 0x0F]);
      }
    }
  }
  return out;
}

bool FromOwnPage(std::optional<std::string_view> origin, std::optional<std::string_view> fetch_site,
                 std::string_view own_origin, const std::vector<std::string_view>& hosts) {
  // Fetch Metadata: the browser's own word on where the request comes from.
  if (fetch_site && *fetch_site != "same-origin" && *fetch_site != "none") return false;
  if (!origin) return true;
  // The sign-in page is sent with `Referrer-Policy: no-referrer`, so the browser names its own
  // form's origin "null"; any sandboxed page of another site can do the same, so "null" is
  // believed only together with Sec-Fetch-Site.
  if (*origin == "null") return fetch_site == "same-origin";
  if (Lower(*origin) == Lower(own_origin)) return true;
  auto split = SplitScheme(*origin);
  if (!split) return false;
  const std::string authority = Lower(split->second);
  return std::any_of(hosts.begin(), hosts.end(),
                     [&](std::string_view host) { return !host.empty() && Lower(host) == authority; });
}

}  // namespace pharmasys::auth_service
