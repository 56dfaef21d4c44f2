#include "chaves_assinatura.hpp"

namespace pharmasys::auth_service {
namespace {

constexpr pg::Query kCurrent{"keys_current",
                             "SELECT kid, jwk_privada_cifrada FROM chaves_assinatura WHERE estado = 'atual'"};
constexpr pg::Query kPublished{"keys_published",
                               "SELECT jwk_publica FROM chaves_assinatura WHERE estado IN ('atual', 'anterior')"
                               " ORDER BY criada_em DESC"};
constexpr pg::Query kLock{"keys_lock", "SELECT pg_advisory_xact_lock(7206130930)"};
constexpr pg::Query kRetire{"keys_retire",
                            "UPDATE chaves_assinatura SET estado = 'aposentada' WHERE estado = 'anterior'"};
constexpr pg::Query kDemote{"keys_demote", "UPDATE chaves_assinatura SET estado = 'anterior' WHERE estado = 'atual'"};
constexpr pg::Query kInsert{"keys_insert",
                            "INSERT INTO chaves_assinatura (kid, jwk_publica, jwk_privada_cifrada, estado)"
                            " VALUES ($1, $2, $3, 'atual')"};

}  // namespace

std::optional<ChaveAtual> CurrentKey(pg::Pool& pool) {
  auto rows = pool.Exec(kCurrent);
  if (rows.empty()) return std::nullopt;
  return ChaveAtual{.kid = rows.Single().String(0), .privada_cifrada = rows.Single().String(1)};
}

std::vector<std::string> PublishedKeys(pg::Pool& pool) {
  auto rows = pool.Exec(kPublished);
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(rows[i].String(0));
  return out;
}

void InstallKey(pg::Transaction& tx, const std::string& kid, const std::string& jwk_publica,
                const std::string& privada_cifrada) {
  tx.Exec(kLock);
  tx.Exec(kRetire);
  tx.Exec(kDemote);
  tx.Exec(kInsert, pg::Params(kid, jwk_publica, privada_cifrada));
}

}  // namespace pharmasys::auth_service
