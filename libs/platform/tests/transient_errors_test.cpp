// A database that cannot do it now (a lock held past lock_timeout, a statement timeout, a
// serialization failure or deadlock that outlived the retries) answers at the HTTP edge as the
// event consumer treats it: transient, a 503 `indisponivel` with Retry-After, nothing committed.
#include <gtest/gtest.h>

#include <atomic>

#include "http_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::pg {
namespace {

using namespace std::chrono_literals;
using testing::TestDatabase;

constexpr Query kLockItem{"t_item_lock", "SELECT valor FROM item WHERE id = 1 FOR UPDATE"};
constexpr Query kBump{"t_item_bump", "UPDATE item SET valor = valor + 1 WHERE id = 1"};
constexpr Query kValor{"t_item_valor", "SELECT valor FROM item WHERE id = 1"};
constexpr Query kShortLockTimeout{"t_lock_timeout", "SET LOCAL lock_timeout = '100ms'"};
constexpr Query kSleep{"t_sleep", "SELECT pg_sleep(3)"};
// PostgreSQL itself raising the failure Transact retries, every time.
constexpr Query kSerializationFailure{
    "t_40001", "DO $$ BEGIN RAISE EXCEPTION 'conflito simulado' USING ERRCODE = 'serialization_failure'; END $$"};
constexpr Query kDeadlock{"t_40P01",
                          "DO $$ BEGIN RAISE EXCEPTION 'impasse simulado' USING ERRCODE = 'deadlock_detected'; END $$"};

class TransientErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_ = std::make_unique<Pool>(
        PoolOptions{.conninfo = db_.url(), .max_size = 4, .statement_timeout = 300ms, .max_attempts = 3});
    pool_->Transact([](Transaction& tx) {
      tx.connection().ExecSimple(
          "CREATE TABLE item (id int PRIMARY KEY, valor int NOT NULL);"
          "INSERT INTO item VALUES (1, 0);");
    });
    router_.Post("/lock", [this](http::Request&) {
      return pool_->Transact([](Transaction& tx) {
        // Below the statement timeout, so the lock wait ends as lock_not_available (55P03).
        tx.Exec(kShortLockTimeout);
        tx.Exec(kLockItem);
        tx.Exec(kBump);
        return http::Response::Text(200, "ok");
      });
    });
    router_.Get("/sleep", [this](http::Request&) {
      pool_->Exec(kSleep);
      return http::Response::Text(200, "ok");
    });
    for (const auto& [path, query] : {std::pair{"/40001", &kSerializationFailure}, std::pair{"/40P01", &kDeadlock}}) {
      router_.Post(path, [this, query](http::Request&) {
        return pool_->Transact([&](Transaction& tx) {
          ++attempts_;
          tx.Exec(kBump);
          tx.Exec(*query);
          return http::Response::Text(200, "ok");
        });
      });
    }
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<http::Server>(options, [this](http::Request& r) { return router_.Dispatch(r); });
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }

  testing::RawResponse Post(const std::string& path) {
    return testing::Exchange(server_->port(),
                             "POST " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  }
  static void ExpectRetryableUnavailable(const testing::RawResponse& r) {
    EXPECT_EQ(r.status, 503) << r.body;
    ASSERT_EQ(r.headers.count("retry-after"), 1u);
    EXPECT_GE(std::stoi(r.headers.at("retry-after")), 1);
    EXPECT_EQ(r.headers.at("content-type"), "application/problem+json");
    auto problem = json::Parse(r.body);
    EXPECT_EQ(problem.at("type").as_string(), "https://pharmasys.dev/problemas/indisponivel");
    EXPECT_EQ(problem.at("status").as_int64(), 503);
  }
  std::int64_t Valor() { return pool_->Exec(kValor).Single().Int(0); }

  TestDatabase db_;
  std::unique_ptr<Pool> pool_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::atomic<int> attempts_{0};
};

TEST_F(TransientErrors, ARowLockedPastLockTimeoutIsA503WithRetryAfter) {
  Pool holder(PoolOptions{.conninfo = db_.url(), .max_size = 1});
  {
    auto lease = holder.Acquire();
    lease->ExecSimple("BEGIN");
    lease->Exec(kLockItem);  // another transaction holds the row
    const auto r = Post("/lock");
    ExpectRetryableUnavailable(r);
    EXPECT_NE(r.body.find("em uso por outra operação"), std::string::npos) << r.body;
    lease->ExecSimple("ROLLBACK");
  }
  EXPECT_EQ(Valor(), 0);  // nothing was committed
  // Once the lock is gone, the same request goes through.
  EXPECT_EQ(Post("/lock").status, 200);
  EXPECT_EQ(Valor(), 1);
}

TEST_F(TransientErrors, AStatementTimeoutIsA503WithRetryAfter) {
  ExpectRetryableUnavailable(testing::Get(server_->port(), "/sleep"));
}

TEST_F(TransientErrors, ASerializationFailureIsRetriedThenA503WithRetryAfter) {
  ExpectRetryableUnavailable(Post("/40001"));
  EXPECT_EQ(attempts_.load(), 3);  // PoolOptions::max_attempts, each rolled back
  EXPECT_EQ(Valor(), 0);
}

TEST_F(TransientErrors, ADeadlockIsRetriedThenA503WithRetryAfter) {
  ExpectRetryableUnavailable(Post("/40P01"));
  EXPECT_EQ(attempts_.load(), 3);
  EXPECT_EQ(Valor(), 0);
}

TEST(TransientSqlErrors, AreTheFailuresTheEventConsumerWaitsOut) {
  for (const char* state : {"55P03", "57014", "40001", "40P01", "08006", "57P01"}) {
    SqlError e(state, "x");
    EXPECT_TRUE(e.IsTransient()) << state;
    EXPECT_EQ(ToHttpError(e).status(), 503) << state;
  }
  for (const char* state : {"23505", "42P01", "XX000"}) {
    SqlError e(state, "x");
    EXPECT_FALSE(e.IsTransient()) << state;
    EXPECT_NE(ToHttpError(e).status(), 503) << state;
  }
}

}  // namespace
}  // namespace pharmasys::pg
