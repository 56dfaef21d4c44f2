#pragma once
// A token issuer for tests: an RSA key of its own (cjose), its JWK Set, and RS256 tokens with
// full control of header and claims, to forge every case of RULES.md X1.
#include <cjose/base64.h>
#include <cjose/header.h>
#include <cjose/jwk.h>
#include <cjose/jws.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/json/json.hpp"

namespace pharmasys::testing {

inline std::string B64(std::string_view data) {
  char* out = nullptr;
  size_t len = 0;
  cjose_err err{};
  cjose_base64url_encode(reinterpret_cast<const uint8_t*>(data.data()), data.size(), &out, &len, &err);
  std::string s(out, len);
  std::free(out);
  return s;
}

// The claims of a compact JWS, unverified (to look at what a service issued).
inline boost::json::object ClaimsOf(const std::string& jwt) {
  auto first = jwt.find('.');
  auto second = jwt.find('.', first + 1);
  uint8_t* out = nullptr;
  size_t len = 0;
  cjose_err err{};
  cjose_base64url_decode(jwt.c_str() + first + 1, second - first - 1, &out, &len, &err);
  std::string text(reinterpret_cast<char*>(out), len);
  std::free(out);
  return json::Parse(text).as_object();
}

inline std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A test issuer: an RSA key pair, a JWKS endpoint, and a signer with full control of the header.
class Issuer {
 public:
  Issuer(std::string iss, std::string kid) : iss_(std::move(iss)), kid_(std::move(kid)) {
    static const uint8_t e[] = {1, 0, 1};
    cjose_err err{};
    key_ = cjose_jwk_create_RSA_random(2048, e, sizeof e, &err);
    cjose_jwk_set_kid(key_, kid_.c_str(), kid_.size(), &err);
  }
  ~Issuer() { cjose_jwk_release(key_); }

  std::string PublicJwk() const {
    cjose_err err{};
    char* text = cjose_jwk_to_json(key_, false, &err);
    std::string s(text);
    std::free(text);
    return s;
  }
  std::string Jwks() const { return R"({"keys":[)" + PublicJwk() + "]}"; }

  boost::json::object Claims(std::string typ = "Bearer") const {
    return {{"iss", iss_},
            {"sub", "f2b6e5a0-0000-4000-8000-000000000001"},
            {"aud", boost::json::array{"pharmasys", "account"}},
            {"exp", Now() + 300},
            {"iat", Now()},
            {"jti", "j-1"},
            {"typ", typ},
            {"azp", "pharmasys-web"},
            {"preferred_username", "analista"},
            {"name", "Ana Analista"},
            {"realm_access", boost::json::object{{"roles", boost::json::array{"analista_cq", "offline_access"}}}}};
  }

  std::string Sign(const boost::json::object& claims, std::vector<std::pair<std::string, std::string>> extra = {},
                   const std::string& kid = "") const {
    cjose_err err{};
    cjose_header_t* header = cjose_header_new(&err);
    cjose_header_set(header, CJOSE_HDR_ALG, CJOSE_HDR_ALG_RS256, &err);
    cjose_header_set(header, CJOSE_HDR_KID, (kid.empty() ? kid_ : kid).c_str(), &err);
    for (const auto& [k, v] : extra) cjose_header_set(header, k.c_str(), v.c_str(), &err);
    std::string payload = json::Serialize(claims);
    cjose_jws_t* jws =
        cjose_jws_sign(key_, header, reinterpret_cast<const uint8_t*>(payload.data()), payload.size(), &err);
    const char* compact = nullptr;
    cjose_jws_export(jws, &compact, &err);
    std::string out(compact);
    cjose_jws_release(jws);
    cjose_header_release(header);
    return out;
  }

 private:
  std::string iss_;
  std::string kid_;
  cjose_jwk_t* key_ = nullptr;
};

}  // namespace pharmasys::testing
