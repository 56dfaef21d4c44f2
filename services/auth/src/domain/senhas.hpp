#pragma once
// Argon2id password hashes (libsodium) with OWASP parameters: 19 MiB of memory, 2 passes.
#include <string>
#include <string_view>

namespace pharmasys::auth_service {

inline constexpr unsigned long long kArgonOpsLimit = 2;
inline constexpr std::size_t kArgonMemLimit = 19 * 1024 * 1024;

std::string HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);
// Spends the time a verification takes, so an unknown username answers as slowly as a known one.
void BurnVerificationTime(std::string_view password);
// Password policy: at least 10 characters; returns the problem, or empty.
std::string PasswordProblem(std::string_view password);

}  // namespace pharmasys::auth_service
