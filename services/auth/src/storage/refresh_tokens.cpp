#include "refresh_tokens.hpp"

#include "pharmasys/crypto.hpp"
#include "pharmasys/ids.hpp"

namespace pharmasys::auth_service {
namespace {

constexpr pg::Query kInsertRefresh{
    "refresh_insert",
    "INSERT INTO refresh_tokens (id, familia, usuario_id, client_id, hash, expira_em)"
    " VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, to_timestamp($6::double precision))"};
constexpr pg::Query kFindRefresh{
    "refresh_find",
    "SELECT id, familia, usuario_id, client_id, usado_em IS NOT NULL, revogado_em IS NOT NULL,"
    " expira_em < now() FROM refresh_tokens WHERE hash = $1 FOR UPDATE"};
constexpr pg::Query kUseRefresh{"refresh_use", "UPDATE refresh_tokens SET usado_em = now() WHERE id = $1::uuid"};
constexpr pg::Query kRevokeFamily{
    "refresh_revoke_family",
    "UPDATE refresh_tokens SET revogado_em = now() WHERE familia = $1::uuid AND revogado_em IS NULL"};
constexpr pg::Query kRevokeUserTokens{
    "users_revoke_tokens",
    "UPDATE refresh_tokens SET revogado_em = now() WHERE usuario_id = $1::uuid AND revogado_em IS NULL"};

}  // namespace

void StoreRefresh(pg::Transaction& tx, const std::string& token, const std::string& familia,
                  const std::string& usuario_id, const std::string& client_id, std::int64_t expira_em) {
  tx.Exec(kInsertRefresh,
          pg::Params(ids::NewUuidV7(), familia, usuario_id, client_id, crypto::Sha256Hex(token), expira_em));
}

std::optional<StoredRefresh> FindRefresh(pg::Transaction& tx, const std::string& token) {
  auto rows = tx.Exec(kFindRefresh, pg::Params(crypto::Sha256Hex(token)));
  if (rows.empty()) return std::nullopt;
  auto row = rows.Single();
  return StoredRefresh{.id = row.String(0),
                       .familia = row.String(1),
                       .usuario_id = row.String(2),
                       .client_id = row.String(3),
                       .usado = row.Bool(4),
                       .revogado = row.Bool(5),
                       .expirado = row.Bool(6)};
}

void MarkRefreshUsed(pg::Transaction& tx, const std::string& id) {
  tx.Exec(kUseRefresh, pg::Params(id));
}

void RevokeFamily(pg::Transaction& tx, const std::string& familia) {
  tx.Exec(kRevokeFamily, pg::Params(familia));
}

void RevokeUserTokens(pg::Transaction& tx, const std::string& usuario_id) {
  tx.Exec(kRevokeUserTokens, pg::Params(usuario_id));
}

}  // namespace pharmasys::auth_service
