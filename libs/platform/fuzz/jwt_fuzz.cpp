// Access and signature tokens (auth/jwt.hpp) against a fixed test key.
//
// Two kinds of input. Raw bytes as a token: never accepted (nothing here can forge an RS256
// signature), always refused with 401 (access) or 403 (signature), never a crash. A header
// and claims of the input's choosing, signed with the test key: when the verifier accepts
// them, they pass every check of RULES.md X1 as read independently here (alg RS256, the
// known kid, no jku/x5u/jwk/x5c, iss, aud, typ, not expired, a sub) and the principal is
// the claims'; and the same token with one byte changed is refused unless what it decodes
// to is unchanged.
#include <cjose/base64.h>
#include <fuzzer/FuzzedDataProvider.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <cctype>

#include <boost/json/object.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/json/json.hpp"

namespace {

// A key for this target only: it signs nothing anywhere else.
constexpr const char* kTestKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCjdtVZmmBTTKf4\n"
    "3HkZstXk45Cw0G2/pQeNcrHTChedogLKywa6OKQIlcCQC/qqh2mNlZpy+GaEekWT\n"
    "tx7XZZrMFQTs4lhlfWaIMc2pq6Sj+LEvQXijkA9DF68ciBa/6zQO2KRv4NLjGAZg\n"
    "tJVm+A5iD7JJsIak89bYEoFKt0K55iO2iHh1o+GKs1q2sjRu/s7K2+ZFmVhCs+US\n"
    "APSVZOMgXv9GW6NgfDCJi/jWqwH4y20ldPGaf4qWrD4NqJofpawF/XTqgdNqL0L2\n"
    "Uo4IEODeMNyCYusO5WzVNggZJ4YmVbPhnDR/eLuxVA3fN78l3nUL7XBoi0aD2aLy\n"
    "kxs07Gl/AgMBAAECggEAEqsFFY0UWB8GhdzD9cPfOpskkJTVG9Bgiu5g0Y2zAb0Z\n"
    "XYiPNaA3V4Wmrqy3jVcWnmVJ9LxalOGT5ZlBq+6+HXV/EQCOgNSv63jomGpyTImf\n"
    "zppHCULwA0UGqhb+ph9Z3CIwsVg3LVk2jT/CWjaVCezp+xFuZxMz44xFeL9yHuGz\n"
    "G8qC3xsdxZpEnG4UefRLvi1f9FR8iWgRzvUVtL1u9zXhd9fGsrsEvLUaiQmM3iq+\n"
    "KXT2jt26uRNvAIOt/wV4RvFmXV0Sqac/BO1PckK5FlSUIdmOLprQwclwA14hT78A\n"
    "JbPrB7+ygYbuWFoQT7+YJK83aJYCJMaVOUU+IOutGQKBgQDhX5Hbe3kUvxSEJxx7\n"
    "HJKZB1a4JsVeMh6tbz9P6XH9Qtmz7l05GROcgjdUMiFC8PkwcismJAn3BKGq1Yfv\n"
    "GxTJavqR5QIYgwqk0pf69qDvMvw/oB6TJ2LDZVCjA46XW7VboSUtI2lSy62uxSDy\n"
    "LMAimReH0oUDAux4w+iZktPnSQKBgQC5rYeU1Siqmdosv4ypvaj723WCnUynNY3F\n"
    "RhEyOyOhsRhMDeqpMm8cwGE9MBZp2uhWuQe/DXFvSWL5Ax9MrR/hyaAT9VtWC2tl\n"
    "pUyqCJ+7dB1AtNrOR2smvXJxJd+kuhhaarRmX2eHF2+df1pqm9jooP+rIM9kgDNM\n"
    "1gKnUgfihwKBgQCzwpfDOaPlEVfa5JtJ8wtW9cyMi5gnPtDLQw17vtbFy/l7E+fV\n"
    "cBP9ZLue83EmRLBtnNKf1GUCWvZcHX8UD0SwNxzvG3tlc7gcqUDB0s+gmskqMpvQ\n"
    "gby732bG70Jfpa1tDYZqj3ElsgGxgdh6cYk6z2M+WYLwWPemh5RSUhOkyQKBgFFa\n"
    "yhwZJX9Sd/jBWPWKhz8LEjrPhyWAXoTARYqXxO30tWulcVr/IRYc6L4xkrCA3Ooa\n"
    "ml1Im5oiMn5estkaxexdNoloKMPTrxPTUHrz2mD86FBQrcpSGo3X1gvjh1EaxM7h\n"
    "D/gG90qGpz3/7fLmJC0RVdR6RMSJM3EIGBON6qyDAoGAGhB5d2oLI5sEe4FGIqK1\n"
    "FIai6jVrJwSPckWXYkWVdJDDXOUVtyy92UGAh//y1C9mAWiKOQnThJPNhdNiDW94\n"
    "eiP80AE0tPUAqteqxX0kd2lMayWK5doi83+2rM2hjQRe7lHvxwn53bDvUBjEFOmE\n"
    "W6u6Qv6ye3V5UJ6hsmaRsN0=\n"
    "-----END PRIVATE KEY-----\n";
constexpr const char* kKid = "chave-de-teste";
constexpr const char* kIssuer = "http://emissor.teste/v1/auth";
constexpr std::int64_t kLeeway = 30;

std::string B64(std::string_view data) {
  char* out = nullptr;
  size_t len = 0;
  cjose_err err{};
  if (!cjose_base64url_encode(reinterpret_cast<const uint8_t*>(data.data()), data.size(), &out, &len, &err))
    std::abort();
  std::string s(out, len);
  std::free(out);
  return s;
}

std::optional<std::string> Unb64(std::string_view text) {
  // cjose's decoder assert()s on what is not unpadded base64url: only such text reaches it.
  if (text.size() % 4 == 1) return std::nullopt;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return std::nullopt;
  }
  uint8_t* out = nullptr;
  size_t len = 0;
  cjose_err err{};
  if (!cjose_base64url_decode(text.data(), text.size(), &out, &len, &err)) return std::nullopt;
  std::string s(reinterpret_cast<const char*>(out), len);
  std::free(out);
  return s;
}

struct TestKey {
  EVP_PKEY* key = nullptr;
  std::string jwks;

  TestKey() {
    BIO* bio = BIO_new_mem_buf(kTestKeyPem, -1);
    key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (key == nullptr) std::abort();
    jwks = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + std::string(kKid) +
           "\",\"n\":\"" + B64(Param(OSSL_PKEY_PARAM_RSA_N)) + "\",\"e\":\"" + B64(Param(OSSL_PKEY_PARAM_RSA_E)) +
           "\"}]}";
  }

  std::string Param(const char* name) const {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) std::abort();
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(bn);
    return bytes;
  }

  // RS256 over "<header>.<claims>", whatever the header says.
  std::string Sign(std::string_view header, std::string_view claims) const {
    std::string input = B64(header) + "." + B64(claims);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t length = 0;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size()) !=
            1) {
      std::abort();
    }
    std::string signature(length, '\0');
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
      std::abort();
    }
    EVP_MD_CTX_free(ctx);
    signature.resize(length);
    return input + "." + B64(signature);
  }
};

pharmasys::auth::JwtVerifier& Verifier(const TestKey& key) {
  static pharmasys::auth::JwtVerifier* verifier = [&key] {
    pharmasys::auth::VerifierOptions options;
    options.issuer = kIssuer;
    // Nothing listens there: an unknown kid costs one refused connection, then the keys are
    // not fetched again for a day.
    options.jwks_url = "http://127.0.0.1:9/jwks";
    options.leeway = std::chrono::seconds(kLeeway);
    options.min_refetch_interval = std::chrono::hours(24);
    options.fetch_timeout = std::chrono::milliseconds(200);
    auto* v = new pharmasys::auth::JwtVerifier(options, std::make_shared<pharmasys::http::Client>());
    v->SetJwks(key.jwks);
    return v;
  }();
  return *verifier;
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<boost::json::object> ObjectOf(std::string_view text) {
  try {
    auto v = pharmasys::json::Parse(text);
    if (v.is_object()) return v.get_object();
  } catch (const pharmasys::Error&) {
  }
  return std::nullopt;
}

std::string Text(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

// An exact integer claim, or nullopt (absent, not a number, fractional or out of range).
std::optional<double> Number(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  return std::nullopt;
}

// What RULES.md X1 demands of an accepted token, read here without the verifier's code.
void CheckAccepted(std::string_view header_text, std::string_view claims_text, std::string_view typ,
                   std::int64_t leeway, std::int64_t now_before) {
  auto header = ObjectOf(header_text);
  FUZZ_CHECK(header.has_value());
  FUZZ_CHECK(Text(*header, "alg") == "RS256");
  FUZZ_CHECK(Text(*header, "kid") == kKid);
  for (auto forbidden : {"jku", "x5u", "jwk", "x5c"}) FUZZ_CHECK(!header->contains(forbidden));
  auto claims = ObjectOf(claims_text);
  FUZZ_CHECK(claims.has_value());
  FUZZ_CHECK(Text(*claims, "iss") == kIssuer);
  FUZZ_CHECK(Text(*claims, "typ") == typ);
  FUZZ_CHECK(!Text(*claims, "sub").empty());
  const auto* aud = claims->if_contains("aud");
  bool audience = false;
  if (aud != nullptr && aud->is_string()) audience = aud->get_string() == "pharmasys";
  if (aud != nullptr && aud->is_array()) {
    for (const auto& a : aud->get_array()) audience = audience || (a.is_string() && a.get_string() == "pharmasys");
  }
  FUZZ_CHECK(audience);
  auto exp = Number(*claims, "exp");
  FUZZ_CHECK(exp.has_value() && *exp + static_cast<double>(leeway) >= static_cast<double>(now_before));
  if (auto nbf = Number(*claims, "nbf"); nbf && *nbf >= 0) {
    FUZZ_CHECK(*nbf <= static_cast<double>(now_before + leeway + 5));
  }
}

bool SameDecoded(std::string_view a, std::string_view b) {
  for (int i = 0; i < 3; ++i) {
    auto da = a.find('.'), db = b.find('.');
    auto sa = a.substr(0, da), sb = b.substr(0, db);
    auto xa = Unb64(sa), xb = Unb64(sb);
    if (!xa || !xb || *xa != *xb) return false;
    a = da == std::string_view::npos ? std::string_view{} : a.substr(da + 1);
    b = db == std::string_view::npos ? std::string_view{} : b.substr(db + 1);
  }
  return true;
}

// Verifies `token` both as an access token and as a signature token. Returns whether either
// accepted it, after checking what was accepted.
bool Verify(pharmasys::auth::JwtVerifier& verifier, const std::string& token, std::string_view header,
            std::string_view claims, bool may_accept) {
  bool accepted = false;
  std::int64_t now = Now();
  try {
    auto principal = verifier.VerifyAccessToken(token);
    FUZZ_CHECK(may_accept);
    CheckAccepted(header, claims, "Bearer", kLeeway, now);
    FUZZ_CHECK(principal.sub == Text(*ObjectOf(claims), "sub"));
    accepted = true;
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 401);
    // X5: a token is never echoed (messages have one '.', a token two).
    if (std::count(token.begin(), token.end(), '.') >= 2)
      FUZZ_CHECK(std::string(e.what()).find(token) == std::string::npos);
  }
  try {
    auto signature = verifier.VerifySignatureToken(token);
    FUZZ_CHECK(may_accept);
    CheckAccepted(header, claims, "Assinatura", 2, now);
    FUZZ_CHECK(!signature.jti.empty() && !signature.recurso.empty() && !signature.significado.empty());
    accepted = true;
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 403);
  }
  return accepted;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const TestKey key;
  auto& verifier = Verifier(key);
  FuzzedDataProvider input(data, size);
  if (input.ConsumeBool()) {
    std::string token = input.ConsumeRemainingBytesAsString();
    Verify(verifier, token, "", "", false);  // garbage is never accepted
    return 0;
  }
  std::string header = input.ConsumeRandomLengthString(512);
  std::string claims = input.ConsumeRandomLengthString(1024);
  auto position = input.ConsumeIntegral<std::size_t>();
  auto replacement = input.ConsumeIntegral<char>();
  std::string token = key.Sign(header, claims);
  Verify(verifier, token, header, claims, true);

  std::string changed = token;
  changed[position % changed.size()] = replacement;
  if (changed != token) {
    bool same = SameDecoded(changed, token) && std::count(changed.begin(), changed.end(), '.') == 2;
    Verify(verifier, changed, header, claims, same);
  }
  return 0;
}
