#include "contas.hpp"

#include <boost/json/object.hpp>

#include <chrono>

#include "../domain/senhas.hpp"
#include "pharmasys/audit/audit.hpp"

namespace pharmasys::auth_service {
namespace {

using Clock = std::chrono::system_clock;

constexpr pg::Query kUserByUsername{
    "user_by_username",
    "SELECT id, username, nome, email, senha_hash, papeis, ativo, falhas_consecutivas,"
    " extract(epoch from bloqueado_ate)::bigint FROM usuarios WHERE username = $1 FOR UPDATE"};
constexpr pg::Query kUserById{
    "user_by_id_for_login",
    "SELECT id, username, nome, email, senha_hash, papeis, ativo, falhas_consecutivas,"
    " extract(epoch from bloqueado_ate)::bigint FROM usuarios WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kStoreAttempt{
    "user_store_attempt",
    "UPDATE usuarios SET falhas_consecutivas = $2, bloqueado_ate = to_timestamp($3::double precision)"
    " WHERE id = $1::uuid"};

std::vector<std::string> ParseTextArray(std::string_view text) {  // PostgreSQL text[]: {a,b}
  std::vector<std::string> out;
  if (text.size() < 2) return out;
  text = text.substr(1, text.size() - 2);
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string item(text.substr(0, comma));
    if (!item.empty() && item.front() == '"') item = item.substr(1, item.size() - 2);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return out;
}

std::optional<Account> ReadAccount(const pg::Result& rows) {
  if (rows.empty()) return std::nullopt;
  auto r = rows.Single();
  Account a{r.String(0), r.String(1), r.String(2), r.String(3), r.String(4), ParseTextArray(r.Text(5)), {}};
  a.state.active = r.Bool(6);
  a.state.consecutive_failures = static_cast<int>(r.Int(7));
  if (auto locked = r.OptionalInt(8)) a.state.locked_until = Clock::time_point(std::chrono::seconds(*locked));
  return a;
}

std::optional<std::int64_t> Epoch(std::optional<Clock::time_point> t) {
  if (!t) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

}  // namespace

std::optional<Account> FindAccountByUsername(pg::Transaction& tx, const std::string& username) {
  return ReadAccount(tx.Exec(kUserByUsername, pg::Params(username)));
}

std::optional<Account> FindAccountById(pg::Transaction& tx, const std::string& id) {
  return ReadAccount(tx.Exec(kUserById, pg::Params(id)));
}

audit::Actor ActorOf(const Account& account, const http::Request& request) {
  return {account.id, account.username, account.nome, request.request_id};
}

LoginOutcome CheckPassword(pg::Transaction& tx, const Account& account, std::string_view password,
                           const http::Request& request, std::string_view acao_prefix) {
  bool may_try = account.state.active && !IsLocked(account.state, Clock::now());
  bool ok = may_try && VerifyPassword(account.senha_hash, password);
  auto decision = DecideLogin(account.state, ok, Clock::now());
  tx.Exec(kStoreAttempt, pg::Params(account.id, decision.consecutive_failures, Epoch(decision.locked_until)));
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
