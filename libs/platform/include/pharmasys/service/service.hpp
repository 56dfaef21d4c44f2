#pragma once
// The composition root shared by every PharmaSys executable: reads the common
// configuration, sets up logs and metrics, serves /healthz, /readyz and /metrics, and runs
// the HTTP server until SIGTERM. A service's main() adds its routes and checks and calls
// Run().
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/config/env.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/pg/migrations.hpp"

namespace pharmasys {

// A service's handler threads unless PHARMASYS_HTTP_WORKERS says.
inline constexpr std::size_t kServiceWorkers = 16;

// The PHARMASYS_HTTP_* settings (and PHARMASYS_SHUTDOWN_GRACE) of a server.
http::ServerOptions ServerOptionsFromEnv(config::Env& env, int default_port,
                                         std::size_t default_workers = kServiceWorkers,
                                         http::Dispatch default_dispatch = http::Dispatch::Pool);

// A readiness check answers nullopt when healthy, or what is wrong.
using ReadinessCheck = std::function<std::optional<std::string>()>;

class Service {
 public:
  // `name` is the service name in logs and metrics; `default_port` is used when
  // PHARMASYS_HTTP_PORT is not set.
  // `dispatch`: where its handlers run unless PHARMASYS_HTTP_DISPATCH says (http::Dispatch).
  Service(std::string name, int default_port, http::Dispatch dispatch = http::Dispatch::Pool);
  ~Service();

  config::Env& env() { return env_; }
  http::Router& router() { return router_; }
  const std::string& name() const { return name_; }
  // A required dependency that fails makes /readyz answer 503 (take no traffic); an optional
  // one that fails leaves it 200 with status "degradado" (serving, in a reduced way).
  void AddReadinessCheck(std::string dependency, ReadinessCheck check, bool required = true);

  // The service's database (PHARMASYS_DB_URL, required once this is called): a pool, the
  // audit sealer with its signed checkpoints (PHARMASYS_AUDIT_KEY_DIR), and — with
  // PHARMASYS_AMQP_URL — the outbox relay. The `migrate` command applies the platform's and
  // the service's migrations as the owner role (PHARMASYS_DB_OWNER_URL) and grants the
  // runtime role (the user of PHARMASYS_DB_URL, or PHARMASYS_DB_RUNTIME_ROLE) what it needs;
  // every other command connects as the runtime role and refuses to start when a migration is
  // missing or when that role owns anything (RULES.md A7).
  // It also prunes Idempotency-Key records older than PHARMASYS_IDEMPOTENCY_RETENTION (at
  // least 24h) every PHARMASYS_IDEMPOTENCY_PRUNE_INTERVAL.
  void UseDatabase(const std::vector<pg::Migration>& migrations);
  // Available from UseDatabase on (handlers may keep the reference); it connects on first use.
  pg::Pool& db();
  // A command of the binary (`pharmasys-<name> <command>`), run after the configuration is
  // checked and the database is ready; its return value is the exit code.
  void AddCommand(std::string command, std::string help, std::function<int()> run);
  // Runs once the database is ready and before the server listens (seeding, key set-up).
  void OnStart(std::function<void()> step);

  // Every route except `public_prefixes` (and health, readiness, metrics) needs a valid access
  // token from the issuer PHARMASYS_JWT_ISSUER, whose keys are at PHARMASYS_JWT_JWKS_URL
  // (required once this is called). Returns the verifier, for signature checks (✍).
  std::shared_ptr<auth::JwtVerifier> UseAuthentication(std::vector<std::string> public_prefixes = {});

  // GET /auditoria/verificacao (roles auditor and servico; not routed by the gateway): the
  // service's own audit chain re-computed, with its head, for Relatórios' verification across
  // services; GET /auditoria/cadeia/{sequencia}: one record's seal (hash_anterior, hash).
  void ExposeAuditVerification();

  // Handles an event of the service's queue `<name>.eventos` (needs UseDatabase and
  // PHARMASYS_AMQP_URL); the handler runs in the transaction that records the event id.
  void OnEvent(const std::string& tipo, events::Handler handler);

  // The command line: no argument serves (validates the configuration — exit code 2 and a
  // message naming the variable when it is wrong —, then blocks until SIGTERM/SIGINT);
  // `migrate` applies the migrations and exits; `verify-audit` checks the audit hash chain;
  // `routes` prints the routes as JSON lines; `help` lists the commands. Returns the exit code.
  int Run(int argc, char** argv);

 private:
  int Serve();
  // Migrates as the owner (`migrate`) or checks the schema and the runtime role (any other
  // command); retried while PostgreSQL is still starting. `wait-schema` (an init container
  // beside a migration Job) also waits while a migration the binary expects is missing.
  enum class DatabaseUse { kServe, kMigrate, kWaitSchema };
  void OpenDatabase(DatabaseUse use);
  int AuditKeyCommand(int argc, char** argv);
  int HealthcheckCommand();

  std::string name_;
  config::Env env_;
  http::ServerOptions server_options_;
  http::Router router_;
  struct Check {
    std::string dependency;
    ReadinessCheck check;
    bool required;
  };
  std::vector<Check> checks_;

  std::optional<std::vector<pg::Migration>> migrations_;
  pg::PoolOptions pool_options_;
  std::unique_ptr<pg::Pool> pool_;
  std::optional<std::string> owner_url_;
  std::optional<std::string> runtime_role_;
  std::optional<std::string> audit_key_dir_;
  std::chrono::milliseconds checkpoint_interval_{2000};
  std::chrono::milliseconds seal_delay_{50};  // PHARMASYS_AUDIT_SEAL_DELAY: see audit::Sealer
  std::optional<amqp::Options> broker_;
  events::RelayOptions relay_options_;
  std::chrono::milliseconds idempotency_retention_{};
  std::chrono::milliseconds idempotency_prune_interval_{};
  std::vector<std::pair<std::string, events::Handler>> handlers_;
  struct Command {
    std::string name;
    std::string help;
    std::function<int()> run;
  };
  std::vector<Command> commands_;
  std::vector<std::function<void()>> on_start_;
  bool jwks_missing_ = false;  // UseAuthentication() without PHARMASYS_JWT_JWKS_URL: serving is refused
};

// Checks for the dependencies named by the common variables.
ReadinessCheck PostgresReachable(std::string conninfo);  // PQping
ReadinessCheck TcpReachable(std::string url);            // amqp://, redis://, http://: a TCP connect

}  // namespace pharmasys
