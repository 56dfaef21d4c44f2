#include "contas.hpp"

#include <boost/json/object.hpp>

#include <chrono>

#include "../domain/senhas.hpp"
#include "pharmasys/audit/audit.hpp"

namespace pharmasys::auth_service {
namespace {

using Clock = std::chrono::system_clock;

std::optional<std::int64_t> Epoch(std::optional<Clock::time_point> t) {
  if (!t) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

}  // namespace

audit::Actor ActorOf(const Account& account, const http::Request& request) {
  return {account.id, account.username, account.nome, request.request_id};
}

LoginOutcome CheckPassword(pg::Transaction& tx, const Account& account, std::string_view password,
                           const http::Request& request, std::string_view acao_prefix) {
  bool may_try = account.state.active && !IsLocked(account.state, Clock::now());
  bool ok = may_try && VerifyPassword(account.senha_hash, password);
  auto decision = DecideLogin(account.state, ok, Clock::now());
  StoreAttempt(tx, account.id, decision.consecutive_failures, Epoch(decision.locked_until));
  std::string acao = std::string(acao_prefix) + (decision.outcome == LoginOutcome::Success ? ".sucesso" : ".falha");
  boost::json::object depois{{"falhas_consecutivas", decision.consecutive_failures}};
  if (decision.outcome == LoginOutcome::Locked) depois["motivo_recusa"] = "conta bloqueada";
  if (decision.outcome == LoginOutcome::Inactive) depois["motivo_recusa"] = "conta desativada";
  audit::Audit(tx, ActorOf(account, request),
               {.acao = acao, .entidade = "usuario", .entidade_id = account.id, .depois = depois});
  if (decision.outcome == LoginOutcome::LockedNow) {
    audit::Audit(tx, ActorOf(account, request),
                 {.acao = "usuario.bloqueado",
                  .entidade = "usuario",
                  .entidade_id = account.id,
                  .depois = {{"bloqueado_ate_epoch", *Epoch(decision.locked_until)}},
                  .motivo = "5 falhas consecutivas de autenticação"});
  }
  return decision.outcome;
}

LoginResult Login(pg::Transaction& tx, const std::string& username, std::string_view password,
                  const http::Request& request) {
  auto account = FindAccountByUsername(tx, username);
  if (!account) {
    BurnVerificationTime(password);
    audit::Audit(tx, audit::Actor{"", username, "", request.request_id},
                 {.acao = "login.falha",
                  .entidade = "usuario",
                  .entidade_id = username,
                  .depois = {{"motivo_recusa", "usuário desconhecido"}}});
    return {LoginOutcome::WrongPassword, std::nullopt};
  }
  auto outcome = CheckPassword(tx, *account, password, request, "login");
  return {outcome, std::move(account)};
}

std::string_view LoginRefusal(LoginOutcome outcome) {
  if (outcome == LoginOutcome::Locked || outcome == LoginOutcome::LockedNow) {
    return "Conta bloqueada temporariamente após falhas de autenticação.";
  }
  return "Usuário ou senha inválidos.";
}

}  // namespace pharmasys::auth_service
