#pragma once
// Domain events (EVENTS.md): the envelope, the transactional outbox with its relay, and the
// idempotent consumer (inbox). A service writes an event in the same transaction as the
// change (Publish); the relay publishes committed events with publisher confirms; a consumer
// runs each event's handler in a transaction that also records the event id, and acks only
// after that commit.
#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "pharmasys/amqp/amqp.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::events {

struct Usuario {
  std::string sub;
  std::string username;
};

struct Event {
  std::string id;  // UUIDv7
  std::string tipo;
  int versao = 1;
  std::string ocorrido_em;  // RFC 3339 UTC with milliseconds
  std::string origem;       // the publishing service
  std::string correlacao_id;
  Usuario usuario;
  boost::json::object dados;

  // A new event with a fresh id, the current instant, and the correlation id of the request
  // being served (its trace id), if any.
  static Event New(std::string tipo, std::string origem, boost::json::object dados, Usuario usuario = {});
  boost::json::object ToJson() const;
  // Throws PoisonMessage when the envelope is malformed.
  static Event FromJson(const boost::json::value& envelope);
};

// A message that can never be processed (bad JSON, wrong shape, a handler's refusal): it is
// rejected without requeue and ends in the service's DLQ.
class PoisonMessage : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by a handler that cannot apply an event yet and wants it delivered again later
// (bounded by the queue's x-delivery-limit, after which it goes to the DLQ).
class RetryLater : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What a consumer makes of a message body: the event it carries, once the body is JSON, the
// envelope is well formed and, for a type with a docs/events schema, the event keeps to it.
// Throws PoisonMessage saying why not (the message then goes to the DLQ).
Event DecodeMessage(std::string_view body);

// Who an event's effect is audited as: the user who caused it upstream, or the publishing
// service itself; the request id is the event's correlation id.
audit::Actor ActorOf(const Event& event);

// Writes `event` into the outbox in the caller's transaction; the relay is woken after commit.
// An event that breaks its docs/events schema (or has none) is a bug: std::logic_error, and
// the transaction rolls back.
void Publish(pg::Transaction& tx, const Event& event);
// The same for several events, in one statement, published in this order.
void PublishAll(pg::Transaction& tx, const std::vector<Event>& events);
// The same for events whose envelopes the caller has already checked against their schema
// (the audit sealer checks each record to keep the ones that cannot be published apart).
void PublishAllChecked(pg::Transaction& tx, const std::vector<Event>& events);

// The JSON Schema of an event type (docs/events/<tipo>.v1.schema.json, embedded), or nullptr.
const boost::json::value* SchemaOf(const std::string& tipo);
// Violations of the event's schema, as "path: message" lines (empty when valid).
std::vector<std::string> SchemaViolations(const boost::json::value& envelope);

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
