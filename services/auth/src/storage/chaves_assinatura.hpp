#pragma once
// The token signing keys in Auth's database (migrations/V001, chaves_assinatura): one `atual`
// that signs, the `anterior` still published so tokens it signed verify until they expire,
// the rest `aposentada`. The private key is stored sealed (app/chaves.cpp seals it).
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

struct ChaveAtual {
  std::string kid;
  std::string privada_cifrada;
};

// The key that signs now, if there is one.
std::optional<ChaveAtual> CurrentKey(pg::Pool& pool);
// The public JWKs to publish (the current key and the previous one), newest first.
std::vector<std::string> PublishedKeys(pg::Pool& pool);
// Makes `kid` the current key: the previous one retires, the current one becomes previous. One
// rotation at a time (an advisory lock), so replicas rotating together still leave one `atual`.
void InstallKey(pg::Transaction& tx, const std::string& kid, const std::string& jwk_publica,
                const std::string& privada_cifrada);

}  // namespace pharmasys::auth_service
