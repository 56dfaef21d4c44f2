#pragma once
// RabbitMQ over rabbitmq-c. A Channel is one connection with one channel, used by exactly
// one thread (rabbitmq-c state is not thread-safe, and heartbeats are only answered inside
// library calls). After any error the Channel is unusable: destroy it and make a new one,
// which declares the topology again.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pharmasys::amqp {

class BrokerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char* kExchange = "pharmasys.eventos";
inline constexpr const char* kDeadLetterExchange = "pharmasys.dlx";

// Who consumes what (EVENTS.md, Catalogue). Every service declares all of it, so an event is
// never unroutable because its consumer has not started yet.
struct QueueSpec {
  std::string servico;  // queue "<servico>.eventos", dead letters in "<servico>.eventos.dlq"
  std::vector<std::string> routing_keys;
  std::string queue() const { return servico + ".eventos"; }
  std::string dead_letter_queue() const { return servico + ".eventos.dlq"; }
};
const std::vector<QueueSpec>& Topology();

struct Options {
  // amqp://user:password@host:port/vhost, or amqps://... (TLS, port 5671 by default): the
  // broker's certificate must chain to `ca_file` (the system's trust store when empty) and
  // name the URL's host (a DNS name or an IP address SAN); a failure is a BrokerError saying
  // which. cert_file/key_file (PEM) present a client certificate, when the broker asks.
  std::string url;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::chrono::seconds heartbeat{30};
  std::chrono::milliseconds timeout{5000};  // connect and each confirm wait
  std::string connection_name = "pharmasys";
  // Prepended to every exchange and queue name. Empty in production; tests use a unique one
  // so they can share a broker without seeing each other's messages.
  std::string prefix;
};

struct Message {
  std::string routing_key;
  std::string body;
  std::string message_id;
  std::string type;
  std::string traceparent;
  std::int64_t timestamp = 0;  // seconds since the epoch
};

struct Delivery {
  std::uint64_t tag = 0;
  std::string routing_key;
  std::string body;
  std::string message_id;
  std::string type;
  std::string traceparent;
  bool redelivered = false;
};

class Channel {
 public:
  explicit Channel(const Options& options);  // connects, logs in, opens channel 1
  ~Channel();
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Exchange, dead-letter exchange, each quorum queue with its DLQ and bindings.
  void DeclareTopology(const std::vector<QueueSpec>& topology, int delivery_limit);

  // Persistent, mandatory messages to kExchange, each confirmed by the broker. Returns
  // normally only when every one was acked; a nack, a return (unroutable) or the timeout
  // throws and leaves the channel unusable.
  // `queue` set: straight to that queue (default exchange), e.g. to re-drive dead letters.
  void PublishConfirmed(const std::vector<Message>& messages, std::chrono::milliseconds timeout,
                        const std::string& queue = {});

  void Consume(const std::string& queue, std::uint16_t prefetch);
  // The next delivery, or nullopt when none arrived within `wait` (heartbeats are answered
  // meanwhile). Throws BrokerError when the connection or channel is gone.
  std::optional<Delivery> Next(std::chrono::milliseconds wait);
  void Ack(std::uint64_t tag);
  void Reject(std::uint64_t tag, bool requeue);

  // Waits for frames for `wait`, answering heartbeats (for idle publishers).
  void Idle(std::chrono::milliseconds wait);

  // Administration and tests.
  std::uint32_t MessageCount(const std::string& queue);  // passive declare
  void Purge(const std::string& queue);
  // basic.get; with auto_ack false the caller acks (Ack(tag)) once it is done with it.
  std::optional<Delivery> Get(const std::string& queue, bool auto_ack = true);
  void PublishRaw(const std::string& exchange, const Message& message);  // no confirm (tests, re-drive)
  void DeleteTopology(const std::vector<QueueSpec>& topology);           // tests
  // The broker-side name of an exchange or queue (with the prefix).
  std::string Name(const std::string& name) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pharmasys::amqp
