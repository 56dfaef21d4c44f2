#include "pkce.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "authorization.hpp"

namespace pharmasys::auth_service {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium failed to initialise");
}

std::string Base64(const unsigned char* data, std::size_t size, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(size, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::array<unsigned char, crypto_hash_sha256_BYTES> Sha256(std::string_view text) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return digest;
}

}  // namespace

std::string NewAuthorizationCode() {
  EnsureSodium();
  std::array<unsigned char, 32> random{};
  randombytes_buf(random.data(), random.size());
  return Base64(random.data(), random.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string S256Challenge(std::string_view verifier) {
  EnsureSodium();
  auto digest = Sha256(verifier);
  return Base64(digest.data(), digest.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool VerifierMatches(std::string_view verifier, std::string_view challenge) {
  if (!IsCodeVerifier(verifier)) return false;
  const std::string computed = S256Challenge(verifier);
  // The lengths are no secret (always 43 for a stored challenge); the bytes are.
  return computed.size() == challenge.size() && sodium_memcmp(computed.data(), challenge.data(), computed.size()) == 0;
}

std::string Sha256Base64(std::string_view text) {
  EnsureSodium();
  auto digest = Sha256(text);
  return Base64(digest.data(), digest.size(), sodium_base64_VARIANT_ORIGINAL);
}

}  // namespace pharmasys::auth_service
