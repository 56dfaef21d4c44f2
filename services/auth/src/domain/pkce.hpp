#pragma once
// The secrets of the Authorization Code flow (libsodium): authorization codes and the PKCE S256
// transform (RFC 7636 §4.2).
#include <string>
#include <string_view>

namespace pharmasys::auth_service {

// A new authorization code: 256 random bits, base64url without padding (43 characters).
std::string NewAuthorizationCode();

// BASE64URL(SHA-256(ASCII(verifier))), without padding.
std::string S256Challenge(std::string_view verifier);

// True when `verifier` is a well-formed code verifier whose S256 challenge is `challenge`;
// the comparison takes the same time wherever the two differ.
bool VerifierMatches(std::string_view verifier, std::string_view challenge);

// base64 (with padding) of SHA-256(text): a Content-Security-Policy hash source.
std::string Sha256Base64(std::string_view text);

}  // namespace pharmasys::auth_service
