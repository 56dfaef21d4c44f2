#pragma once
// Users in Auth's database (migrations/V001): the administration's view of them (`Usuario`)
// and the lockout rule's (`Account`, with its password hash and failure count). Users are
// deactivated, never deleted.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../domain/lockout.hpp"
#include "pharmasys/list_order.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

struct Usuario {
  std::string id, username, nome, email;
  std::vector<std::string> roles;
  bool ativo = true;
  std::int64_t versao = 1;
  std::string criado_em, atualizado_em;
  std::optional<std::string> bloqueado_ate;
};

std::optional<Usuario> FindUsuario(pg::Transaction& tx, const std::string& id, bool for_update = false);
// Users beyond `cursor` (by id: after it ascending, before it descending).
std::vector<Usuario> ListUsuarios(pg::Transaction& tx, const std::optional<std::string>& cursor, SortOrder order,
                                  std::int64_t limit);

// Every user, by username.
std::vector<Usuario> TodosOsUsuarios(pg::Transaction& tx);

struct NovoUsuario {
  std::string id, username, nome, email, senha_hash;
  std::vector<std::string> roles;
};
// Inserts the user, active. False when the username exists or existed (the transaction is
// then failed and must be rolled back).
bool InsertUsuario(pg::Transaction& tx, const NovoUsuario& usuario);
void UpdateUsuario(pg::Transaction& tx, const std::string& id, const std::string& nome, const std::string& email,
                   const std::vector<std::string>& roles, bool ativo);
// A new password hash, which also ends any lockout.
void SetSenha(pg::Transaction& tx, const std::string& id, const std::string& senha_hash);

struct Account {
  std::string id, username, nome, email, senha_hash;
  std::vector<std::string> roles;
  AccountState state;
};

// Read FOR UPDATE: concurrent checks of one account are counted one after the other.
std::optional<Account> FindAccountByUsername(pg::Transaction& tx, const std::string& username);
std::optional<Account> FindAccountById(pg::Transaction& tx, const std::string& id);
// The outcome of a password check: the failure count and the lock (Unix seconds) it leaves.
void StoreAttempt(pg::Transaction& tx, const std::string& id, int consecutive_failures,
                  std::optional<std::int64_t> locked_until);

}  // namespace pharmasys::auth_service
