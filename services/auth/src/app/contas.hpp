#pragma once
// The one way a password is checked against an account (storage/usuarios.hpp; RULES.md X3,
// X7): login, an electronic signature's re-authentication and a password change with
// `senha_atual` all count toward the same lockout and are all audited.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../domain/lockout.hpp"
#include "../storage/usuarios.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth_service {

audit::Actor ActorOf(const Account& account, const http::Request& request);

// Applies the lockout rule to `account` with `password`, stores the outcome and audits it in
// `tx` (`<acao_prefix>.sucesso` or `.falha`, and `usuario.bloqueado` when this failure locks
// the account). The caller commits whatever the outcome, so a refused check still counts.
LoginOutcome CheckPassword(pg::Transaction& tx, const Account& account, std::string_view password,
                           const http::Request& request, std::string_view acao_prefix);

struct LoginResult {
  LoginOutcome outcome;
  std::optional<Account> account;  // nullopt when the username is unknown
};

// A login by username and password, wherever it is typed (the token endpoint's password grant,
// the sign-in page of the authorization endpoint): CheckPassword with `login`, and an unknown
// username answered as slowly as a wrong password and audited as a `login.falha` too
// (WrongPassword, no account). The caller commits whatever the outcome.
LoginResult Login(pg::Transaction& tx, const std::string& username, std::string_view password,
                  const http::Request& request);

// What a refused login is told: the same words for an unknown username, a wrong password and a
// deactivated account, so that none can be told apart; a lock is said as such.
std::string_view LoginRefusal(LoginOutcome outcome);

}  // namespace pharmasys::auth_service
