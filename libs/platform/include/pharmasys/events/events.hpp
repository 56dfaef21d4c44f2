#pragma once
// Domain events (EVENTS.md): the transactional outbox's relay and the idempotent consumer
// (inbox). A service writes an event in the same transaction as the change (Publish, in
// event.hpp); the relay publishes committed events with publisher confirms; a consumer runs
// each event's handler in a transaction that also records the event id, and acks only after
// that commit.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "pharmasys/amqp/amqp.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::events {

struct Event;  // event.hpp

struct RelayOptions {
  std::size_t batch = 200;
  std::chrono::milliseconds poll{200};  // how often other replicas' events are looked for
  std::chrono::milliseconds confirm_timeout{5000};
  std::chrono::milliseconds max_backoff{5000};
  int delivery_limit = 5;
  // Fault injection for tests: runs after the broker confirmed a batch and before its rows
  // are marked; throwing here is a relay dying at that instant (its transaction never commits).
  std::function<void()> after_publish_before_mark;
};

// Publishes committed outbox rows in order, marks them only after the broker's confirm,
// waits out broker outages (rows stay pending), and lets one replica at a time relay
// (an advisory lock; FOR UPDATE SKIP LOCKED guards the rows besides).
class OutboxRelay {
 public:
  OutboxRelay(pg::Pool& pool, amqp::Options broker, RelayOptions options = {});
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void Start();
  void Stop();
  void Wake();
  bool connected() const { return connected_; }
  std::int64_t published() const { return published_; }
  // Rows not yet confirmed by the broker.
  std::int64_t Pending();

 private:
  void Run();
  std::size_t RelayOnce(amqp::Channel& channel);

  pg::Pool& pool_;
  amqp::Options broker_;
  RelayOptions options_;
  std::atomic<bool> connected_{false};
  std::atomic<std::int64_t> published_{0};
  BackgroundLoop loop_;
};

// Dead letters of a service (`<servico>.eventos.dlq`).
struct DeadLetter {
  std::string message_id;
  std::string type;
  std::string body;
};
// Up to `limit` dead letters, left in place (read and returned to the queue).
std::vector<DeadLetter> PeekDeadLetters(const amqp::Options& broker, const std::string& servico, std::size_t limit);
// Moves every dead letter back to the service's queue, each confirmed before it leaves the
// DLQ; returns how many. For after the cause (a bug, a missing lot) has been fixed.
std::size_t RedriveDeadLetters(const amqp::Options& broker, const std::string& servico);

using Handler = std::function<void(pg::Transaction&, const Event&)>;

struct ConsumerOptions {
  std::uint16_t prefetch = 32;
  int delivery_limit = 5;
  std::chrono::milliseconds max_backoff{5000};
};

// The consumer loop of one service's queue `<servico>.eventos`.
class Consumer {
 public:
  Consumer(std::string servico, pg::Pool& pool, amqp::Options broker, ConsumerOptions options = {});
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  void On(const std::string& tipo, Handler handler);  // before Start()
  void Start();
  void Stop();
  bool connected() const { return connected_; }
  std::int64_t processed() const { return processed_; }
  std::int64_t duplicates() const { return duplicates_; }
  std::int64_t dead_lettered() const { return dead_lettered_; }

 private:
  enum class Outcome { Done, Duplicate, Poison, Requeue, Stopped };
  void Run();
  Outcome Process(const amqp::Delivery& delivery);

  std::string servico_;
  pg::Pool& pool_;
  amqp::Options broker_;
  ConsumerOptions options_;
  std::map<std::string, Handler> handlers_;
  std::atomic<bool> connected_{false};
  std::atomic<std::int64_t> processed_{0};
  std::atomic<std::int64_t> duplicates_{0};
  std::atomic<std::int64_t> dead_lettered_{0};
  BackgroundLoop loop_;
};

}  // namespace pharmasys::events
