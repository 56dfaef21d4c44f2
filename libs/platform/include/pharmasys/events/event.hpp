#pragma once
// The event envelope (EVENTS.md): what a service writes into its outbox in the same transaction
// as the change (Publish), and what a consumer receives. The outbox relay and the consumer loop
// are in events.hpp; the typed `dados` of each event are in contracts.hpp.
#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pharmasys/audit/actor.hpp"
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

}  // namespace pharmasys::events
