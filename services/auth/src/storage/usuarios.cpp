#include "usuarios.hpp"

#include <boost/json/value.hpp>

#include <chrono>

#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::auth_service {
namespace {

using Clock = std::chrono::system_clock;

#define USER_SELECT(rest) \
  "SELECT id, username, nome, email, array_to_json(papeis)::text, ativo, versao," \
  " " PHARMASYS_PG_INSTANT("criado_em") ","                                       \
  " " PHARMASYS_PG_INSTANT("atualizado_em") ","                                   \
  " " PHARMASYS_PG_INSTANT("bloqueado_ate") " FROM usuarios " rest

constexpr pg::ListQuery kList = PHARMASYS_PG_LIST("users_list", USER_SELECT(""), "", "id", "$1::uuid", "$2");
constexpr pg::Query kById{"users_by_id", USER_SELECT("WHERE id = $1::uuid")};
constexpr pg::Query kAll{"users_all", USER_SELECT("ORDER BY username")};
constexpr pg::Query kByIdForUpdate{"users_by_id_lock", USER_SELECT("WHERE id = $1::uuid FOR UPDATE")};
constexpr pg::Query kInsert{"users_insert",
                            "INSERT INTO usuarios (id, username, nome, email, senha_hash, papeis)"
                            " VALUES ($1::uuid, $2, $3, $4, $5, $6::text[])"};
constexpr pg::Query kUpdate{"users_update",
                            "UPDATE usuarios SET nome = $2, email = $3, papeis = $4::text[], ativo = $5,"
                            " versao = versao + 1, atualizado_em = now() WHERE id = $1::uuid"};
constexpr pg::Query kSetPassword{"users_set_password",
                                 "UPDATE usuarios SET senha_hash = $2, falhas_consecutivas = 0, bloqueado_ate = NULL,"
                                 " versao = versao + 1, atualizado_em = now() WHERE id = $1::uuid"};

constexpr pg::Query kAccountByUsername{
    "user_by_username",
    "SELECT id, username, nome, email, senha_hash, papeis, ativo, falhas_consecutivas,"
    " extract(epoch from bloqueado_ate)::bigint FROM usuarios WHERE username = $1 FOR UPDATE"};
constexpr pg::Query kAccountById{
    "user_by_id_for_login",
    "SELECT id, username, nome, email, senha_hash, papeis, ativo, falhas_consecutivas,"
    " extract(epoch from bloqueado_ate)::bigint FROM usuarios WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kStoreAttempt{
    "user_store_attempt",
    "UPDATE usuarios SET falhas_consecutivas = $2, bloqueado_ate = to_timestamp($3::double precision)"
    " WHERE id = $1::uuid"};

Usuario UsuarioFrom(const pg::Row& r) {
  Usuario u{.id = r.String(0),
            .username = r.String(1),
            .nome = r.String(2),
            .email = r.String(3),
            .roles = {},
            .ativo = r.Bool(5),
            .versao = r.Int(6),
            .criado_em = r.String(7),
            .atualizado_em = r.String(8),
            .bloqueado_ate = r.OptionalString(9)};
  const boost::json::value roles = json::Parse(r.Text(4));  // array_to_json: ["a","b"]
  for (const auto& role : roles.as_array()) u.roles.emplace_back(role.as_string());
  return u;
}

std::string PgArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "}";
}

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

}  // namespace

std::optional<Usuario> FindUsuario(pg::Transaction& tx, const std::string& id, bool for_update) {
  if (!json::IsUuid(id)) return std::nullopt;
  auto rows = tx.Exec(for_update ? kByIdForUpdate : kById, pg::Params(id));
  if (rows.empty()) return std::nullopt;
  return UsuarioFrom(rows.Single());
}

std::vector<Usuario> ListUsuarios(pg::Transaction& tx, const std::optional<std::string>& cursor, SortOrder order,
                                  std::int64_t limit) {
  auto rows = tx.Exec(kList[order], pg::Params(cursor, limit));
  std::vector<Usuario> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(UsuarioFrom(rows[i]));
  return out;
}

std::vector<Usuario> TodosOsUsuarios(pg::Transaction& tx) {
  auto rows = tx.Exec(kAll);
  std::vector<Usuario> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(UsuarioFrom(rows[i]));
  return out;
}

bool InsertUsuario(pg::Transaction& tx, const NovoUsuario& u) {
  try {
    tx.Exec(kInsert, pg::Params(u.id, u.username, u.nome, u.email, u.senha_hash, PgArray(u.roles)));
    return true;
  } catch (const pg::SqlError& e) {
    if (e.IsUniqueViolation()) return false;
    throw;
  }
}

void UpdateUsuario(pg::Transaction& tx, const std::string& id, const std::string& nome, const std::string& email,
                   const std::vector<std::string>& roles, bool ativo) {
  tx.Exec(kUpdate, pg::Params(id, nome, email, PgArray(roles), ativo));
}

void SetSenha(pg::Transaction& tx, const std::string& id, const std::string& senha_hash) {
  tx.Exec(kSetPassword, pg::Params(id, senha_hash));
}

std::optional<Account> FindAccountByUsername(pg::Transaction& tx, const std::string& username) {
  return ReadAccount(tx.Exec(kAccountByUsername, pg::Params(username)));
}

std::optional<Account> FindAccountById(pg::Transaction& tx, const std::string& id) {
  return ReadAccount(tx.Exec(kAccountById, pg::Params(id)));
}

void StoreAttempt(pg::Transaction& tx, const std::string& id, int consecutive_failures,
                  std::optional<std::int64_t> locked_until) {
  tx.Exec(kStoreAttempt, pg::Params(id, consecutive_failures, locked_until));
}

}  // namespace pharmasys::auth_service
