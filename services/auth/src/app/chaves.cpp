#include "chaves.hpp"

#include <cjose/header.h>
#include <cjose/jwk.h>
#include <cjose/jws.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <boost/json/array.hpp>

#include <cstdlib>
#include <stdexcept>

#include "../storage/chaves_assinatura.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::auth_service {
namespace {

using Jwk = std::unique_ptr<cjose_jwk_t, decltype(&cjose_jwk_release)>;

// AES-256-GCM: hex(iv ‖ tag ‖ ciphertext).
std::string Encrypt(const std::string& key, const std::string& plaintext) {
  unsigned char iv[12];
  RAND_bytes(iv, sizeof iv);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + 16, '\0');
  int len = 0, total = 0;
  unsigned char tag[16];
  auto* k = reinterpret_cast<const unsigned char*>(key.data());
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, k, iv) != 1 ||
      EVP_EncryptUpdate(ctx.get(), o, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1) {
    throw std::runtime_error("cannot encrypt the signing key");
  }
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), o + total, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag) != 1) {
    throw std::runtime_error("cannot encrypt the signing key");
  }
  total += len;
  return crypto::ToHex(iv, sizeof iv) + crypto::ToHex(tag, sizeof tag) +
         crypto::ToHex(o, static_cast<std::size_t>(total));
}

std::string Decrypt(const std::string& key, const std::string& hex) {
  std::string raw = crypto::FromHex(hex);
  if (raw.size() < 28) throw std::runtime_error("signing key record is damaged");
  auto* iv = reinterpret_cast<const unsigned char*>(raw.data());
  auto* tag = reinterpret_cast<unsigned char*>(raw.data() + 12);
  auto* cipher = reinterpret_cast<const unsigned char*>(raw.data() + 28);
  int cipher_len = static_cast<int>(raw.size() - 28);
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  std::string out(static_cast<std::size_t>(cipher_len) + 16, '\0');
  int len = 0, total = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(key.data()),
                         iv) != 1 ||
      EVP_DecryptUpdate(ctx.get(), o, &len, cipher, cipher_len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag) != 1) {
    throw std::runtime_error("cannot decrypt the signing key");
  }
  total = len;
  if (EVP_DecryptFinal_ex(ctx.get(), o + total, &len) != 1) {
    throw std::runtime_error(
        "the signing key does not decrypt: PHARMASYS_AUTH_KEY_ENCRYPTION_KEY is not the one it was "
        "stored with");
  }
  out.resize(static_cast<std::size_t>(total + len));
  return out;
}

std::string ToJson(const cjose_jwk_t* jwk, bool priv) {
  cjose_err err{};
  char* text = cjose_jwk_to_json(jwk, priv, &err);
  if (text == nullptr) throw std::runtime_error(std::string("cannot export a JWK: ") + err.message);
  std::string out(text);
  std::free(text);
  return out;
}

}  // namespace

struct KeyStore::State {
  std::string kid;
  Jwk jwk{nullptr, &cjose_jwk_release};
  std::string jwks;
};

KeyStore::KeyStore(pg::Pool& pool, const std::string& encryption_key_hex, std::chrono::milliseconds reload)
    : pool_(pool), reload_(reload) {
  if (encryption_key_hex.size() != 64) {
    throw std::invalid_argument("PHARMASYS_AUTH_KEY_ENCRYPTION_KEY must be 64 hex digits (32 bytes)");
  }
  encryption_key_ = crypto::FromHex(encryption_key_hex);
}

KeyStore::~KeyStore() = default;

std::string KeyStore::Rotate() {
  cjose_err err{};
  static const uint8_t kExponent[] = {0x01, 0x00, 0x01};
  Jwk jwk(cjose_jwk_create_RSA_random(2048, kExponent, sizeof kExponent, &err), &cjose_jwk_release);
  if (!jwk) throw std::runtime_error(std::string("cannot create an RSA key: ") + err.message);
  std::string kid = ids::NewUuidV7();
  cjose_jwk_set_kid(jwk.get(), kid.c_str(), kid.size(), &err);
  auto public_jwk = json::Parse(ToJson(jwk.get(), false)).as_object();
  public_jwk["use"] = "sig";
  public_jwk["alg"] = "RS256";
  std::string sealed = Encrypt(encryption_key_, ToJson(jwk.get(), true));
  pool_.Transact([&](pg::Transaction& tx) { InstallKey(tx, kid, json::Serialize(public_jwk), sealed); });
  log::Info("signing key created", {{"kid", kid}});
  std::lock_guard lock(mutex_);
  loaded_at_ = {};
  return kid;
}

void KeyStore::EnsureCurrentKey() {
  if (!CurrentKey(pool_)) Rotate();
  std::lock_guard lock(mutex_);
  loaded_at_ = {};
}

void KeyStore::ReloadIfStale() {
  // Another replica may have rotated: look again once a minute.
  std::lock_guard lock(mutex_);
  if (state_ && std::chrono::steady_clock::now() - loaded_at_ < reload_) return;
  auto current = CurrentKey(pool_);
  if (!current) throw std::runtime_error("no current signing key");
  auto state = std::make_shared<State>();
  state->kid = current->kid;
  std::string priv = Decrypt(encryption_key_, current->privada_cifrada);
  cjose_err err{};
  state->jwk.reset(cjose_jwk_import(priv.c_str(), priv.size(), &err));
  if (!state->jwk) throw std::runtime_error("the stored signing key cannot be imported");
  boost::json::array keys;
  for (const auto& jwk : PublishedKeys(pool_)) keys.push_back(json::Parse(jwk));
  state->jwks = json::Serialize(boost::json::object{{"keys", std::move(keys)}});
  state_ = std::move(state);
  loaded_at_ = std::chrono::steady_clock::now();
}

std::string KeyStore::Sign(const boost::json::object& claims) {
  ReloadIfStale();
  std::shared_ptr<State> state;
  {
    std::lock_guard lock(mutex_);
    state = state_;
  }
  cjose_err err{};
  std::unique_ptr<cjose_header_t, decltype(&cjose_header_release)> header(cjose_header_new(&err),
                                                                          &cjose_header_release);
  cjose_header_set(header.get(), CJOSE_HDR_ALG, CJOSE_HDR_ALG_RS256, &err);
  cjose_header_set(header.get(), CJOSE_HDR_KID, state->kid.c_str(), &err);
  cjose_header_set(header.get(), "typ", "JWT", &err);
  std::string payload = json::Serialize(claims);
  std::unique_ptr<cjose_jws_t, decltype(&cjose_jws_release)> jws(
      cjose_jws_sign(state->jwk.get(), header.get(), reinterpret_cast<const uint8_t*>(payload.data()), payload.size(),
                     &err),
      &cjose_jws_release);
  const char* compact = nullptr;
  if (!jws || !cjose_jws_export(jws.get(), &compact, &err)) {
    throw std::runtime_error(std::string("cannot sign a token: ") + err.message);
  }
  return compact;
}

std::string KeyStore::Jwks() {
  ReloadIfStale();
  std::lock_guard lock(mutex_);
  return state_->jwks;
}

}  // namespace pharmasys::auth_service
