#include "senhas.hpp"

#include <sodium.h>

#include <stdexcept>

namespace pharmasys::auth_service {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

}  // namespace

std::string HashPassword(std::string_view password) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kArgonOpsLimit, kArgonMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return out;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  EnsureSodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void BurnVerificationTime(std::string_view password) {
  static const std::string dummy = HashPassword("pharmasys: no such user");
  VerifyPassword(dummy, password);
}

std::string PasswordProblem(std::string_view password) {
  std::size_t chars = 0;
  for (unsigned char c : password) chars += (c & 0xC0) != 0x80;
  if (chars < 10) return "deve ter ao menos 10 caracteres";
  if (password.size() > 1024) return "deve ter no máximo 1024 bytes";
  return {};
}

}  // namespace pharmasys::auth_service
