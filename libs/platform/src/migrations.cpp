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

}  // namespace

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
