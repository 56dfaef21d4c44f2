// The real service executables as processes: configuration errors, health, readiness,
// metrics, logs on stdout, and a clean exit on SIGTERM.
#include <gtest/gtest.h>

#include <sstream>

#include "amqp_support.hpp"
#include "http_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/json/json.hpp"
#include "service_db_support.hpp"

namespace pharmasys {
namespace {

using namespace pharmasys::testing;

bool Healthy(std::uint16_t port) {
  return Get(port, "/healthz").status == 200;
}

// The environment of a service with its own test database and an isolated broker namespace.
// The database is migrated by `migrate` as its owner; the service runs as the runtime role.
struct ServiceEnv {
  TestDatabase db;
  TestBroker broker;
  std::vector<std::string> database = PrepareServiceDatabase(PHARMASYS_ESTOQUE_BIN, db);
  std::vector<std::string> Vars(std::uint16_t port, std::string amqp_url = "") const {
    std::vector<std::string> vars = database;
    vars.insert(vars.end(), {"PHARMASYS_HTTP_PORT=" + std::to_string(port),
                             "PHARMASYS_AMQP_URL=" + (amqp_url.empty() ? broker.options().url : amqp_url),
                             "PHARMASYS_AMQP_PREFIX=" + broker.options().prefix,
                             // Estoque serves authenticated routes; nothing here presents a token, so the keys
                             // are never fetched.
                             "PHARMASYS_JWT_JWKS_URL=http://127.0.0.1:9/v1/auth/jwks"});
    return vars;
  }
};

TEST(ServiceBinary, AnswersHealthMetricsAndStopsCleanlyOnSigterm) {
  auto port = FreePort();
  ServiceEnv env;
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, env.Vars(port));
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << service.Stderr();

  auto health = Get(port, "/healthz");
  auto body = json::Parse(health.body);
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("servico").as_string(), "estoque");

  ASSERT_TRUE(Eventually([&] { return Get(port, "/readyz").status == 200; })) << Get(port, "/readyz").body;

  Get(port, "/nope");
  auto metrics = Get(port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("http_server_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("route=\"unmatched\",status=\"404\""), std::string::npos);
  EXPECT_NE(metrics.body.find("http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le="),
            std::string::npos);
  EXPECT_NE(metrics.body.find("http_server_requests_in_flight"), std::string::npos);
  EXPECT_NE(metrics.body.find("process_resident_memory_bytes "), std::string::npos);

  // The container HEALTHCHECK asks the same /healthz from inside: 0 while it answers, 1 after.
  const std::vector<std::string> own_port{"PHARMASYS_HTTP_PORT=" + std::to_string(port)};
  ChildProcess healthy(PHARMASYS_ESTOQUE_BIN, own_port, {"healthcheck"});
  EXPECT_EQ(healthy.Wait(10000ms), 0) << healthy.Stderr();

  service.Signal(SIGTERM);
  EXPECT_EQ(service.Wait(10000ms), 0);
  ChildProcess gone(PHARMASYS_ESTOQUE_BIN, own_port, {"healthcheck"});
  EXPECT_EQ(gone.Wait(10000ms), 1);
  EXPECT_NE(gone.Stderr().find("/healthz"), std::string::npos) << gone.Stderr();

  // Every stdout line is one ECS JSON object.
  std::istringstream lines(service.Stdout());
  std::string line;
  int count = 0;
  bool saw_404 = false;
  while (std::getline(lines, line)) {
    auto entry = json::Parse(line);
    EXPECT_EQ(entry.at("service.name").as_string(), "estoque");
    EXPECT_TRUE(entry.as_object().contains("@timestamp"));
    EXPECT_TRUE(entry.as_object().contains("log.level"));
    if (entry.as_object().contains("http.response.status_code") &&
        entry.at("http.response.status_code").as_int64() == 404) {
      saw_404 = true;
      EXPECT_EQ(entry.at("trace.id").as_string().size(), 32u);
      EXPECT_TRUE(entry.as_object().contains("http.request.id"));
    }
    ++count;
  }
  EXPECT_GE(count, 3);
  EXPECT_TRUE(saw_404);
}

TEST(ServiceBinary, BadConfigurationStopsTheStartNamingTheVariable) {
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_HTTP_PORT=80a", "PHARMASYS_HTTP_READ_TIMEOUT=soon",
                                               "PHARMASYS_TLS_CA_FILE=/nonexistent/ca.pem"});
  EXPECT_EQ(service.Wait(10000ms), 2);
  auto err = service.Stderr();
  EXPECT_NE(err.find("PHARMASYS_HTTP_PORT"), std::string::npos) << err;
  EXPECT_NE(err.find("PHARMASYS_HTTP_READ_TIMEOUT"), std::string::npos) << err;
  EXPECT_NE(err.find("PHARMASYS_TLS_CA_FILE: cannot read /nonexistent/ca.pem"), std::string::npos) << err;
}

TEST(ServiceBinary, PortInUseIsAClearError) {
  auto port = FreePort();
  ServiceEnv env;
  ChildProcess first(PHARMASYS_ESTOQUE_BIN, env.Vars(port));
  ASSERT_TRUE(Eventually([&] { return Healthy(port); }));
  ChildProcess second(PHARMASYS_ESTOQUE_BIN, env.Vars(port));
  EXPECT_EQ(second.Wait(10000ms), 1);
  EXPECT_NE(second.Stderr().find(std::to_string(port)), std::string::npos);
}

// proves: R4 X5
TEST(ServiceBinary, StartsWithoutTheBrokerAndSaysItIsNotReadyWithoutLeakingThePassword) {
  auto port = FreePort();
  ServiceEnv env;
  const std::string dead_broker =
      "amqp://u:amqp-pw-not-for-logs@127.0.0.1:" + std::to_string(FreePort());  // nothing listens there
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, env.Vars(port, dead_broker));
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << service.Stderr();  // R4: alive without the broker
  auto ready = Get(port, "/readyz");
  EXPECT_EQ(ready.status, 503);
  auto body = json::Parse(ready.body);
  EXPECT_EQ(body.at("status").as_string(), "nao-pronto");
  bool named = false;
  for (const auto& d : body.at("dependencias").as_array()) {
    if (d.at("nome").as_string() == "rabbitmq") {
      named = true;
      EXPECT_FALSE(d.at("ok").as_bool());
    } else {
      EXPECT_TRUE(d.at("ok").as_bool()) << d.at("nome").as_string();  // PostgreSQL is fine
    }
  }
  EXPECT_TRUE(named);
  EXPECT_EQ(ready.body.find("not-for-logs"), std::string::npos);
  service.Signal(SIGTERM);
  EXPECT_EQ(service.Wait(10000ms), 0);
  EXPECT_EQ(service.Stdout().find("not-for-logs"), std::string::npos);
  EXPECT_EQ(service.Stderr().find("not-for-logs"), std::string::npos);
}

TEST(ServiceBinary, MigrateAppliesThePlatformSchemaAndAnEditedOneStopsTheStart) {
  ServiceEnv env;
  ChildProcess migrate(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_DB_URL=" + env.db.url()}, {"migrate"});
  ASSERT_EQ(migrate.Wait(30000ms), 0) << migrate.Stderr();
  pg::Pool pool(pg::PoolOptions{.conninfo = env.db.url()});
  constexpr pg::Query kTables{"tables",
                              "SELECT count(*) FROM information_schema.tables WHERE table_name IN"
                              " ('outbox','eventos_processados','idempotencia','auditoria','auditoria_registro')"};
  EXPECT_EQ(pool.Exec(kTables).Single().Int(0), 5);
  // Someone edits an applied platform migration's recorded checksum: the next start refuses.
  env.db.Superuser("UPDATE schema_migrations SET checksum = 'edited' WHERE trilha = 'plataforma' AND versao = 1");
  auto port = FreePort();
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, env.Vars(port));
  EXPECT_EQ(service.Wait(30000ms), 1);
  EXPECT_NE(service.Stderr().find("V001__outbox_inbox.sql was changed after it was applied"), std::string::npos)
      << service.Stderr();
}

// proves: A3
TEST(ServiceBinary, VerifyAuditReportsTheChain) {
  ServiceEnv env;
  ChildProcess verify(PHARMASYS_ESTOQUE_BIN, {"PHARMASYS_DB_URL=" + env.db.runtime_url()}, {"verify-audit"});
  ASSERT_EQ(verify.Wait(30000ms), 0) << verify.Stderr();
  auto report = json::Parse(verify.Stdout().substr(verify.Stdout().rfind("{\"servico\"")));
  EXPECT_TRUE(report.at("integra").as_bool());
  EXPECT_EQ(report.at("servico").as_string(), "estoque");
}

// RULES.md A7: the role the service runs as can change rows, never the tables themselves.
// proves: A7
TEST(ServiceBinary, TheRuntimeRoleCannotAlterDropTruncateOrDisableTheTrail) {
  ServiceEnv env;
  pg::Connection runtime(env.db.runtime_url(), "intruder", 10000ms);
  for (const char* sql :
       {"ALTER TABLE auditoria DISABLE TRIGGER ALL", "ALTER TABLE auditoria_registro DISABLE TRIGGER USER",
        "DROP TABLE auditoria", "TRUNCATE auditoria_registro", "TRUNCATE lotes", "ALTER TABLE lotes ADD COLUMN x int",
        "DROP TABLE lotes CASCADE", "UPDATE auditoria SET hash = hash", "DELETE FROM auditoria_registro",
        "DELETE FROM auditoria_checkpoint", "UPDATE schema_migrations SET checksum = 'x'",
        "CREATE TABLE intruso (x int)", "DROP FUNCTION auditoria_somente_insercao() CASCADE"}) {
    EXPECT_THROW(runtime.ExecSimple(sql), pg::SqlError) << sql;
  }
  // What the service needs, it has.
  EXPECT_NO_THROW(runtime.ExecSimple("SELECT count(*) FROM lotes"));
  EXPECT_NO_THROW(runtime.ExecSimple("DELETE FROM idempotencia WHERE false"));
}

// proves: A7
TEST(ServiceBinary, RefusesToStartWhenItsRoleOwnsATable) {
  ServiceEnv env;
  env.db.Superuser("ALTER TABLE outbox OWNER TO " + env.db.runtime_role());
  auto port = FreePort();
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, env.Vars(port));
  EXPECT_EQ(service.Wait(30000ms), 1);
  EXPECT_NE(service.Stderr().find("must own nothing"), std::string::npos) << service.Stderr();
  EXPECT_NE(service.Stderr().find("outbox"), std::string::npos) << service.Stderr();
}

// proves: A7
TEST(ServiceBinary, RefusesToStartAsTheOwnerRole) {
  ServiceEnv env;
  auto vars = env.Vars(FreePort());
  for (auto& v : vars) {
    if (v.starts_with("PHARMASYS_DB_URL=")) v = "PHARMASYS_DB_URL=" + env.db.url();
  }
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, vars);
  EXPECT_EQ(service.Wait(30000ms), 1);
  EXPECT_NE(service.Stderr().find("owns the database"), std::string::npos) << service.Stderr();
}

TEST(ServiceBinary, RefusesToStartBeforeItsMigrationsAreApplied) {
  TestDatabase db;
  TestBroker broker;
  db.Superuser("GRANT CONNECT ON DATABASE " + db.name() + " TO " + db.runtime_role());
  ChildProcess service(PHARMASYS_ESTOQUE_BIN,
                       {"PHARMASYS_HTTP_PORT=" + std::to_string(FreePort()), "PHARMASYS_DB_URL=" + db.runtime_url(),
                        "PHARMASYS_AUDIT_KEY_DIR=/tmp/pharmasys-test-keys/none",
                        "PHARMASYS_JWT_JWKS_URL=http://127.0.0.1:9/v1/auth/jwks"});
  EXPECT_EQ(service.Wait(30000ms), 1);
  EXPECT_NE(service.Stderr().find("run `migrate`"), std::string::npos) << service.Stderr();
}

// An init container runs `wait-schema` beside the migration Job: it waits while the schema
// is behind, exits 0 once `migrate` has run, and refuses at once a changed migration.
TEST(ServiceBinary, WaitSchemaWaitsForTheMigrationsAndRefusesAChangedOne) {
  TestDatabase db;
  db.Superuser("GRANT CONNECT ON DATABASE " + db.name() + " TO " + db.runtime_role());
  const std::vector<std::string> runtime{"PHARMASYS_DB_URL=" + db.runtime_url()};
  ChildProcess waiting(PHARMASYS_ESTOQUE_BIN, runtime, {"wait-schema"});
  EXPECT_EQ(waiting.Wait(2500ms), -1) << "wait-schema returned before the migrations ran: " << waiting.Stderr();
  ChildProcess migrate(PHARMASYS_ESTOQUE_BIN,
                       {"PHARMASYS_DB_OWNER_URL=" + db.url(), "PHARMASYS_DB_URL=" + db.runtime_url()}, {"migrate"});
  ASSERT_EQ(migrate.Wait(60000ms), 0) << migrate.Stderr();
  EXPECT_EQ(waiting.Wait(10000ms), 0) << waiting.Stderr();

  db.Superuser("UPDATE schema_migrations SET checksum = 'edited' WHERE trilha = 'plataforma' AND versao = 1");
  ChildProcess refused(PHARMASYS_ESTOQUE_BIN, runtime, {"wait-schema"});
  EXPECT_EQ(refused.Wait(10000ms), 1);
  EXPECT_NE(refused.Stderr().find("was changed after it was applied"), std::string::npos) << refused.Stderr();
}

TEST(ServiceBinary, PrunesExpiredIdempotencyKeysOnAScheduleAndKeepsFreshOnes) {
  auto port = FreePort();
  ServiceEnv env;
  auto vars = env.Vars(port);
  vars.push_back("PHARMASYS_IDEMPOTENCY_PRUNE_INTERVAL=1s");  // retention: the default, 24h
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, vars);
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << service.Stderr();
  pg::Pool pool(pg::PoolOptions{.conninfo = env.db.url()});
  constexpr pg::Query kHas{"has_key", "SELECT count(*) FROM idempotencia WHERE chave = $1"};
  auto has = [&](const std::string& key) { return pool.Exec(kHas, pg::Params(key)).Single().Int(0) == 1; };
  auto insert = [&](const std::string& key, const std::string& age) {
    env.db.Superuser(
        "INSERT INTO idempotencia (usuario, chave, hash_requisicao, status, cabecalhos, corpo, criado_em)"
        " VALUES ('u', '" +
        key + "', 'h', 201, '{}', '', now() - interval '" + age + "')");
  };
  insert("fresh", "23 hours");
  // Two expired keys, the second written after the first was pruned: both go, so the pruning
  // runs again and again, not only at start.
  for (const std::string key : {"old-1", "old-2"}) {
    insert(key, "25 hours");  // not checked here: the pruner may already be at it
    EXPECT_TRUE(Eventually([&] { return !has(key); }, 15000ms)) << key << " was not pruned\n" << service.Stderr();
  }
  EXPECT_TRUE(has("fresh"));
  service.Signal(SIGTERM);
  EXPECT_EQ(service.Wait(10000ms), 0);
}

TEST(ServiceBinary, RefusesToKeepIdempotencyKeysLessThanADay) {
  ServiceEnv env;
  auto vars = env.Vars(FreePort());
  vars.push_back("PHARMASYS_IDEMPOTENCY_RETENTION=23h");
  ChildProcess service(PHARMASYS_ESTOQUE_BIN, vars);
  EXPECT_EQ(service.Wait(10000ms), 2);
  EXPECT_NE(service.Stderr().find("PHARMASYS_IDEMPOTENCY_RETENTION"), std::string::npos) << service.Stderr();
}

TEST(ServiceBinary, GatewayIsReadyWhenItsUpstreamsAnswer) {
  auto upstream_port = FreePort();
  ServiceEnv env;
  ChildProcess upstream(PHARMASYS_ESTOQUE_BIN, env.Vars(upstream_port));
  ASSERT_TRUE(Eventually([&] { return Healthy(upstream_port); }));
  auto port = FreePort();
  ChildProcess gateway(
      PHARMASYS_GATEWAY_BIN,
      {"PHARMASYS_HTTP_PORT=" + std::to_string(port), "PHARMASYS_METRICS_PORT=" + std::to_string(FreePort()),
       "PHARMASYS_UPSTREAM_ESTOQUE=http://127.0.0.1:" + std::to_string(upstream_port),
       "PHARMASYS_JWT_JWKS_URL=http://127.0.0.1:8081/v1/auth/jwks"});
  ASSERT_TRUE(Eventually([&] { return Healthy(port); })) << gateway.Stderr();
  EXPECT_EQ(Get(port, "/readyz").status, 200);
  upstream.Signal(SIGTERM);
  ASSERT_EQ(upstream.Wait(10000ms), 0);
  EXPECT_EQ(Get(port, "/readyz").status, 503);
}

}  // namespace
}  // namespace pharmasys
