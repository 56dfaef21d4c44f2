#pragma once
// An issuer for tests: an RSA key of its own, its JWK Set, and RS256 access tokens in the
// layout of API.md (Keycloak's), signed with OpenSSL.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::testing {

inline std::string Base64Url(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (auto& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

inline std::string Base64Url(std::string_view text) {
  return Base64Url(reinterpret_cast<const unsigned char*>(text.data()), text.size());
}

class TestIssuer {
 public:
  explicit TestIssuer(std::string issuer = "http://localhost:8080/v1/auth", std::string kid = "chave-de-teste")
      : issuer_(std::move(issuer)),
        kid_(std::move(kid)),
        key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048)), &EVP_PKEY_free) {
    if (!key_) throw std::runtime_error("cannot generate an RSA key");
  }

  const std::string& issuer() const { return issuer_; }

  std::string Jwks() const {
    boost::json::object jwk{{"kty", "RSA"},
                            {"use", "sig"},
                            {"alg", "RS256"},
                            {"kid", kid_},
                            {"n", Param(OSSL_PKEY_PARAM_RSA_N)},
                            {"e", Param(OSSL_PKEY_PARAM_RSA_E)}};
    return json::Serialize(boost::json::object{{"keys", boost::json::array{jwk}}});
  }

  std::string AccessToken(const std::string& sub, std::vector<std::string> roles = {"estoquista"}) const {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    boost::json::array role_list;
    for (auto& r : roles) role_list.emplace_back(r);
    boost::json::object claims{{"iss", issuer_},
                               {"sub", sub},
                               {"aud", boost::json::array{"pharmasys"}},
                               {"exp", now.count() + 300},
                               {"iat", now.count()},
                               {"jti", ids::NewUuidV7()},
                               {"typ", "Bearer"},
                               {"azp", "pharmasys-web"},
                               {"preferred_username", "usuario-" + sub},
                               {"name", "Usuário " + sub},
                               {"realm_access", boost::json::object{{"roles", std::move(role_list)}}}};
    return Sign(claims);
  }

 private:
  std::string Param(const char* name) const {
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key_.get(), name, &raw) != 1) throw std::runtime_error("cannot read the RSA key");
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(raw, &BN_free);
    std::vector<unsigned char> bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())));
    BN_bn2bin(bn.get(), bytes.data());
    return Base64Url(bytes.data(), bytes.size());
  }

  std::string Sign(const boost::json::object& claims) const {
    boost::json::object header{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid_}};
    std::string input = Base64Url(json::Serialize(header)) + "." + Base64Url(json::Serialize(claims));
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t length = 0;
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1) {
      throw std::runtime_error("cannot sign");
    }
    std::vector<unsigned char> signature(length);
    if (EVP_DigestSign(ctx.get(), signature.data(), &length, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size()) != 1) {
      throw std::runtime_error("cannot sign");
    }
    return input + "." + Base64Url(signature.data(), length);
  }

  std::string issuer_;
  std::string kid_;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

}  // namespace pharmasys::testing
