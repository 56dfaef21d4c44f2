#include "pharmasys/pg/pg.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

#include "pg_support.hpp"
#include "pharmasys/pg/migrations.hpp"

namespace pharmasys::pg {
namespace {

using namespace std::chrono_literals;
using testing::TestDatabase;

class PgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<Pool>(
        PoolOptions{.conninfo = db_.url(), .max_size = 4, .acquire_timeout = 2000ms, .statement_timeout = 5000ms});
    pool_->Transact([](Transaction& tx) {
      tx.connection().ExecSimple(
          "CREATE TABLE item (id bigserial PRIMARY KEY, codigo text UNIQUE NOT NULL, quantidade numeric(18,3),"
          " ativo boolean NOT NULL DEFAULT true);"
          "CREATE TABLE contador (id int PRIMARY KEY, valor int NOT NULL); INSERT INTO contador VALUES (1, 0);");
    });
  }

  TestDatabase db_;
  std::unique_ptr<Pool> pool_;
};

constexpr Query kInsert{"item_insert", "INSERT INTO item (codigo, quantidade) VALUES ($1, $2) RETURNING id"};
constexpr Query kByCodigo{"item_by_codigo", "SELECT id, codigo, quantidade, ativo FROM item WHERE codigo = $1"};
constexpr Query kCount{"item_count", "SELECT count(*) FROM item"};
constexpr Query kDeleteD{"item_delete_d", "DELETE FROM item WHERE codigo LIKE 'd%'"};

// proves: X4
TEST_F(PgTest, ParametersAreDataNeverSql) {
  const std::string hostile = "x'); DROP TABLE item; --";
  pool_->Exec(kInsert, Params(hostile, *Decimal::Parse("12.5")));
  auto rows = pool_->Exec(kByCodigo, Params(hostile));
  ASSERT_EQ(rows.size(), 1);
  EXPECT_EQ(rows[0].String(1), hostile);
  EXPECT_EQ(rows[0].Numeric(2).ToString(), "12.5");
  EXPECT_TRUE(rows[0].Bool(3));
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 1);
}

TEST_F(PgTest, TextArraysCarryAnyTextIntact) {
  std::vector<std::string> texts{"plain", "with \"quotes\"", "back\\slash", "comma, brace } {", "", "NULL", "ção"};
  constexpr Query kEcho{"array_echo", "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS a(t, n) ORDER BY n"};
  auto rows = pool_->Exec(kEcho, Params(TextArray(texts)));
  ASSERT_EQ(rows.size(), static_cast<int>(texts.size()));
  for (int i = 0; i < rows.size(); ++i) {
    EXPECT_FALSE(rows[i].IsNull(0)) << i;
    EXPECT_EQ(rows[i].String(0), texts[static_cast<std::size_t>(i)]);
  }
}

TEST_F(PgTest, NullsAndExactNumerics) {
  pool_->Exec(kInsert, Params("a", std::optional<Decimal>{}));
  pool_->Exec(kInsert, Params("b", *Decimal::Parse("999999999999.999")));
  EXPECT_FALSE(pool_->Exec(kByCodigo, Params("a")).Single().OptionalNumeric(2));
  EXPECT_EQ(pool_->Exec(kByCodigo, Params("b")).Single().Numeric(2).ToString(), "999999999999.999");
}

TEST_F(PgTest, ExceptionInsideATransactionRollsItBack) {
  EXPECT_THROW(pool_->Transact([](Transaction& tx) {
    tx.Exec(kInsert, Params("x", 1));
    throw Conflict("no");
  }),
               Conflict);
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 0);
  auto id = pool_->Transact([](Transaction& tx) { return tx.Exec(kInsert, Params("y", 1)).Single().Int(0); });
  EXPECT_GT(id, 0);
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 1);
}

// Statements sent together (ExecAll, Defer, the BEGIN with the first statement) run as they
// would one by one: in order, in the transaction, each seeing the ones before it; the first
// failure is the one thrown, nothing after it ran, and the transaction rolls back whole.
TEST_F(PgTest, PipelinedStatementsRunInOrderAndFailAsOne) {
  auto results = pool_->Transact([](Transaction& tx) {
    tx.Defer(kInsert, Params("p1", 1));
    tx.Defer(kInsert, Params("p2", 2));
    return tx.ExecAll({{kCount}, {kInsert, Params("p3", 3)}, {kByCodigo, Params("p2")}, {kCount}});
  });
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].Single().Int(0), 2);  // the deferred inserts went first
  EXPECT_EQ(results[2].Single().String(1), "p2");
  EXPECT_EQ(results[3].Single().Int(0), 3);
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 3);

  // A deferred statement that fails fails the statement it was sent with, and the transaction.
  try {
    pool_->Transact([](Transaction& tx) {
      tx.Exec(kInsert, Params("q1", 1));
      tx.Defer(kInsert, Params("p1", 9));  // duplicate codigo
      tx.Defer(kInsert, Params("q2", 2));  // never runs
      tx.Exec(kCount);
      ADD_FAILURE() << "the duplicate was not reported";
    });
    ADD_FAILURE() << "no error";
  } catch (const SqlError& e) {
    EXPECT_TRUE(e.IsUniqueViolation());
  }
  // Deferred to the end of the transaction: sent before COMMIT, and failing it.
  EXPECT_THROW(pool_->Transact([](Transaction& tx) { tx.Defer(kInsert, Params("p2", 9)); }), SqlError);
  try {
    pool_->Transact([](Transaction& tx) { tx.ExecAll({{kInsert, Params("r1", 1)}, {kInsert, Params("p3", 9)}}); });
    ADD_FAILURE() << "no error";
  } catch (const SqlError& e) {
    EXPECT_TRUE(e.IsUniqueViolation());
  }
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 3);  // nothing of the failed transactions remains
  for (const char* codigo : {"q1", "q2", "r1"}) EXPECT_TRUE(pool_->Exec(kByCodigo, Params(codigo)).empty()) << codigo;

  // Deferred statements with nothing after them go with the COMMIT, and are committed.
  pool_->Transact([](Transaction& tx) {
    tx.Defer(kInsert, Params("d1", 4));
    tx.Defer(kInsert, Params("d2", 5));
  });
  for (const char* codigo : {"d1", "d2"}) EXPECT_EQ(pool_->Exec(kByCodigo, Params(codigo)).size(), 1) << codigo;
  pool_->Exec(kDeleteD);

  // A transaction that ran nothing sends nothing, and one rolled back drops what it deferred.
  pool_->Transact([](Transaction&) {});
  EXPECT_THROW(pool_->Transact([](Transaction& tx) {
    tx.Defer(kInsert, Params("s1", 1));
    throw Conflict("no");
  }),
               Conflict);
  EXPECT_TRUE(pool_->Exec(kByCodigo, Params("s1")).empty());
  // The connections went back to the pool usable: no transaction left open.
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(pool_->Transact([](Transaction& tx) { return tx.Exec(kCount); }).Single().Int(0), 3);
}

// Pool::Read sends BEGIN … READ ONLY, its statements and COMMIT at once: one transaction (one
// now(), one snapshot under RepeatableRead), answers in order; the server refuses a write in
// it, a failure is thrown and rolled back, and the connection serves the next caller.
TEST_F(PgTest, ReadsGoWholeInOneReadOnlyTransaction) {
  pool_->Exec(kInsert, Params("a", 1));
  constexpr Query kNow{"read_now", "SELECT now()::text, txid_current_if_assigned()::text"};
  constexpr Query kSettings{
      "read_settings", "SELECT current_setting('transaction_read_only'), current_setting('transaction_isolation')"};
  constexpr Query kPause{"read_pause", "SELECT pg_sleep(0.05)"};
  auto results = pool_->Read({{kNow}, {kByCodigo, Params("a")}, {kPause}, {kSettings}, {kCount}, {kNow}},
                             Isolation::RepeatableRead);
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].Single().String(0), results[5].Single().String(0));  // one transaction
  EXPECT_TRUE(results[0].Single().IsNull(1));                               // that wrote nothing
  EXPECT_EQ(results[1].Single().String(1), "a");
  EXPECT_EQ(results[3].Single().String(0), "on");
  EXPECT_EQ(results[3].Single().String(1), "repeatable read");
  EXPECT_EQ(results[4].Single().Int(0), 1);
  EXPECT_EQ(pool_->Read({{kSettings}}).front().Single().String(1), "read committed");

  // A write is refused by the server, and nothing of it remains.
  try {
    pool_->Read({{kCount}, {kInsert, Params("b", 2)}, {kCount}});
    ADD_FAILURE() << "a write ran in a read-only transaction";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "25006");
  }
  EXPECT_TRUE(pool_->Exec(kByCodigo, Params("b")).empty());
  // A failing statement fails the read; the connection is rolled back and serves the next one.
  constexpr Query kDivide{"read_divide", "SELECT 1 / (count(*) - 1) FROM item"};
  constexpr Query kBackend{"read_backend", "SELECT pg_backend_pid()"};
  const auto backend = pool_->Read({{kBackend}}).front().Single().Int(0);
  EXPECT_THROW(pool_->Read({{kCount}, {kDivide}, {kCount}}), SqlError);
  auto after = pool_->Read({{kBackend}, {kCount}});
  EXPECT_EQ(after[0].Single().Int(0), backend);  // the same connection, usable
  EXPECT_EQ(after[1].Single().Int(0), 1);
  EXPECT_EQ(pool_->open_connections(), 1u);
}

TEST_F(PgTest, UniqueViolationMapsTo409) {
  pool_->Exec(kInsert, Params("dup", 1));
  try {
    pool_->Exec(kInsert, Params("dup", 2));
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_TRUE(e.IsUniqueViolation());
    EXPECT_EQ(e.constraint(), "item_codigo_key");
    EXPECT_EQ(ToHttpError(e).status(), 409);
    EXPECT_EQ(ToHttpError(e).slug(), "conflito");
  }
}

TEST_F(PgTest, SerializationFailuresAreRetriedUntilEveryTransactionCommits) {
  constexpr Query kRead{"contador_read", "SELECT valor FROM contador WHERE id = 1"};
  constexpr Query kWrite{"contador_write", "UPDATE contador SET valor = $1 WHERE id = 1"};
  std::atomic<int> attempts{0};
  PoolOptions options{.conninfo = db_.url(), .max_size = 8, .max_attempts = 100};
  Pool pool(options);
  std::vector<std::future<void>> workers;
  for (int t = 0; t < 6; ++t) {
    workers.push_back(std::async(std::launch::async, [&] {
      for (int i = 0; i < 10; ++i) {
        pool.Transact(
            [&](Transaction& tx) {
              ++attempts;
              auto v = tx.Exec(kRead).Single().Int(0);
              tx.Exec(kWrite, Params(v + 1));
            },
            Isolation::Serializable);
      }
    }));
  }
  for (auto& w : workers) w.get();
  EXPECT_EQ(pool.Exec(kRead).Single().Int(0), 60);  // no lost update
  EXPECT_GT(attempts.load(), 60);                   // and conflicts did happen and were retried
}

TEST_F(PgTest, PoolIsBoundedAndAcquireHasADeadline) {
  PoolOptions options{.conninfo = db_.url(), .max_size = 2, .acquire_timeout = 300ms};
  Pool pool(options);
  auto a = pool.Acquire();
  auto b = pool.Acquire();
  EXPECT_EQ(pool.open_connections(), 2u);
  auto t0 = std::chrono::steady_clock::now();
  try {
    pool.Acquire();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), 503);
  }
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
  // A waiter gets the connection as soon as one is given back.
  auto waiter = std::async(std::launch::async, [&] { return pool.Acquire()->Exec(kCount).Single().Int(0); });
  std::this_thread::sleep_for(50ms);
  { auto released = std::move(a); }
  EXPECT_EQ(waiter.get(), 0);
}

TEST_F(PgTest, AConnectionLeftInATransactionIsNotReused) {
  {
    auto lease = pool_->Acquire();
    lease->ExecSimple("BEGIN");
    lease->Exec(kInsert, Params("uncommitted", 1));
  }  // released mid-transaction: closed, so nothing leaks into the next user
  EXPECT_EQ(pool_->idle_connections(), 0u);
  EXPECT_EQ(pool_->open_connections(), 0u);
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 0);
}

TEST_F(PgTest, StatementTimeoutIsEnforced) {
  Pool pool(PoolOptions{.conninfo = db_.url(), .max_size = 1, .statement_timeout = 200ms});
  constexpr Query kSleep{"sleep", "SELECT pg_sleep(3)"};
  auto t0 = std::chrono::steady_clock::now();
  try {
    pool.Exec(kSleep);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.sqlstate(), "57014");
    EXPECT_EQ(ToHttpError(e).status(), 503);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2500ms);
}

TEST_F(PgTest, BrokenConnectionsAreReplaced) {
  for (int i = 0; i < 3; ++i) pool_->Exec(kCount);
  ASSERT_GE(pool_->idle_connections(), 1u);
  // Every pooled connection dies, as on a server restart.
  db_.Superuser(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
      " AND pid <> pg_backend_pid()");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 0);
  pool_->Transact([](Transaction& tx) { tx.Exec(kInsert, Params("after", 1)); });
  EXPECT_EQ(pool_->Exec(kCount).Single().Int(0), 1);
}

// ---- lists both ways -----------------------------------------------------------------------

constexpr ListQuery kItems = PHARMASYS_PG_LIST("item_list", "SELECT id, quantidade FROM item ",
                                               " AND ($1::text IS NULL OR codigo = $1)", "id", "$2::bigint", "$3");

std::vector<std::int64_t> Ids(const Result& rows) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < rows.size(); ++i) ids.push_back(rows[i].Int(0));
  return ids;
}

// The plan PostgreSQL picks for `query` with `args` (SQL literals) under `mode`: a custom plan
// (the first executions of a prepared statement, NULL tests folded away) or the generic plan
// it may settle on afterwards.
std::string PlanOf(Pool& pool, const Query& query, const std::string& args, const std::string& mode) {
  auto lease = pool.Acquire();
  lease->ExecSimple("SET plan_cache_mode = " + mode);
  lease->ExecSimple(std::string("PREPARE plan_probe AS ") + query.sql);
  auto rows = lease->ExecSimple("EXPLAIN EXECUTE plan_probe(" + args + ")");
  std::string plan;
  for (int i = 0; i < rows.size(); ++i) plan += rows[i].String(0) + "\n";
  lease->ExecSimple("DEALLOCATE plan_probe; RESET plan_cache_mode");
  return plan;
}

TEST_F(PgTest, AListQueryPagesBothWaysAlongTheKeysIndex) {
  pool_->Transact([](Transaction& tx) {
    tx.connection().ExecSimple(
        "INSERT INTO item (codigo, quantidade) SELECT 'c' || n, n FROM generate_series(1, 5000) n; ANALYZE item");
  });
  EXPECT_EQ(Ids(pool_->Exec(kItems[SortOrder::Ascending], Params(std::nullopt, std::nullopt, 2))),
            (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(Ids(pool_->Exec(kItems[SortOrder::Ascending], Params(std::nullopt, 2, 2))),
            (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(Ids(pool_->Exec(kItems[SortOrder::Descending], Params(std::nullopt, std::nullopt, 2))),
            (std::vector<std::int64_t>{5000, 4999}));
  EXPECT_EQ(Ids(pool_->Exec(kItems[SortOrder::Descending], Params(std::nullopt, 4999, 2))),
            (std::vector<std::int64_t>{4998, 4997}));
  EXPECT_EQ(Ids(pool_->Exec(kItems[SortOrder::Descending], Params("c7", 8, 2))), (std::vector<std::int64_t>{7}));
  EXPECT_TRUE(pool_->Exec(kItems[SortOrder::Descending], Params(std::nullopt, 1, 2)).empty());

  // Each direction walks the primary key's index, and nothing is sorted: with or without a
  // cursor, in the custom plans and in the generic one.
  for (const std::string mode : {"force_custom_plan", "force_generic_plan"}) {
    for (const std::string args : {"NULL, NULL, 50", "NULL, 2500, 50"}) {
      auto up = PlanOf(*pool_, kItems.ascending, args, mode);
      EXPECT_NE(up.find("Index Scan using item_pkey"), std::string::npos) << mode << " " << args << "\n" << up;
      EXPECT_EQ(up.find("Sort"), std::string::npos) << mode << " " << args << "\n" << up;
      auto down = PlanOf(*pool_, kItems.descending, args, mode);
      EXPECT_NE(down.find("Index Scan Backward using item_pkey"), std::string::npos) << mode << " " << args << "\n"
                                                                                     << down;
      EXPECT_EQ(down.find("Sort"), std::string::npos) << mode << " " << args << "\n" << down;
    }
  }
}

// ---- migrations --------------------------------------------------------------------------

const std::vector<Migration> kMigrations{
    {1, "V001__init.sql", "CREATE TABLE lote (id uuid PRIMARY KEY, codigo text NOT NULL);"},
    {2, "V002__index.sql", "CREATE UNIQUE INDEX lote_codigo ON lote (codigo); ALTER TABLE lote ADD validade date;"},
};

TEST(Migrations, AppliesInOrderOnceAndRecordsChecksums) {
  TestDatabase db;
  Pool pool(PoolOptions{.conninfo = db.url()});
  auto first = Migrate(pool, kMigrations);
  EXPECT_EQ(first.applied, (std::vector<std::string>{"V001__init.sql", "V002__index.sql"}));
  auto again = Migrate(pool, kMigrations);
  EXPECT_TRUE(again.applied.empty());
  EXPECT_EQ(again.already_applied, 2u);
  constexpr Query kRecorded{"recorded", "SELECT count(*) FROM schema_migrations WHERE length(checksum) = 64"};
  EXPECT_EQ(pool.Exec(kRecorded).Single().Int(0), 2);
  auto grown = kMigrations;
  grown.push_back({3, "V003__more.sql", "ALTER TABLE lote ADD status text;"});
  EXPECT_EQ(Migrate(pool, grown).applied, std::vector<std::string>{"V003__more.sql"});
}

TEST(Migrations, AnEditedAppliedMigrationStopsTheStart) {
  TestDatabase db;
  Pool pool(PoolOptions{.conninfo = db.url()});
  Migrate(pool, kMigrations);
  auto edited = kMigrations;
  edited[0].sql += " -- a quiet fix";
  try {
    Migrate(pool, edited);
    FAIL();
  } catch (const MigrationError& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("V001__init.sql"), std::string::npos) << what;
    EXPECT_NE(what.find("changed after it was applied"), std::string::npos) << what;
  }
}

TEST(Migrations, AFailingMigrationLeavesNothingBehind) {
  TestDatabase db;
  Pool pool(PoolOptions{.conninfo = db.url()});
  auto broken = kMigrations;
  broken.push_back({3, "V003__broken.sql", "ALTER TABLE lote ADD x int; SELECT * FROM nao_existe;"});
  EXPECT_THROW(Migrate(pool, broken), SqlError);
  constexpr Query kTables{"tables", "SELECT count(*) FROM information_schema.tables WHERE table_name = 'lote'"};
  EXPECT_EQ(pool.Exec(kTables).Single().Int(0), 0);  // V001 and V002 rolled back with it
}

TEST(Migrations, ReplicasStartingTogetherApplyEachMigrationOnce) {
  TestDatabase db;
  std::vector<std::future<MigrationReport>> replicas;
  for (int i = 0; i < 4; ++i) {
    replicas.push_back(std::async(std::launch::async, [&] {
      Pool pool(PoolOptions{.conninfo = db.url()});
      return Migrate(pool, kMigrations);
    }));
  }
  std::size_t applied = 0;
  for (auto& r : replicas) applied += r.get().applied.size();
  EXPECT_EQ(applied, 2u);
}

TEST(Migrations, FileNamesAreChecked) {
  EXPECT_EQ(MigrationVersion("V012__add_index.sql"), 12);
  EXPECT_THROW(MigrationVersion("V1_init.sql"), MigrationError);
  EXPECT_THROW(MigrationVersion("init.sql"), MigrationError);
  EXPECT_THROW(MigrationVersion("Vx__a.sql"), MigrationError);
}

}  // namespace
}  // namespace pharmasys::pg
