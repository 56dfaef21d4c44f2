#pragma once
// Authorization codes in Auth's database (migrations/V002): one-time, stored as SHA-256 hashes,
// bound to a client, a redirect URI, a PKCE challenge and a user.
#include <chrono>
#include <optional>
#include <string>

#include "../domain/authorization.hpp"
#include "pharmasys/pg/pg.hpp"
#include "usuarios.hpp"

namespace pharmasys::auth_service {

struct StoredCode {
  std::string id;
  std::string usuario_id;
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;
  bool expired = false;
  std::optional<std::string> familia;  // set once used: the refresh-token family issued from it
};

// Stores `code` for `account` and the request it answers, valid `ttl`; returns its id. Prunes,
// without waiting on any row another transaction holds, the expired codes that no longer
// matter: unused ones, and used ones whose family has no live refresh token left.
std::string StoreCode(pg::Transaction& tx, const std::string& code, const Account& account,
                      const AuthorizationRequest& request, std::chrono::seconds ttl);

// The code, read FOR UPDATE: two exchanges of one code are decided one after the other.
std::optional<StoredCode> FindCode(pg::Transaction& tx, const std::string& code);

// Marks the code used, recording the refresh-token family its tokens belong to.
void MarkCodeUsed(pg::Transaction& tx, const std::string& id, const std::string& familia);

}  // namespace pharmasys::auth_service
