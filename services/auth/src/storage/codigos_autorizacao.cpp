#include "codigos_autorizacao.hpp"

#include "pharmasys/crypto.hpp"
#include "pharmasys/ids.hpp"

namespace pharmasys::auth_service {
namespace {

constexpr pg::Query kPruneCodes{
    "codes_prune",
    "DELETE FROM codigos_autorizacao WHERE id IN (SELECT c.id FROM codigos_autorizacao c WHERE c.expira_em < now()"
    " AND (c.familia IS NULL OR NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.familia = c.familia"
    " AND r.usado_em IS NULL AND r.revogado_em IS NULL AND r.expira_em > now()))"
    " FOR UPDATE OF c SKIP LOCKED)"};
constexpr pg::Query kInsertCode{
    "codes_insert",
    "INSERT INTO codigos_autorizacao (id, hash, usuario_id, client_id, redirect_uri, code_challenge, expira_em)"
    " VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, now() + make_interval(secs => $7::double precision))"};
constexpr pg::Query kFindCode{
    "codes_find",
    "SELECT id, usuario_id, client_id, redirect_uri, code_challenge, expira_em < now(), familia"
    " FROM codigos_autorizacao WHERE hash = $1 FOR UPDATE"};
constexpr pg::Query kUseCode{"codes_use",
                             "UPDATE codigos_autorizacao SET usado_em = now(), familia = $2::uuid WHERE id = $1::uuid"};

}  // namespace

std::string StoreCode(pg::Transaction& tx, const std::string& code, const Account& account,
                      const AuthorizationRequest& request, std::chrono::seconds ttl) {
  tx.Exec(kPruneCodes);
  std::string id = ids::NewUuidV7();
  tx.Exec(kInsertCode, pg::Params(id, crypto::Sha256Hex(code), account.id, request.client_id, request.redirect_uri,
                                  request.code_challenge, static_cast<std::int64_t>(ttl.count())));
  return id;
}

std::optional<StoredCode> FindCode(pg::Transaction& tx, const std::string& code) {
  auto rows = tx.Exec(kFindCode, pg::Params(crypto::Sha256Hex(code)));
  if (rows.empty()) return std::nullopt;
  auto r = rows.Single();
  return StoredCode{r.String(0), r.String(1), r.String(2), r.String(3), r.String(4), r.Bool(5), r.OptionalString(6)};
}

void MarkCodeUsed(pg::Transaction& tx, const std::string& id, const std::string& familia) {
  tx.Exec(kUseCode, pg::Params(id, familia));
}

}  // namespace pharmasys::auth_service
