#include "pharmasys/events/events.hpp"

#include "pharmasys/events/contracts.hpp"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>

#include "amqp_support.hpp"
#include "event_support.hpp"
#include "http_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/pg/migrations.hpp"

namespace pharmasys::events {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::TestBroker;
using testing::TestDatabase;

constexpr pg::Query kInsertLote{"lote_insert", "INSERT INTO lote (codigo) VALUES ($1)"};
constexpr pg::Query kCountLotes{"lote_count", "SELECT count(*) FROM lote"};
constexpr pg::Query kApply{"amostra_apply", "INSERT INTO amostra (lote_codigo) VALUES ($1)"};
constexpr pg::Query kCountAmostras{"amostra_count", "SELECT count(*) FROM amostra"};
constexpr pg::Query kOutboxState{"outbox_state", "SELECT count(*), count(publicado_em) FROM outbox"};

// A producer service (lots) and a consumer service ("cq": one sample per lote.criado), each
// with its own database, joined by the real broker.
class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    producer_pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = producer_db_.url(), .max_size = 8});
    consumer_pool_ = std::make_unique<pg::Pool>(pg::PoolOptions{.conninfo = consumer_db_.url(), .max_size = 8});
    pg::Migrate(*producer_pool_, pg::PlatformMigrations(), "plataforma");
    pg::Migrate(*producer_pool_, {{1, "V001__lote.sql", "CREATE TABLE lote (codigo text PRIMARY KEY);"}});
    pg::Migrate(*consumer_pool_, pg::PlatformMigrations(), "plataforma");
    pg::Migrate(*consumer_pool_, {{1, "V001__amostra.sql", "CREATE TABLE amostra (lote_codigo text NOT NULL);"}});
    broker_.Channel(DeliveryLimit());  // topology exists before anything is published
  }
  virtual int DeliveryLimit() const { return 5; }

  std::unique_ptr<Consumer> StartConsumer(ConsumerOptions options = {}) {
    auto consumer = std::make_unique<Consumer>("cq", *consumer_pool_, broker_.options(), options);
    consumer->On("lote.criado", [](pg::Transaction& tx, const Event& e) {
      tx.Exec(kApply, pg::Params(std::string(e.dados.at("codigo").as_string())));
    });
    consumer->Start();
    return consumer;
  }

  void CreateLote(const std::string& codigo) {
    producer_pool_->Transact([&](pg::Transaction& tx) {
      tx.Exec(kInsertLote, pg::Params(codigo));
      Publish(tx, Event::New("lote.criado", "producao", testing::LoteCriado(codigo)));
    });
  }

  std::int64_t Amostras() { return consumer_pool_->Exec(kCountAmostras).Single().Int(0); }

  TestDatabase producer_db_;
  TestDatabase consumer_db_;
  TestBroker broker_;
  std::unique_ptr<pg::Pool> producer_pool_;
  std::unique_ptr<pg::Pool> consumer_pool_;
};

// proves: R1
TEST_F(EventsTest, ACommittedEventHasExactlyOneEffect) {
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  auto consumer = StartConsumer();
  for (int i = 0; i < 20; ++i) CreateLote("L-" + std::to_string(i));
  ASSERT_TRUE(Eventually([&] { return Amostras() == 20; }, 15s)) << Amostras();
  auto state = producer_pool_->Exec(kOutboxState).Single();
  EXPECT_EQ(state.Int(0), 20);
  EXPECT_EQ(state.Int(1), 20);  // every row marked after its confirm
  EXPECT_TRUE(Eventually([&] { return relay.Pending() == 0; }));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(Amostras(), 20);
  EXPECT_EQ(consumer->processed(), 20);
}

TEST_F(EventsTest, TheEnvelopeIsTheOneOfTheContract) {
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  CreateLote("L-env");
  auto channel = broker_.Channel();
  std::optional<amqp::Delivery> got;
  ASSERT_TRUE(Eventually([&] { return (got = channel->Get(channel->Name("cq.eventos"))).has_value(); }));
  auto envelope = json::Parse(got->body);
  auto e = Event::FromJson(envelope);
  EXPECT_EQ(e.tipo, "lote.criado");
  EXPECT_EQ(e.versao, 1);
  EXPECT_EQ(e.origem, "producao");
  EXPECT_EQ(e.dados.at("codigo").as_string(), "L-env");
  EXPECT_EQ(e.ocorrido_em.size(), 24u);
  EXPECT_EQ(got->message_id, e.id);  // AMQP message_id = envelope id
  EXPECT_EQ(got->type, "lote.criado");
  EXPECT_EQ(got->routing_key, "lote.criado");
}

// An event published as already checked (the audit sealer's) is written as the same bytes as
// one checked here: its envelope, serialized.
TEST_F(EventsTest, CheckedAndUncheckedEventsAreWrittenAsTheSameEnvelope) {
  constexpr pg::Query kEnvelopes{"outbox_envelopes", "SELECT envelope FROM outbox ORDER BY sequencia"};
  const auto a = Event::New("lote.criado", "producao", testing::LoteCriado("L-\"quoted\"-á"), {"sub-1", "user \\ 1"});
  auto dados = testing::LoteCriado("L-2");
  dados["lista"] = boost::json::array{1, "dois\n", nullptr, boost::json::object{}, 2.5};
  const auto b = Event::New("lote.criado", "producao", dados, {"sub-1", "user \\ 1"});
  const auto c = Event::New("lote.criado", "producao", boost::json::object{});
  auto d = a;
  d.id = ids::NewUuidV7();
  producer_pool_->Transact([&](pg::Transaction& tx) {
    PublishAll(tx, {a});
    PublishAllChecked(tx, {b});
    PublishAllChecked(tx, {c, d});
  });
  auto rows = producer_pool_->Exec(kEnvelopes);
  ASSERT_EQ(rows.size(), 4);
  EXPECT_EQ(rows[0].String(0), json::Serialize(a.ToJson()));
  EXPECT_EQ(rows[1].String(0), json::Serialize(b.ToJson()));
  EXPECT_EQ(rows[2].String(0), json::Serialize(c.ToJson()));
  EXPECT_EQ(rows[3].String(0), json::Serialize(d.ToJson()));
}

TEST_F(EventsTest, ARolledBackTransactionPublishesNothing) {
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  auto consumer = StartConsumer();
  EXPECT_THROW(producer_pool_->Transact([&](pg::Transaction& tx) {
    tx.Exec(kInsertLote, pg::Params("L-rollback"));
    Publish(tx, Event::New("lote.criado", "producao", testing::LoteCriado("L-rollback")));
    throw Conflict("changed my mind");
  }),
               Conflict);
  CreateLote("L-after");  // a later event does arrive, so the consumer was listening
  ASSERT_TRUE(Eventually([&] { return Amostras() == 1; }));
  EXPECT_EQ(producer_pool_->Exec(kOutboxState).Single().Int(0), 1);
  EXPECT_EQ(consumer_pool_->Exec(pg::Query{"which", "SELECT lote_codigo FROM amostra"}).Single().String(0), "L-after");
}

// proves: R4
TEST_F(EventsTest, EventsWaitInTheOutboxWhileTheBrokerIsUnreachable) {
  amqp::Options unreachable = broker_.options();
  unreachable.url = "amqp://guest:guest@127.0.0.1:" + std::to_string(testing::FreePort()) + "/";
  unreachable.timeout = 500ms;
  {
    OutboxRelay relay(*producer_pool_, unreachable);
    relay.Start();
    for (int i = 0; i < 5; ++i) CreateLote("L-w" + std::to_string(i));
    std::this_thread::sleep_for(500ms);
    EXPECT_FALSE(relay.connected());
    EXPECT_EQ(relay.Pending(), 5);
  }
  auto consumer = StartConsumer();
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  ASSERT_TRUE(Eventually([&] { return Amostras() == 5; }, 15s));
  EXPECT_EQ(relay.Pending(), 0);
}

// proves: R1
TEST_F(EventsTest, ARelayDyingBetweenPublishAndMarkCausesADuplicateWithNoSecondEffect) {
  auto consumer = StartConsumer();
  std::atomic<int> crashes{0};
  {
    OutboxRelay dying(*producer_pool_, broker_.options(), RelayOptions{.after_publish_before_mark = [&] {
      ++crashes;
      throw std::runtime_error("relay killed after the confirm, before the mark");
    }});
    dying.Start();
    CreateLote("L-crash");
    ASSERT_TRUE(Eventually([&] { return crashes > 0; }));
  }
  // The row is still pending although the broker has the message; the next relay sends it again.
  EXPECT_EQ(producer_pool_->Exec(kOutboxState).Single().Int(1), 0);
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  ASSERT_TRUE(Eventually([&] { return relay.Pending() == 0 && consumer->duplicates() >= 1; }));
  EXPECT_EQ(Amostras(), 1);
}

// proves: R1
TEST_F(EventsTest, ARedeliveredEventHasNoSecondEffect) {
  auto consumer = StartConsumer();
  auto channel = broker_.Channel();
  Event e = Event::New("lote.criado", "producao", testing::LoteCriado("L-dup"));
  amqp::Message m{
      .routing_key = "lote.criado", .body = json::Serialize(e.ToJson()), .message_id = e.id, .type = e.tipo};
  // As if the relay died after the broker's confirm but before marking the row: published again.
  channel->PublishConfirmed({m}, 5s);
  channel->PublishConfirmed({m}, 5s);
  channel->PublishConfirmed({m}, 5s);
  ASSERT_TRUE(Eventually([&] { return consumer->processed() + consumer->duplicates() == 3; }));
  EXPECT_EQ(Amostras(), 1);
  EXPECT_EQ(consumer->duplicates(), 2);
}

// proves: R3
TEST_F(EventsTest, APoisonMessageGoesToTheDeadLetterQueueAndTheNextIsConsumed) {
  auto consumer = StartConsumer();
  auto channel = broker_.Channel();
  channel->PublishConfirmed(
      {{.routing_key = "lote.criado", .body = "{not json", .message_id = "x", .type = "lote.criado"},
       {.routing_key = "lote.criado", .body = R"({"id":"nope"})", .message_id = "y", .type = "lote.criado"}},
      5s);
  CreateLote("L-next");
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  ASSERT_TRUE(Eventually([&] { return Amostras() == 1; }));
  ASSERT_TRUE(Eventually([&] { return channel->MessageCount(channel->Name("cq.eventos.dlq")) == 2; }));
  EXPECT_EQ(consumer->dead_lettered(), 2);
  // The dead letter keeps its body for inspection and re-drive.
  auto dead = channel->Get(channel->Name("cq.eventos.dlq"));
  ASSERT_TRUE(dead);
  EXPECT_EQ(dead->body, "{not json");
}

TEST_F(EventsTest, AnEventBreakingItsSchemaIsNeverPublished) {
  EXPECT_THROW(producer_pool_->Transact([&](pg::Transaction& tx) {
    tx.Exec(kInsertLote, pg::Params("L-bad"));
    Publish(tx, Event::New("lote.criado", "producao", {{"codigo", "L-bad"}}));  // no lote_id, quantidade, ...
  }),
               std::logic_error);
  EXPECT_THROW(producer_pool_->Transact([&](pg::Transaction& tx) {
    Publish(tx, Event::New("lote.inventado", "producao", testing::LoteCriado("L-x")));  // no such event type
  }),
               std::logic_error);
  EXPECT_EQ(producer_pool_->Exec(kOutboxState).Single().Int(0), 0);
  EXPECT_EQ(producer_pool_->Exec(kCountLotes).Single().Int(0), 0);  // the change rolled back with it
}

// proves: R3
TEST_F(EventsTest, AReceivedEventBreakingItsSchemaIsDeadLettered) {
  auto consumer = StartConsumer();
  auto channel = broker_.Channel();
  Event bad = Event::New("lote.criado", "producao", testing::LoteCriado("L-neg"));
  bad.dados["quantidade"] = -5;  // well-formed envelope, invalid payload
  channel->PublishConfirmed(
      {{.routing_key = "lote.criado", .body = json::Serialize(bad.ToJson()), .message_id = bad.id, .type = bad.tipo}},
      5s);
  ASSERT_TRUE(Eventually([&] { return channel->MessageCount(channel->Name("cq.eventos.dlq")) == 1; }));
  EXPECT_EQ(Amostras(), 0);
  EXPECT_EQ(consumer->dead_lettered(), 1);
}

// proves: R3
TEST_F(EventsTest, AnEventItsContractRefusesIsDeadLetteredLikeAMalformedOne) {
  Consumer consumer("cq", *consumer_pool_, broker_.options());
  consumer.On("lote.criado", [](pg::Transaction& tx, const Event& e) {
    tx.Exec(kApply, pg::Params(Read<events::LoteCriado>(e).codigo));
  });
  consumer.Start();
  auto channel = broker_.Channel();
  // The schema lets any positive number through; the contract wants an exact quantity.
  Event bad = Event::New("lote.criado", "producao", testing::LoteCriado("L-inexato"));
  bad.dados["quantidade"] = 1.2345;
  ASSERT_TRUE(SchemaViolations(bad.ToJson()).empty());
  channel->PublishConfirmed(
      {{.routing_key = "lote.criado", .body = json::Serialize(bad.ToJson()), .message_id = bad.id, .type = bad.tipo}},
      5s);
  CreateLote("L-exato");
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  ASSERT_TRUE(Eventually([&] { return consumer.processed() == 1 && consumer.dead_lettered() == 1; }));
  EXPECT_EQ(Amostras(), 1);
  auto dead = channel->Get(channel->Name("cq.eventos.dlq"));
  ASSERT_TRUE(dead);
  EXPECT_NE(dead->body.find("L-inexato"), std::string::npos);
}

TEST_F(EventsTest, DeadLettersCanBeInspectedAndRedrivenOnceTheCauseIsFixed) {
  std::atomic<bool> fixed{false};
  Consumer consumer("cq", *consumer_pool_, broker_.options());
  consumer.On("lote.criado", [&](pg::Transaction& tx, const Event& e) {
    if (!fixed) throw std::runtime_error("a bug in the handler");
    tx.Exec(kApply, pg::Params(std::string(e.dados.at("codigo").as_string())));
  });
  consumer.Start();
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  CreateLote("L-dlq");
  auto channel = broker_.Channel();
  ASSERT_TRUE(Eventually([&] { return channel->MessageCount(channel->Name("cq.eventos.dlq")) == 1; }));
  auto peeked = PeekDeadLetters(broker_.options(), "cq", 10);
  ASSERT_EQ(peeked.size(), 1u);
  EXPECT_EQ(peeked[0].type, "lote.criado");
  EXPECT_NE(peeked[0].body.find("L-dlq"), std::string::npos);
  ASSERT_TRUE(
      Eventually([&] { return channel->MessageCount(channel->Name("cq.eventos.dlq")) == 1; }));  // peek keeps it
  fixed = true;  // the bug is fixed and deployed
  EXPECT_EQ(RedriveDeadLetters(broker_.options(), "cq"), 1u);
  ASSERT_TRUE(Eventually([&] { return Amostras() == 1; }));
  EXPECT_EQ(channel->MessageCount(channel->Name("cq.eventos.dlq")), 0u);
}

// proves: R3
TEST_F(EventsTest, AHandlerBugDeadLettersTheEventWithoutEffect) {
  Consumer consumer("cq", *consumer_pool_, broker_.options());
  consumer.On("lote.criado", [](pg::Transaction& tx, const Event& e) {
    tx.Exec(kApply, pg::Params(std::string(e.dados.at("codigo").as_string())));
    if (e.dados.at("codigo").as_string() == "L-bug") throw std::runtime_error("a bug");
  });
  consumer.Start();
  OutboxRelay relay(*producer_pool_, broker_.options());
  relay.Start();
  CreateLote("L-bug");
  CreateLote("L-fine");
  ASSERT_TRUE(Eventually([&] { return consumer.processed() == 1 && consumer.dead_lettered() == 1; }));
  EXPECT_EQ(Amostras(), 1);  // the failed handler's insert was rolled back
}

class EventsWithLowDeliveryLimit : public EventsTest {
 protected:
  int DeliveryLimit() const override { return 2; }
};

// proves: R3
TEST_F(EventsWithLowDeliveryLimit, RetriesAreBoundedByTheDeliveryLimit) {
  auto channel = broker_.Channel(2);
  Consumer consumer("cq", *consumer_pool_, broker_.options(), ConsumerOptions{.delivery_limit = 2});
  std::atomic<int> attempts{0};
  consumer.On("lote.criado", [&](pg::Transaction&, const Event&) {
    ++attempts;
    throw RetryLater("lot not known yet");
  });
  consumer.Start();
  OutboxRelay relay(*producer_pool_, broker_.options(), RelayOptions{.delivery_limit = 2});
  relay.Start();
  CreateLote("L-never");
  ASSERT_TRUE(Eventually([&] { return channel->MessageCount(channel->Name("cq.eventos.dlq")) == 1; }, 15s));
  EXPECT_GE(attempts.load(), 2);
  EXPECT_LE(attempts.load(), 4);
}

// proves: R1
TEST_F(EventsTest, TwoRelaysPublishEachEventOnce) {
  OutboxRelay a(*producer_pool_, broker_.options());
  OutboxRelay b(*producer_pool_, broker_.options());
  a.Start();
  b.Start();
  auto channel = broker_.Channel();
  for (int i = 0; i < 50; ++i) CreateLote("L-r" + std::to_string(i));
  ASSERT_TRUE(Eventually([&] { return a.Pending() == 0; }, 15s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(a.published() + b.published(), 50);
  EXPECT_EQ(channel->MessageCount(channel->Name("cq.eventos")), 50u);
}

}  // namespace
}  // namespace pharmasys::events
