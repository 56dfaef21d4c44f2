#pragma once
// Schema migrations: `migrations/V<NNN>__<name>.sql` of each service, embedded in its binary
// at build time. All pending ones are applied in order in one transaction, under an advisory
// lock (replicas starting together wait for each other), and recorded with a SHA-256
// checksum: a migration edited after it was applied stops the start.
#include <stdexcept>
#include <string>
#include <vector>

#include "pharmasys/embedded.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::pg {

struct Migration {
  int version;
  std::string name;  // file name, "V001__init.sql"
  std::string sql;
};

class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A migration the binary expects is not in the database yet (`migrate` has not run, or
// is running): waiting can cure it, unlike a changed migration.
class MigrationPending : public MigrationError {
 public:
  using MigrationError::MigrationError;
};

struct MigrationReport {
  std::vector<std::string> applied;  // file names applied by this call
  std::size_t already_applied = 0;
};

// Applies what is pending. A migration's SQL may hold several statements but no
// transaction control of its own.
// `track` keeps separate version lines in one database: "plataforma" for the platform's own
// tables (outbox, inbox, idempotency keys, audit trail), "servico" for the service's.
MigrationReport Migrate(Pool& pool, const std::vector<Migration>& migrations, const std::string& track = "servico");

// RULES.md A7: migrations run as the owner role; the running service connects as a runtime
// role that owns nothing. GrantRuntime (as the owner, after migrating) gives `runtime_role`
// what a service needs and no more: CONNECT and TEMPORARY on the database, USAGE on the
// schema, SELECT/INSERT/UPDATE/DELETE on the tables and USAGE/SELECT/UPDATE on the sequences,
// but only SELECT/INSERT on the audit trail and its checkpoints and only SELECT on
// schema_migrations; never TRUNCATE, REFERENCES or TRIGGER, and no ownership.
void GrantRuntime(Pool& owner, const std::string& runtime_role);
// Throws MigrationError when the connected role is a superuser, owns the database or any
// table, sequence, function or schema in it, or may act as a role that does.
void CheckRuntimeRole(Pool& pool);
// Throws MigrationPending naming the first migration of `migrations` that is not applied,
// MigrationError when one was changed after it was.
void CheckApplied(Pool& pool, const std::vector<Migration>& migrations, const std::string& track);

// The platform's own tables, applied by every service before its own migrations.
const std::vector<Migration>& PlatformMigrations();

// The migrations embedded in a service binary (see cmake/EmbedFiles.cmake).
const std::vector<Migration>& ServiceMigrations();
// Embedded V<NNN>__<name>.sql files as migrations; a badly named file stops the start.
std::vector<Migration> FromEmbedded(const std::vector<EmbeddedFile>& files);

// Parses "V012__add_index.sql" → 12; throws MigrationError on any other name.
int MigrationVersion(const std::string& file_name);

}  // namespace pharmasys::pg
