#pragma once
// A user account as the lockout rule sees it, and the one way a password is checked
// (RULES.md X3, X7): login, an electronic signature's re-authentication and a password change
// with `senha_atual` all count toward the same lockout and are all audited.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/lockout.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

struct Account {
  std::string id, username, nome, email, senha_hash;
  std::vector<std::string> roles;
  AccountState state;
};

// Read FOR UPDATE: concurrent checks of one account are counted one after the other.
std::optional<Account> FindAccountByUsername(pg::Transaction& tx, const std::string& username);
std::optional<Account> FindAccountById(pg::Transaction& tx, const std::string& id);

audit::Actor ActorOf(const Account& account, const http::Request& request);

// Applies the lockout rule to `account` with `password`, stores the outcome and audits it in
// `tx` (`<acao_prefix>.sucesso` or `.falha`, and `usuario.bloqueado` when this failure locks
// the account). The caller commits whatever the outcome, so a refused check still counts.
LoginOutcome CheckPassword(pg::Transaction& tx, const Account& account, std::string_view password,
                           const http::Request& request, std::string_view acao_prefix);

}  // namespace pharmasys::auth_service
