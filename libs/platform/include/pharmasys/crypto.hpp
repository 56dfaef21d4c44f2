#pragma once
// Hashes over OpenSSL.
#include <string>
#include <string_view>

namespace pharmasys::crypto {

std::string Sha256Hex(std::string_view data);
// Lower-case hex of `size` bytes, and back (std::invalid_argument on bad input).
std::string ToHex(const unsigned char* data, std::size_t size);
std::string FromHex(std::string_view hex);

}  // namespace pharmasys::crypto
