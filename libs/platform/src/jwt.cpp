#include "pharmasys/auth/jwt.hpp"

#include <cjose/base64.h>
#include <cjose/jwk.h>
#include <cjose/jws.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <unordered_map>

#include "pharmasys/error.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::auth {
namespace {

using Clock = std::chrono::system_clock;
using Key = std::shared_ptr<cjose_jwk_t>;

Key MakeKey(cjose_jwk_t* raw) {
  return Key(raw, [](cjose_jwk_t* k) { cjose_jwk_release(k); });
}

// A segment of a compact JWS is unpadded base64url (RFC 7515 §2). Anything else is refused
// before cjose sees it: its decoder assert()s, aborting the whole process, on input such as
// "a=" (Debian builds libcjose with assertions on).
// The encoding must also be canonical: the unused low bits of the last character are zero, so
// a token has exactly one spelling (another one would decode to the same bytes and verify).
bool IsBase64Url(std::string_view segment) {
  if (segment.size() % 4 == 1) return false;  // no whole byte in the last group
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  if (!std::all_of(segment.begin(), segment.end(), [&](char c) { return value(c) >= 0; })) return false;
  if (segment.empty()) return true;
  const int last = value(segment.back());
  if (segment.size() % 4 == 2) return (last & 0x0F) == 0;
  if (segment.size() % 4 == 3) return (last & 0x03) == 0;
  return true;
}

// A segment of a compact JWS, decoded from base64url.
std::optional<std::string> DecodeSegment(std::string_view segment) {
  if (!IsBase64Url(segment)) return std::nullopt;
  uint8_t* out = nullptr;
  size_t length = 0;
  cjose_err err{};
  if (!cjose_base64url_decode(segment.data(), segment.size(), &out, &length, &err)) return std::nullopt;
  std::string text(reinterpret_cast<const char*>(out), length);
  std::free(out);
  return text;
}

// A NumericDate claim in whole seconds, -1 when absent, negative or not a number. A value
// beyond int64 (1e300, or an unsigned above INT64_MAX) is the far future, never wrapped into
// the past and never converted out of range.
std::int64_t NumericClaim(const boost::json::object& claims, std::string_view name) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  const auto* v = claims.if_contains(name);
  if (v == nullptr) return -1;
  if (v->is_int64()) return std::max<std::int64_t>(v->get_int64(), -1);
  if (v->is_uint64())
    return v->get_uint64() > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double()) {
    double d = v->get_double();
    if (!(d >= 0)) return -1;                     // negative or NaN
    if (d >= 9223372036854775807.0) return kMax;  // 2^63 and above
    return static_cast<std::int64_t>(d);
  }
  return -1;
}

std::string StringClaim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

}  // namespace

// The time claims of a token, checked on every use (the other checks depend only on the
// token's text, the options and the key set).
struct TimeClaims {
  std::int64_t exp = -1, nbf = -1, iat = -1;
};

template <typename Fail>
void CheckTimes(const TimeClaims& t, std::chrono::seconds leeway_allowed, Fail fail) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
  const auto leeway = leeway_allowed.count();
  if (t.exp < 0 || now - leeway > t.exp) throw fail("token expirado");  // exp + leeway could overflow
  if (t.nbf >= 0 && now + leeway < t.nbf) throw fail("token ainda não válido");
  if (t.iat >= 0 && now + leeway < t.iat) throw fail("emitido no futuro");
}

// Access tokens already verified, by their exact text: a client presents the same token on
// every request for its lifetime, and an RS256 verification costs more than the rest of a
// typical request's own work. Only what the token's text, the options and the key set decide is
// remembered; the time claims are checked again on each use, in the order a full
// verification checks them, so an answer never differs from one without the cache. A new key
// set empties it.
class VerifiedTokens {
 public:
  struct Entry {
    http::Principal principal;
    TimeClaims times;
  };
  static constexpr std::size_t kMaxEntries = 4096;

  std::optional<Entry> Find(std::string_view token) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(std::string(token));
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }
  std::uint64_t generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }
  // Remembers a token verified against the key set of `generation` (unless it changed since).
  void Add(std::string_view token, Entry entry, std::uint64_t generation, std::chrono::seconds leeway) {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;
    if (entries_.size() >= kMaxEntries) {
      const auto now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
      std::erase_if(entries_, [&](const auto& e) { return now - leeway.count() > e.second.times.exp; });
      if (entries_.size() >= kMaxEntries) entries_.clear();
    }
    entries_.insert_or_assign(std::string(token), std::move(entry));
  }
  void Clear() {
    std::lock_guard lock(mutex_);
    ++generation_;
    entries_.clear();
  }

 private:
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

// One issuer whose tokens are accepted: what it must say, and its keys.
struct IssuerKeys {
  std::string issuer;         // the `iss` it signs as
  std::string jwks_url;       // empty until its discovery document is read
  std::string discovery_url;  // empty for the primary issuer (configured by its JWKS URL)
  std::string audience;
  std::vector<std::string> authorized_parties;
  bool signs_signatures = false;    // only PharmaSys' Auth issues signature tokens
  std::mutex mutex;                 // guards keys, jwks_url and last_fetch
  std::mutex fetch_mutex;           // held while fetching
  std::map<std::string, Key> keys;  // by kid
  std::optional<std::chrono::steady_clock::time_point> last_fetch;
};

struct JwtVerifier::Impl {
  VerifierOptions options;
  std::shared_ptr<http::Client> client;
  std::vector<std::unique_ptr<IssuerKeys>> issuers;  // the primary first
  VerifiedTokens verified;

  void Configure() {
    auto primary = std::make_unique<IssuerKeys>();
    primary->issuer = options.issuer;
    primary->jwks_url = options.jwks_url;
    primary->audience = options.audience;
    primary->authorized_parties = options.authorized_parties;
    primary->signs_signatures = true;
    issuers.push_back(std::move(primary));
    for (const auto& trusted : options.trusted_issuers) {
      auto issuer = IssuerOfDiscoveryUrl(trusted.discovery_url);
      if (!issuer) throw std::invalid_argument("not an OIDC discovery URL: " + trusted.discovery_url);
      auto keys = std::make_unique<IssuerKeys>();
      keys->issuer = *issuer;
      keys->discovery_url = trusted.discovery_url;
      keys->audience = trusted.audience;
      keys->authorized_parties = trusted.authorized_parties;
      issuers.push_back(std::move(keys));
    }
  }

  IssuerKeys* IssuerNamed(std::string_view iss) {
    for (auto& i : issuers) {
      if (i->issuer == iss) return i.get();
    }
    return nullptr;
  }

  void Load(IssuerKeys& issuer, const std::string& jwks_json) {
    auto jwks = json::Parse(jwks_json);
    std::map<std::string, Key> loaded;
    for (const auto& k : jwks.at("keys").as_array()) {
      const auto& key = k.as_object();
      if (StringClaim(key, "kty") != "RSA") continue;
      if (auto use = StringClaim(key, "use"); !use.empty() && use != "sig") continue;
      std::string kid = StringClaim(key, "kid");
      if (kid.empty()) continue;
      std::string text = json::Serialize(k);
      cjose_err err{};
      cjose_jwk_t* raw = cjose_jwk_import(text.c_str(), text.size(), &err);
      if (raw == nullptr) continue;
      loaded[kid] = MakeKey(raw);
    }
    std::lock_guard lock(issuer.mutex);
    issuer.keys = std::move(loaded);
    verified.Clear();  // under the lock: no verification against the old keys is remembered after this
  }

  // The JWKS URL of an issuer known by discovery: its document must name that issuer.
  std::string DiscoverJwks(IssuerKeys& issuer) {
    auto res = client->Send({http::Method::Get, issuer.discovery_url, {}, ""}, options.fetch_timeout);
    if (res.status != 200) throw std::runtime_error("discovery: HTTP " + std::to_string(res.status));
    auto document = json::Parse(res.body);
    if (!document.is_object()) throw std::runtime_error("discovery: not a JSON object");
    const auto& d = document.get_object();
    if (StringClaim(d, "issuer") != issuer.issuer) {
      throw std::runtime_error("discovery: its issuer '" + StringClaim(d, "issuer") + "' is not " + issuer.issuer);
    }
    std::string jwks_uri = StringClaim(d, "jwks_uri");
    if (!(jwks_uri.starts_with("https://") || jwks_uri.starts_with("http://"))) {
      throw std::runtime_error("discovery: no http(s) jwks_uri");
    }
    return jwks_uri;
  }

  // Fetches the JWKS if it was not fetched within the interval; returns whether it did.
  bool Refetch(IssuerKeys& issuer) {
    std::string url;
    {
      std::lock_guard lock(issuer.mutex);
      auto now = std::chrono::steady_clock::now();
      if (issuer.last_fetch && now - *issuer.last_fetch < options.min_refetch_interval) return false;
      issuer.last_fetch = now;
      url = issuer.jwks_url;
    }
    try {
      if (url.empty()) {
        url = DiscoverJwks(issuer);
        std::lock_guard lock(issuer.mutex);
        issuer.jwks_url = url;
      }
      auto res = client->Send({http::Method::Get, url, {}, ""}, options.fetch_timeout);
      if (res.status != 200) throw std::runtime_error("HTTP " + std::to_string(res.status));
      Load(issuer, res.body);
      return true;
    } catch (const std::exception& e) {
      log::Warn("cannot fetch the issuer's signing keys", {{"url.full", url.empty() ? issuer.discovery_url : url},
                                                           {"jwt.issuer", issuer.issuer},
                                                           {"error.message", e.what()}});
      return false;
    }
  }

  static Key Lookup(IssuerKeys& issuer, const std::string& kid) {
    std::lock_guard lock(issuer.mutex);
    auto it = issuer.keys.find(kid);
    return it == issuer.keys.end() ? nullptr : it->second;
  }

  Key Find(IssuerKeys& issuer, const std::string& kid) {
    if (auto key = Lookup(issuer, kid)) return key;
    // One fetch at a time: requests arriving while the keys are being fetched wait for that
    // fetch and look again, instead of being refused for an "unknown" kid.
    std::lock_guard fetching(issuer.fetch_mutex);
    if (auto key = Lookup(issuer, kid)) return key;
    Refetch(issuer);
    return Lookup(issuer, kid);
  }

  // Checks the JWS and the claims every token of ours shares; returns the claims.
  // `fail` builds the error to throw (401 for access tokens, 403 for signatures).
  template <typename Fail>
  boost::json::object Verify(std::string_view token, std::string_view expected_typ, std::chrono::seconds leeway_allowed,
                             Fail fail) {
    if (token.size() > 16384) throw fail("token grande demais");
    auto first_dot = token.find('.');
    auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
    if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
      throw fail("não é um JWS compacto");
    }
    // Every segment, the signature too: cjose_jws_import decodes all three.
    if (!IsBase64Url(token.substr(0, first_dot)) ||
        !IsBase64Url(token.substr(first_dot + 1, second_dot - first_dot - 1)) ||
        !IsBase64Url(token.substr(second_dot + 1))) {
      throw fail("não é um JWS compacto");
    }
    auto header_text = DecodeSegment(token.substr(0, first_dot));
    if (!header_text) throw fail("cabeçalho ilegível");
    boost::json::value header;
    try {
      header = json::Parse(*header_text);
    } catch (const std::exception&) {
      throw fail("cabeçalho ilegível");
    }
    if (!header.is_object()) throw fail("cabeçalho ilegível");
    const auto& h = header.get_object();
    // Algorithm allow-list: RS256 only (no "none", no HS256 keyed with the public key).
    if (StringClaim(h, "alg") != "RS256") throw fail("algoritmo não permitido");
    // Keys are never taken from the token itself.
    for (auto forbidden : {"jku", "x5u", "jwk", "x5c"}) {
      if (h.contains(forbidden)) throw fail("cabeçalho não permitido");
    }
    std::string kid = StringClaim(h, "kid");
    if (kid.empty()) throw fail("kid ausente");
    // The issuer the token names picks the keys it must be signed with (read before the
    // signature is checked, trusted only after): one issuer's key never vouches for another.
    IssuerKeys* issuer = nullptr;
    if (auto payload = DecodeSegment(token.substr(first_dot + 1, second_dot - first_dot - 1))) {
      try {
        auto unverified = json::Parse(*payload);
        if (unverified.is_object()) issuer = IssuerNamed(StringClaim(unverified.get_object(), "iss"));
      } catch (const std::exception&) {
        throw fail("conteúdo ilegível");
      }
    }
    if (issuer == nullptr) throw fail("emissor não aceito");
    if (expected_typ == "Assinatura" && !issuer->signs_signatures) throw fail("emissor não aceito");
    Key key = Find(*issuer, kid);
    if (!key) throw fail("chave desconhecida");

    cjose_err err{};
    std::string compact(token);
    std::unique_ptr<cjose_jws_t, decltype(&cjose_jws_release)> jws(
        cjose_jws_import(compact.c_str(), compact.size(), &err), &cjose_jws_release);
    if (!jws || !cjose_jws_verify(jws.get(), key.get(), &err)) throw fail("assinatura inválida");
    uint8_t* plaintext = nullptr;
    size_t length = 0;
    if (!cjose_jws_get_plaintext(jws.get(), &plaintext, &length, &err)) throw fail("conteúdo ilegível");
    boost::json::value claims_value;
    try {
      claims_value = json::Parse(std::string_view(reinterpret_cast<const char*>(plaintext), length));
    } catch (const std::exception&) {
      throw fail("conteúdo ilegível");
    }
    if (!claims_value.is_object()) throw fail("conteúdo ilegível");
    auto claims = claims_value.get_object();

    if (StringClaim(claims, "iss") != issuer->issuer) throw fail("emissor não aceito");
    bool audience_ok = false;
    if (const auto* aud = claims.if_contains("aud")) {
      if (aud->is_string()) audience_ok = aud->get_string() == issuer->audience;
      if (aud->is_array()) {
        for (const auto& a : aud->get_array())
          audience_ok = audience_ok || (a.is_string() && a.get_string() == issuer->audience);
      }
    }
    if (!audience_ok) throw fail("audiência não aceita");
    if (!issuer->authorized_parties.empty() &&
        std::find(issuer->authorized_parties.begin(), issuer->authorized_parties.end(), StringClaim(claims, "azp")) ==
            issuer->authorized_parties.end()) {
      throw fail("cliente (azp) não aceito");
    }
    if (StringClaim(claims, "typ") != expected_typ) throw fail("tipo de token não aceito");
    CheckTimes(TimesOf(claims), leeway_allowed, fail);
    if (StringClaim(claims, "sub").empty()) throw fail("sub ausente");
    return claims;
  }

  static TimeClaims TimesOf(const boost::json::object& claims) {
    return {NumericClaim(claims, "exp"), NumericClaim(claims, "nbf"), NumericClaim(claims, "iat")};
  }
};

JwtVerifier::JwtVerifier(VerifierOptions options, std::shared_ptr<http::Client> client)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->client = std::move(client);
  impl_->Configure();
}

JwtVerifier::~JwtVerifier() = default;

void JwtVerifier::SetJwks(const std::string& jwks_json) {
  impl_->Load(*impl_->issuers.front(), jwks_json);
}

std::optional<std::string> IssuerOfDiscoveryUrl(std::string_view discovery_url) {
  constexpr std::string_view kSuffix = "/.well-known/openid-configuration";
  if (!discovery_url.ends_with(kSuffix) || discovery_url.size() == kSuffix.size()) return std::nullopt;
  if (!(discovery_url.starts_with("https://") || discovery_url.starts_with("http://"))) return std::nullopt;
  return std::string(discovery_url.substr(0, discovery_url.size() - kSuffix.size()));
}

std::vector<TrustedIssuer> TrustedIssuersFromEnv(config::Env& env) {
  std::vector<TrustedIssuer> out;
  for (int n = 2; n <= 9; ++n) {
    const std::string prefix = "PHARMASYS_JWT_ISSUER_" + std::to_string(n) + "_";
    auto url = env.Optional(prefix + "DISCOVERY_URL");
    if (!url) continue;
    if (!IssuerOfDiscoveryUrl(*url)) {
      env.Invalid(
          prefix + "DISCOVERY_URL",
          "expected the issuer's https:// URL followed by /.well-known/openid-configuration, got '" + *url + "'");
      continue;
    }
    TrustedIssuer issuer{.discovery_url = *url, .audience = env.String(prefix + "AUDIENCE", "pharmasys")};
    const std::string azp = env.String(prefix + "AZP", "");
    for (std::size_t start = 0; start < azp.size();) {
      auto end = azp.find(',', start);
      std::string item = azp.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!item.empty()) issuer.authorized_parties.push_back(item);
      start = end == std::string::npos ? azp.size() : end + 1;
    }
    out.push_back(std::move(issuer));
  }
  return out;
}

http::Principal JwtVerifier::VerifyAccessToken(std::string_view token) {
  auto fail = [](const std::string& why) { return Unauthenticated("Token de acesso inválido: " + why + "."); };
  if (auto hit = impl_->verified.Find(token)) {
    CheckTimes(hit->times, impl_->options.leeway, fail);
    return std::move(hit->principal);
  }
  const auto generation = impl_->verified.generation();  // before the keys are looked up
  auto claims = impl_->Verify(token, "Bearer", impl_->options.leeway, fail);
  http::Principal p;
  p.sub = StringClaim(claims, "sub");
  p.username = StringClaim(claims, "preferred_username");
  p.nome = StringClaim(claims, "name");
  p.client_id = StringClaim(claims, "azp");
  if (const auto* realm = claims.if_contains("realm_access"); realm != nullptr && realm->is_object()) {
    if (const auto* roles = realm->get_object().if_contains("roles"); roles != nullptr && roles->is_array()) {
      for (const auto& r : roles->get_array()) {
        if (r.is_string()) p.roles.emplace_back(r.get_string());
      }
    }
  }
  impl_->verified.Add(token, {p, Impl::TimesOf(claims)}, generation, impl_->options.leeway);
  return p;
}

SignatureClaims JwtVerifier::VerifySignatureToken(std::string_view token) {
  // A signature's 120 s are meant literally: only 2 s of clock skew are forgiven.
  auto claims = impl_->Verify(token, "Assinatura", std::chrono::seconds(2), [](const std::string& why) {
    return Error(403, "assinatura-invalida", "Assinatura inválida", "Assinatura eletrônica inválida: " + why + ".");
  });
  SignatureClaims s{
      StringClaim(claims, "jti"),        StringClaim(claims, "sub"),     StringClaim(claims, "preferred_username"),
      StringClaim(claims, "name"),       StringClaim(claims, "recurso"), StringClaim(claims, "significado"),
      StringClaim(claims, "assinado_em")};
  if (s.jti.empty() || s.recurso.empty() || s.significado.empty() || s.em.empty()) {
    throw Error(403, "assinatura-invalida", "Assinatura inválida", "Assinatura eletrônica incompleta.");
  }
  return s;
}

http::Middleware Authenticate(std::shared_ptr<JwtVerifier> verifier, std::vector<std::string> public_prefixes) {
  public_prefixes.insert(public_prefixes.end(), {"/healthz", "/readyz", "/metrics"});
  return [verifier = std::move(verifier), public_prefixes = std::move(public_prefixes)](
             http::Request& request, const http::Next& next) -> http::Response {
    const bool is_public = std::any_of(public_prefixes.begin(), public_prefixes.end(),
                                       [&](const std::string& p) { return request.path.starts_with(p); });
    // A public endpoint never looks at Authorization (a client may send Basic credentials to
    // the token endpoint, RFC 6749 §2.3.1).
    if (is_public) return next(request);
    auto header = request.headers.Get("Authorization");
    if (!header) {
      Unauthenticated missing("Esta operação exige um token de acesso (Authorization: Bearer).");
      missing.WithHeader("WWW-Authenticate", "Bearer realm=\"pharmasys\"");
      throw missing;
    }
    constexpr std::string_view kBearer = "Bearer ";
    if (!header->starts_with(kBearer) && !header->starts_with("bearer ")) {
      Unauthenticated wrong("O cabeçalho Authorization deve ser 'Bearer <token>'.");
      wrong.WithHeader("WWW-Authenticate", "Bearer realm=\"pharmasys\"");
      throw wrong;
    }
    try {
      request.principal = verifier->VerifyAccessToken(header->substr(kBearer.size()));
    } catch (Error& e) {
      e.WithHeader("WWW-Authenticate", "Bearer realm=\"pharmasys\", error=\"invalid_token\"");
      throw;
    }
    return next(request);
  };
}

void RequireRole(const http::Request& request, std::initializer_list<std::string_view> roles) {
  for (auto role : roles) {
    if (request.principal.HasRole(role)) return;
  }
  throw Forbidden("O seu papel não permite esta operação.");
}

void RequireServiceClient(const http::Request& request, std::string_view client_id) {
  if (request.principal.HasRole("servico") && request.principal.client_id == client_id) return;
  throw Forbidden("Esta operação é reservada ao serviço " + std::string(client_id) + ".");
}

}  // namespace pharmasys::auth
