#pragma once
// Hashes over OpenSSL.
#include <string>
#include <string_view>

namespace pharmasys::crypto {

std::string Sha256Hex(std::string_view data);

}  // namespace pharmasys::crypto
