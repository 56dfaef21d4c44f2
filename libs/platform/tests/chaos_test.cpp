// Faults of the real infrastructure started by ./pharmasys test: RabbitMQ and PostgreSQL are
// stopped and started again under running components (R1, R4). These tests run alone
// (RUN_SERIAL): they take the shared servers away.
#include <gtest/gtest.h>

#include <cstdlib>
#include <future>

#include "amqp_support.hpp"
#include "event_support.hpp"
#include "http_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/pg/migrations.hpp"

namespace pharmasys {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;

void Supervisor(const std::string& action) {
  const char* ctl = std::getenv("PHARMASYS_TEST_SUPERVISORCTL");
  ASSERT_NE(ctl, nullptr) << "PHARMASYS_TEST_SUPERVISORCTL is not set: run the tests with ./pharmasys test";
  std::string command = std::string(ctl) + " " + action + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

constexpr pg::Query kApply{"chaos_apply", "INSERT INTO efeito (codigo) VALUES ($1)"};
constexpr pg::Query kEffects{"chaos_effects", "SELECT count(*), count(DISTINCT codigo) FROM efeito"};
constexpr pg::Query kTouch{"chaos_touch", "INSERT INTO efeito (codigo) VALUES ($1)"};

// proves: R1 R4
TEST(Chaos, EventsWrittenWhileRabbitMqIsDownArriveOnceWhenItReturns) {
  testing::TestDatabase producer_db, consumer_db;
  testing::TestBroker broker;
  pg::Pool producer(pg::PoolOptions{.conninfo = producer_db.url()});
  pg::Pool consumer_pool(pg::PoolOptions{.conninfo = consumer_db.url()});
  for (auto* p : {&producer, &consumer_pool}) {
    pg::Migrate(*p, pg::PlatformMigrations(), "plataforma");
    pg::Migrate(*p, {{1, "V001__e.sql", "CREATE TABLE efeito (codigo text NOT NULL);"}});
  }
  broker.Channel();
  events::OutboxRelay relay(producer, broker.options(), {.max_backoff = 1000ms});
  events::Consumer consumer("cq", consumer_pool, broker.options(), {.max_backoff = 1000ms});
  consumer.On("lote.criado", [](pg::Transaction& tx, const events::Event& e) {
    tx.Exec(kApply, pg::Params(std::string(e.dados.at("codigo").as_string())));
  });
  relay.Start();
  consumer.Start();
  auto publish = [&](int i) {
    producer.Transact([&](pg::Transaction& tx) {
      events::Publish(tx, events::Event::New("lote.criado", "producao", testing::LoteCriado("L-" + std::to_string(i))));
    });
  };
  for (int i = 0; i < 5; ++i) publish(i);
  ASSERT_TRUE(Eventually([&] { return consumer_pool.Exec(kEffects).Single().Int(0) == 5; }, 20s));

  Supervisor("stop rabbitmq");
  for (int i = 5; i < 25; ++i) publish(i);  // the service keeps working; events wait
  EXPECT_TRUE(Eventually([&] { return !relay.connected(); }, 20s));
  EXPECT_EQ(relay.Pending(), 20);
  Supervisor("start rabbitmq");

  ASSERT_TRUE(Eventually([&] { return consumer_pool.Exec(kEffects).Single().Int(0) >= 25; }, 90s))
      << consumer_pool.Exec(kEffects).Single().Int(0);
  EXPECT_TRUE(Eventually([&] { return relay.Pending() == 0; }, 20s));
  std::this_thread::sleep_for(1s);
  auto effects = consumer_pool.Exec(kEffects).Single();
  EXPECT_EQ(effects.Int(0), 25);  // each exactly once
  EXPECT_EQ(effects.Int(1), 25);
  relay.Stop();
  consumer.Stop();
}

// proves: R1
TEST(Chaos, ThePoolRecoversAfterPostgresRestartsWithNoStuckRequest) {
  testing::TestDatabase db;
  pg::Pool pool(
      pg::PoolOptions{.conninfo = db.url(), .max_size = 4, .acquire_timeout = 2000ms, .statement_timeout = 5000ms});
  pg::Migrate(pool, {{1, "V001__e.sql", "CREATE TABLE efeito (codigo text NOT NULL);"}});
  std::atomic<bool> running{true};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::future<void>> workers;
  for (int t = 0; t < 4; ++t) {
    workers.push_back(std::async(std::launch::async, [&, t] {
      for (int i = 0; running; ++i) {
        try {
          pool.Transact(
              [&](pg::Transaction& tx) { tx.Exec(kTouch, pg::Params(std::to_string(t) + "-" + std::to_string(i))); });
          ++ok;
        } catch (const std::exception&) {
          ++failed;  // refused quickly while the server is away: never stuck
          std::this_thread::sleep_for(50ms);
        }
      }
    }));
  }
  ASSERT_TRUE(Eventually([&] { return ok > 20; }));
  Supervisor("stop postgres");
  ASSERT_TRUE(Eventually([&] { return failed > 0; }, 20s));
  Supervisor("start postgres");
  int before = ok;
  // Requests succeed again on fresh connections.
  EXPECT_TRUE(Eventually([&] { return ok > before + 50; }, 60s)) << "ok=" << ok << " failed=" << failed;
  running = false;
  for (auto& w : workers) {
    ASSERT_EQ(w.wait_for(10s), std::future_status::ready);  // nobody hangs
  }
  EXPECT_LE(pool.open_connections(), 4u);
}

}  // namespace
}  // namespace pharmasys
