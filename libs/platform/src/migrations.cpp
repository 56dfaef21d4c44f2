#include "pharmasys/pg/migrations.hpp"

#include <algorithm>
#include <map>

#include "pharmasys/crypto.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::pg {
namespace {

constexpr Query kLock{"migrations_lock", "SELECT pg_advisory_xact_lock(7206130925)"};
constexpr Query kApplied{"migrations_applied",
                         "SELECT versao, nome, checksum FROM schema_migrations WHERE trilha = $1 ORDER BY versao"};
constexpr Query kRecord{"migrations_record",
                        "INSERT INTO schema_migrations (trilha, versao, nome, checksum) VALUES ($1, $2, $3, $4)"};
constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " trilha text NOT NULL,"
    " versao integer NOT NULL,"
    " nome text NOT NULL,"
    " checksum text NOT NULL,"
    " aplicada_em timestamptz NOT NULL DEFAULT now(),"
    " PRIMARY KEY (trilha, versao))";

constexpr Query kSetRuntimeRole{"migrations_runtime_role", "SELECT set_config('pharmasys.runtime_role', $1, true)"};
constexpr const char* kGrantRuntime = R"sql(
DO $grant$
DECLARE r text := current_setting('pharmasys.runtime_role');
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
    RAISE EXCEPTION 'runtime role % does not exist', r;
  END IF;
  IF r = current_user THEN
    RAISE EXCEPTION 'the runtime role % is the owner role; use a role of its own', r;
  END IF;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), r);
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', r);
  EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', r);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', r);
  EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I', r);
  EXECUTE format('REVOKE UPDATE, DELETE ON auditoria_registro, auditoria, auditoria_checkpoint FROM %I', r);
  EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM %I', r);
END
$grant$)sql";

constexpr Query kRuntimeRole{
    "migrations_check_runtime",
    "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),"
    " (SELECT pg_has_role(current_user, datdba, 'USAGE') FROM pg_database WHERE datname = current_database()),"
    " (SELECT string_agg(n.nspname || '.' || c.relname, ', ' ORDER BY c.relname) FROM pg_class c"
    "   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
    "   AND n.nspname NOT LIKE 'pg\\_%' AND pg_has_role(current_user, c.relowner, 'USAGE')),"
    " (SELECT string_agg(p.proname, ', ' ORDER BY p.proname) FROM pg_proc p"
    "   JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
    "   AND pg_has_role(current_user, p.proowner, 'USAGE')),"
    " (SELECT string_agg(nspname, ', ' ORDER BY nspname) FROM pg_namespace"
    "   WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'"
    "   AND nspowner <> 'pg_database_owner'::regrole AND pg_has_role(current_user, nspowner, 'USAGE'))"};

}  // namespace

void GrantRuntime(Pool& owner, const std::string& runtime_role) {
  owner.Transact([&](Transaction& tx) {
    tx.Exec(kSetRuntimeRole, Params(runtime_role));
    tx.connection().ExecSimple(kGrantRuntime);
  });
  log::Info("runtime role granted", {{"db.runtime_role", runtime_role}});
}

void CheckRuntimeRole(Pool& pool) {
  auto row = pool.Exec(kRuntimeRole).Single();
  std::vector<std::string> owns;
  if (row.Bool(0)) owns.push_back("is a superuser");
  if (!row.IsNull(1) && row.Bool(1)) owns.push_back("owns the database");
  if (!row.IsNull(2)) owns.push_back("owns the tables " + row.String(2));
  if (!row.IsNull(3)) owns.push_back("owns the functions " + row.String(3));
  if (!row.IsNull(4)) owns.push_back("owns the schemas " + row.String(4));
  if (owns.empty()) return;
  std::string what;
  for (const auto& o : owns) what += (what.empty() ? "" : "; ") + o;
  throw MigrationError("the service's database role must own nothing (RULES.md A7), but it " + what +
                       ": connect with the runtime role and run `migrate` with PHARMASYS_DB_OWNER_URL");
}

void CheckApplied(Pool& pool, const std::vector<Migration>& migrations, const std::string& track) {
  std::map<int, std::string> applied;
  try {
    auto rows = pool.Exec(kApplied, Params(track));
    for (int i = 0; i < rows.size(); ++i) applied[static_cast<int>(rows[i].Int(0))] = rows[i].String(2);
  } catch (const SqlError& e) {
    if (e.IsConnectionLoss() || e.IsConfiguration()) throw;
    throw MigrationPending(std::string("the database has no migrations applied (") + e.what() +
                           "): run `migrate` with PHARMASYS_DB_OWNER_URL first");
  }
  for (const auto& m : migrations) {
    auto found = applied.find(m.version);
    if (found == applied.end()) {
      throw MigrationPending("migration " + m.name + " (" + track +
                             ") is not applied: run `migrate` with PHARMASYS_DB_OWNER_URL first");
    }
    if (found->second != crypto::Sha256Hex(m.sql)) {
      throw MigrationError("migration " + m.name +
                           " was changed after it was applied; this binary does not match"
                           " the database");
    }
  }
}

int MigrationVersion(const std::string& file_name) {
  auto sep = file_name.find("__");
  if (file_name.size() < 8 || file_name[0] != 'V' || sep == std::string::npos || sep < 2 ||
      !file_name.ends_with(".sql") ||
      !std::all_of(file_name.begin() + 1, file_name.begin() + static_cast<long>(sep),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    throw MigrationError("migration file name must be V<NNN>__<name>.sql: " + file_name);
  }
  return std::stoi(file_name.substr(1, sep - 1));
}

std::vector<Migration> FromEmbedded(const std::vector<EmbeddedFile>& files) {
  std::vector<Migration> out;
  for (const auto& f : files) out.push_back({MigrationVersion(f.name), f.name, f.content});
  return out;
}

MigrationReport Migrate(Pool& pool, const std::vector<Migration>& migrations, const std::string& track) {
  std::vector<Migration> ordered = migrations;
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < ordered.size(); ++i) {
    if (ordered[i].version == ordered[i - 1].version) {
      throw MigrationError("two migrations share version " + std::to_string(ordered[i].version) + ": " +
                           ordered[i - 1].name + " and " + ordered[i].name);
    }
  }
  MigrationReport report;
  auto lease = pool.Acquire();
  Connection& c = *lease;
  c.ExecSimple("BEGIN");
  try {
    c.Exec(kLock);  // held until COMMIT: a second replica waits here, then finds nothing to do
    c.ExecSimple(kCreateTable);
    std::map<int, std::pair<std::string, std::string>> applied;
    auto rows = c.Exec(kApplied, Params(track));
    for (int i = 0; i < rows.size(); ++i)
      applied[static_cast<int>(rows[i].Int(0))] = {rows[i].String(1), rows[i].String(2)};
    for (const auto& m : ordered) {
      std::string checksum = crypto::Sha256Hex(m.sql);
      auto found = applied.find(m.version);
      if (found != applied.end()) {
        if (found->second.second != checksum) {
          throw MigrationError("migration " + m.name + " was changed after it was applied (recorded checksum " +
                               found->second.second.substr(0, 12) + "…, file has " + checksum.substr(0, 12) +
                               "…); add a new migration instead of editing an applied one");
        }
        ++report.already_applied;
        continue;
      }
      c.ExecSimple(m.sql);
      c.Exec(kRecord, Params(track, m.version, m.name, checksum));
      report.applied.push_back(m.name);
    }
    c.ExecSimple("COMMIT");
  } catch (...) {
    try {
      c.ExecSimple("ROLLBACK");
    } catch (const SqlError&) {
    }
    throw;
  }
  for (const auto& name : report.applied) log::Info("migration applied", {{"migration", name}, {"track", track}});
  return report;
}

}  // namespace pharmasys::pg
