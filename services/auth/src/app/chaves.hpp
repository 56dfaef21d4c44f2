#pragma once
// The issuer's RS256 signing keys: generated at first start, kept in the database with the
// private part encrypted (AES-256-GCM, key from PHARMASYS_AUTH_KEY_ENCRYPTION_KEY), rotated
// by `pharmasys-auth rotate-keys`. The current key signs; the JWKS publishes the current and
// the previous one, so tokens signed just before a rotation stay valid.
#include <boost/json/fwd.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

class KeyStore {
 public:
  // `encryption_key_hex`: 64 hex digits (32 bytes).
  // Keys are re-read every `reload` (another replica may have rotated them).
  KeyStore(pg::Pool& pool, const std::string& encryption_key_hex,
           std::chrono::milliseconds reload = std::chrono::minutes(1));
  ~KeyStore();

  void EnsureCurrentKey();  // creates the first key when there is none
  std::string Rotate();     // returns the new kid
  std::string Sign(const boost::json::object& claims);
  std::string Jwks();

 private:
  void ReloadIfStale();
  struct State;
  pg::Pool& pool_;
  std::string encryption_key_;
  std::chrono::milliseconds reload_;
  std::mutex mutex_;
  std::shared_ptr<State> state_;
  std::chrono::steady_clock::time_point loaded_at_{};
};

}  // namespace pharmasys::auth_service
