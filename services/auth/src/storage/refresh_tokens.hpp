#pragma once
// Refresh tokens in Auth's database (migrations/V001): stored only as SHA-256 hashes, each in
// a family (one sign-in) that rotation keeps and a reuse or a revocation ends whole.
#include <cstdint>
#include <optional>
#include <string>

#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

struct StoredRefresh {
  std::string id, familia, usuario_id, client_id;
  bool usado = false, revogado = false, expirado = false;
};

// Stores the token's hash in `familia`, valid until `expira_em` (Unix seconds).
void StoreRefresh(pg::Transaction& tx, const std::string& token, const std::string& familia,
                  const std::string& usuario_id, const std::string& client_id, std::int64_t expira_em);
// The token by its hash, read FOR UPDATE: two uses of one token are decided one after the other.
std::optional<StoredRefresh> FindRefresh(pg::Transaction& tx, const std::string& token);
void MarkRefreshUsed(pg::Transaction& tx, const std::string& id);
// Ends every live token of the family.
void RevokeFamily(pg::Transaction& tx, const std::string& familia);
// Ends every live token of the user (a deactivation, a new password).
void RevokeUserTokens(pg::Transaction& tx, const std::string& usuario_id);

}  // namespace pharmasys::auth_service
