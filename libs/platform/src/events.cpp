#include "pharmasys/events/events.hpp"

#include <boost/json/value.hpp>

#include <ctime>
#include <set>
#include <span>

#include "pharmasys/audit/actor.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/embedded.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/json/schema.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/metrics/metrics.hpp"

namespace pharmasys::events {
namespace {

// The envelopes travel as one JSON array ($3): each is JSON already, so nothing is escaped on
// the way, and a json (not jsonb) element keeps its text byte for byte.
constexpr pg::Query kInsertOutbox{
    "outbox_insert",
    "INSERT INTO outbox (id, tipo, envelope, traceparent)"
    " SELECT t.id::uuid, t.tipo, j.envelope::text, NULLIF(t.tp, '')"
    " FROM unnest($1::text[], $2::text[], $4::text[]) WITH ORDINALITY AS t(id, tipo, tp, n)"
    " JOIN json_array_elements($3::json) WITH ORDINALITY AS j(envelope, n) USING (n)"
    " ORDER BY n"};
// The same for one event, the usual case: no arrays to build and take apart.
constexpr pg::Query kInsertOutboxOne{"outbox_insert_one",
                                     "INSERT INTO outbox (id, tipo, envelope, traceparent)"
                                     " VALUES ($1::uuid, $2, $3, NULLIF($4, ''))"};
// One relay at a time keeps the publication order total; SKIP LOCKED guards the rows anyway.
constexpr pg::Query kRelayLock{"outbox_relay_lock", "SELECT pg_try_advisory_xact_lock(7206130926)"};
// The relay's COMMIT only marks rows already published: it need not wait for the disk. A mark
// lost in a crash of PostgreSQL publishes those events again, which consumers absorb (their
// inbox), exactly as after a crash of the relay between the broker's confirm and its COMMIT.
constexpr pg::Query kRelayAsyncCommit{"outbox_relay_async_commit",
                                      "SELECT set_config('synchronous_commit', 'off', true)"};
constexpr pg::Query kPending{"outbox_pending",
                             "SELECT sequencia, id, tipo, envelope, coalesce(traceparent, ''),"
                             " extract(epoch from criado_em)::bigint"
                             " FROM outbox WHERE publicado_em IS NULL ORDER BY sequencia LIMIT $1"
                             " FOR UPDATE SKIP LOCKED"};
constexpr pg::Query kMarkPublished{"outbox_mark",
                                   "UPDATE outbox SET publicado_em = now() WHERE sequencia = ANY($1::bigint[])"};
constexpr pg::Query kCountPending{"outbox_count", "SELECT count(*) FROM outbox WHERE publicado_em IS NULL"};
constexpr pg::Query kPrune{"outbox_prune", "DELETE FROM outbox WHERE publicado_em < now() - interval '7 days'"};
constexpr pg::Query kInboxRecord{
    "inbox_record", "INSERT INTO eventos_processados (id, tipo) VALUES ($1::uuid, $2) ON CONFLICT DO NOTHING"};

// Relays of this process, woken when a transaction that published an event commits.
WakeList relays;
void WakeRelays() {
  relays.WakeAll();
}

}  // namespace

Event Event::New(std::string tipo, std::string origem, boost::json::object dados, Usuario usuario) {
  Event e;
  e.id = ids::NewUuidV7();
  e.tipo = std::move(tipo);
  e.ocorrido_em = clock::NowRfc3339();
  e.origem = std::move(origem);
  e.correlacao_id = log::CurrentContext().trace_id;
  e.usuario = std::move(usuario);
  e.dados = std::move(dados);
  return e;
}

boost::json::object Event::ToJson() const {
  return boost::json::object{{"id", id},
                             {"tipo", tipo},
                             {"versao", versao},
                             {"ocorrido_em", ocorrido_em},
                             {"origem", origem},
                             {"correlacao_id", correlacao_id},
                             {"usuario", boost::json::object{{"sub", usuario.sub}, {"username", usuario.username}}},
                             {"dados", dados}};
}

Event Event::FromJson(const boost::json::value& envelope) {
  json::Fields f(envelope);
  Event e;
  e.id = f.Uuid("id");
  e.tipo = f.String("tipo", {.min_length = 3, .max_length = 100});
  e.versao = static_cast<int>(f.Integer("versao", 1, 1000));
  e.ocorrido_em = f.String("ocorrido_em", {.min_length = 20, .max_length = 40});
  e.origem = f.String("origem", {.min_length = 1, .max_length = 40});
  e.correlacao_id = f.OptionalString("correlacao_id", {.min_length = 0, .max_length = 200}).value_or("");
  if (const auto* u = f.Raw("usuario"); u != nullptr && !u->is_null()) {
    auto usuario = f.Object("usuario");
    e.usuario.sub = usuario.OptionalString("sub", {.min_length = 0}).value_or("");
    e.usuario.username = usuario.OptionalString("username", {.min_length = 0}).value_or("");
  }
  const auto* dados = f.Raw("dados");
  if (dados == nullptr || !dados->is_object()) f.Fail("dados", "deve ser um objeto");
  if (!f.ok()) {
    try {
      f.Finish();
    } catch (const ValidationError& error) {
      std::string what = "malformed event envelope:";
      for (const auto& fe : error.errors()) what += " " + fe.campo + " " + fe.mensagem + ";";
      throw PoisonMessage(what);
    }
  }
  e.dados = dados->get_object();
  return e;
}

const boost::json::value* SchemaOf(const std::string& tipo) {
  static const std::map<std::string, boost::json::value> schemas = [] {
    std::map<std::string, boost::json::value> out;
    for (const auto& file : embedded::EventSchemaFiles()) {
      std::string name = file.name;  // "<tipo>.v1.schema.json"
      out.emplace(name.substr(0, name.find(".v1.schema.json")), json::Parse(file.content));
    }
    return out;
  }();
  auto it = schemas.find(tipo);
  return it == schemas.end() ? nullptr : &it->second;
}

std::vector<std::string> SchemaViolations(const boost::json::value& envelope) {
  const auto* tipo = envelope.is_object() ? envelope.get_object().if_contains("tipo") : nullptr;
  const auto* schema = tipo != nullptr && tipo->is_string() ? SchemaOf(std::string(tipo->get_string())) : nullptr;
  if (schema == nullptr) return {"/tipo: no schema in docs/events for this event type"};
  std::vector<std::string> out;
  for (const auto& e : json::Validate(*schema, envelope)) out.push_back(e.path + ": " + e.message);
  return out;
}

Event DecodeMessage(std::string_view body) {
  boost::json::value envelope;
  try {
    envelope = json::Parse(body);
  } catch (const Error& e) {
    throw PoisonMessage(e.what());
  }
  Event event = Event::FromJson(envelope);
  if (SchemaOf(event.tipo) != nullptr) {
    if (auto violations = SchemaViolations(envelope); !violations.empty()) {
      throw PoisonMessage("breaks the schema of " + event.tipo + ": " + violations.front());
    }
  }
  return event;
}

namespace {

// json::Serialize(event.ToJson()), byte for byte, without copying `dados` into an envelope:
// the envelope's other members, then `dados`, its last member, written in place.
std::string SerializedEnvelope(const Event& event) {
  Event header;
  header.id = event.id;
  header.tipo = event.tipo;
  header.versao = event.versao;
  header.ocorrido_em = event.ocorrido_em;
  header.origem = event.origem;
  header.correlacao_id = event.correlacao_id;
  header.usuario = event.usuario;
  std::string out = json::Serialize(header.ToJson());  // ...,"dados":{}}
  constexpr std::string_view kEmpty = "{}}";
  if (!out.ends_with(kEmpty)) throw std::logic_error("unexpected envelope layout");
  out.resize(out.size() - kEmpty.size());
  out += json::Serialize(event.dados);
  out += '}';
  return out;
}

void Insert(pg::Transaction& tx, std::span<const Event> batch, bool check) {
  if (batch.empty()) return;
  const auto& context = log::CurrentContext();
  std::string traceparent = context.trace_id.empty() ? "" : "00-" + context.trace_id + "-" + context.span_id + "-01";
  std::vector<std::string> ids, tipos, envelopes, traceparents;
  for (const auto& event : batch) {
    if (check) {
      // A value, not an object: passed to both without being copied again.
      const boost::json::value envelope = event.ToJson();
      if (auto violations = SchemaViolations(envelope); !violations.empty()) {
        throw std::logic_error("event " + event.tipo + " breaks its schema: " + violations.front());
      }
      envelopes.push_back(json::Serialize(envelope));
    } else {
      envelopes.push_back(SerializedEnvelope(event));
    }
    ids.push_back(event.id);
    tipos.push_back(event.tipo);
    traceparents.push_back(traceparent);
  }
  // One statement for the whole batch, rows in the batch's order, written with the
  // transaction's next statement (or before its COMMIT).
  if (batch.size() == 1) {
    tx.Defer(kInsertOutboxOne,
             pg::Params(std::move(ids[0]), std::move(tipos[0]), std::move(envelopes[0]), std::move(traceparents[0])));
  } else {
    std::size_t size = 2;
    for (const auto& envelope : envelopes) size += envelope.size() + 1;
    std::string array;
    array.reserve(size);
    array += '[';
    for (std::size_t i = 0; i < envelopes.size(); ++i) {
      if (i > 0) array += ',';
      array += envelopes[i];
    }
    array += ']';
    tx.Defer(kInsertOutbox,
             pg::Params(pg::TextArray(ids), pg::TextArray(tipos), std::move(array), pg::TextArray(traceparents)));
  }
  tx.AfterCommit(&WakeRelays);
}

}  // namespace

void Publish(pg::Transaction& tx, const Event& event) {
  Insert(tx, std::span<const Event>(&event, 1), true);  // the event itself, not a copy in a vector
}

void PublishAll(pg::Transaction& tx, const std::vector<Event>& batch) {
  Insert(tx, batch, true);
}

void PublishAllChecked(pg::Transaction& tx, const std::vector<Event>& batch) {
  Insert(tx, batch, false);
}

// ---- relay -------------------------------------------------------------------------------

OutboxRelay::OutboxRelay(pg::Pool& pool, amqp::Options broker, RelayOptions options)
    : pool_(pool), broker_(std::move(broker)), options_(options) {}

OutboxRelay::~OutboxRelay() {
  Stop();
}

void OutboxRelay::Start() {
  relays.Add(&loop_);
  loop_.Start([this] { Run(); });
}

void OutboxRelay::Stop() {
  relays.Remove(&loop_);
  loop_.Stop();
}

void OutboxRelay::Wake() {
  loop_.Wake();
}

std::int64_t OutboxRelay::Pending() {
  return pool_.Exec(kCountPending).Single().Int(0);
}

std::size_t OutboxRelay::RelayOnce(amqp::Channel& channel) {
  return pool_.Transact([&](pg::Transaction& tx) -> std::size_t {
    if (!tx.ExecAll({{kRelayLock}, {kRelayAsyncCommit}})[0].Single().Bool(0)) return 0;  // another replica relays
    auto rows = tx.Exec(kPending, pg::Params(static_cast<std::int64_t>(options_.batch)));
    if (rows.empty()) return 0;
    std::vector<amqp::Message> messages;
    std::string sequences = "{";
    for (int i = 0; i < rows.size(); ++i) {
      auto row = rows[i];
      messages.push_back({.routing_key = row.String(2),
                          .body = row.String(3),
                          .message_id = row.String(1),
                          .type = row.String(2),
                          .traceparent = row.String(4),
                          .timestamp = row.Int(5)});
      sequences += (i > 0 ? "," : "") + row.String(0);
    }
    sequences += "}";
    channel.PublishConfirmed(messages, options_.confirm_timeout);
    if (options_.after_publish_before_mark) options_.after_publish_before_mark();
    // Marked only now, after every confirm, and sent with the COMMIT; a crash before COMMIT
    // republishes them and the consumers' inbox absorbs the duplicates.
    tx.Defer(kMarkPublished, pg::Params(sequences));
    return messages.size();
  });
}

void OutboxRelay::Run() {
  auto& registry = metrics::Registry::Global();
  std::unique_ptr<amqp::Channel> channel;
  int failures = 0;
  auto last_prune = std::chrono::steady_clock::now();
  while (loop_.running()) {
    try {
      if (!channel) {
        channel = std::make_unique<amqp::Channel>(broker_);
        channel->DeclareTopology(amqp::Topology(), options_.delivery_limit);
        connected_ = true;
        if (failures > 0) log::Info("outbox relay connected to the broker again");
        failures = 0;
      }
      std::size_t n = RelayOnce(*channel);
      if (n > 0) {
        published_ += static_cast<std::int64_t>(n);
        registry.Increment("events_published_total", {}, static_cast<double>(n));
        // A full batch: there may be more. A partial one took all there was: an event committed
        // since has woken this loop, and the wait below returns at once.
        if (n >= options_.batch) continue;
      }
      if (std::chrono::steady_clock::now() - last_prune > std::chrono::hours(1)) {
        pool_.Exec(kPrune);
        last_prune = std::chrono::steady_clock::now();
      }
      loop_.WaitForWork(options_.poll);
      channel->Idle(std::chrono::milliseconds(0));  // answer heartbeats while idle
    } catch (const std::exception& e) {
      channel.reset();  // after any failure: a new connection, topology declared again
      connected_ = false;
      if (failures++ == 0)
        log::Warn("outbox relay cannot publish; events wait in the outbox", {{"error.message", e.what()}});
      loop_.Sleep(Backoff(failures, options_.max_backoff));
    }
  }
}

// ---- dead letters ------------------------------------------------------------------------

std::vector<DeadLetter> PeekDeadLetters(const amqp::Options& broker, const std::string& servico, std::size_t limit) {
  amqp::Channel channel(broker);
  std::vector<DeadLetter> out;
  const std::string dlq = channel.Name(servico + ".eventos.dlq");
  while (out.size() < limit) {
    auto d = channel.Get(dlq, false);
    if (!d) break;
    out.push_back({d->message_id, d->type, d->body});
  }
  return out;  // not acked: the broker puts them back when the channel closes
}

std::size_t RedriveDeadLetters(const amqp::Options& broker, const std::string& servico) {
  amqp::Channel channel(broker);
  const std::string dlq = channel.Name(servico + ".eventos.dlq");
  const std::string queue = channel.Name(servico + ".eventos");
  std::size_t moved = 0;
  while (auto d = channel.Get(dlq, false)) {
    channel.PublishConfirmed({{.routing_key = d->routing_key,
                               .body = d->body,
                               .message_id = d->message_id,
                               .type = d->type,
                               .traceparent = d->traceparent}},
                             std::chrono::seconds(10), queue);
    channel.Ack(d->tag);  // only after the copy is safely in the queue
    ++moved;
  }
  log::Info("dead letters re-driven", {{"servico", servico}, {"count", moved}});
  return moved;
}

// ---- consumer ----------------------------------------------------------------------------

Consumer::Consumer(std::string servico, pg::Pool& pool, amqp::Options broker, ConsumerOptions options)
    : servico_(std::move(servico)), pool_(pool), broker_(std::move(broker)), options_(options) {}

Consumer::~Consumer() {
  Stop();
}

void Consumer::On(const std::string& tipo, Handler handler) {
  handlers_[tipo] = std::move(handler);
}

void Consumer::Start() {
  loop_.Start([this] { Run(); });
}

void Consumer::Stop() {
  loop_.Stop();
}

Consumer::Outcome Consumer::Process(const amqp::Delivery& delivery) {
  Event event;
  try {
    event = DecodeMessage(delivery.body);
  } catch (const std::exception& e) {
    log::Error("poison message: not a valid event envelope",
               {{"event.message_id", delivery.message_id}, {"error.message", e.what()}});
    return Outcome::Poison;
  }
  auto handler = handlers_.find(event.tipo);
  log::ScopedContext context({event.correlacao_id, ids::RandomHex(8), ""});
  for (int failures = 0; loop_.running(); ++failures) {
    try {
      bool fresh = pool_.Transact([&](pg::Transaction& tx) {
        if (tx.Exec(kInboxRecord, pg::Params(event.id, event.tipo)).affected() == 0) return false;
        if (handler != handlers_.end()) handler->second(tx, event);
        return true;
      });
      return fresh ? Outcome::Done : Outcome::Duplicate;
    } catch (const RetryLater& e) {
      log::Info("event postponed", {{"event.id", event.id}, {"event.type", event.tipo}, {"reason", e.what()}});
      return Outcome::Requeue;
    } catch (const pg::SqlError& e) {
      if (!e.IsTransient()) {
        log::Error("event handler failed",
                   {{"event.id", event.id}, {"event.type", event.tipo}, {"error.message", e.what()}});
        return Outcome::Poison;
      }
      // The database is away or busy: keep the message and try again; nothing was committed.
      if (failures == 0) log::Warn("database unavailable; event waits", {{"event.id", event.id}});
      loop_.Sleep(Backoff(failures, options_.max_backoff));
    } catch (const Error& e) {
      if (e.status() == 503) {
        loop_.Sleep(Backoff(failures, options_.max_backoff));
        continue;
      }
      log::Error("event refused by its handler",
                 {{"event.id", event.id}, {"event.type", event.tipo}, {"error.message", e.what()}});
      return Outcome::Poison;
    } catch (const std::exception& e) {
      log::Error("event handler failed",
                 {{"event.id", event.id}, {"event.type", event.tipo}, {"error.message", e.what()}});
      return Outcome::Poison;
    }
  }
  return Outcome::Stopped;
}

void Consumer::Run() {
  auto& registry = metrics::Registry::Global();
  std::unique_ptr<amqp::Channel> channel;
  int failures = 0;
  while (loop_.running()) {
    try {
      if (!channel) {
        channel = std::make_unique<amqp::Channel>(broker_);
        channel->DeclareTopology(amqp::Topology(), options_.delivery_limit);
        channel->Consume(channel->Name(servico_ + ".eventos"), options_.prefetch);
        connected_ = true;
        if (failures > 0) log::Info("event consumer connected to the broker again");
        failures = 0;
      }
      auto delivery = channel->Next(std::chrono::milliseconds(250));
      if (!delivery) continue;
      Outcome outcome = Process(*delivery);
      std::string label;
      switch (outcome) {
        case Outcome::Done:
          ++processed_;
          channel->Ack(delivery->tag);
          label = "processado";
          break;
        case Outcome::Duplicate:
          ++duplicates_;
          channel->Ack(delivery->tag);
          label = "duplicado";
          break;
        case Outcome::Poison:
          ++dead_lettered_;
          channel->Reject(delivery->tag, false);  // to the DLQ
          label = "rejeitado";
          break;
        case Outcome::Requeue:
          channel->Reject(delivery->tag, true);  // counted against x-delivery-limit
          label = "adiado";
          break;
        case Outcome::Stopped: return;  // unacked: the broker gives it back when we disconnect
      }
      registry.Increment("events_consumed_total", {{"tipo", delivery->type}, {"resultado", label}});
    } catch (const std::exception& e) {
      channel.reset();
      connected_ = false;
      if (failures++ == 0) log::Warn("event consumer lost the broker; reconnecting", {{"error.message", e.what()}});
      loop_.Sleep(Backoff(failures, options_.max_backoff));
    }
  }
}

audit::Actor ActorOf(const Event& event) {
  audit::Actor actor = event.usuario.sub.empty() ? audit::Actor::System(event.origem)
                                                 : audit::Actor{event.usuario.sub, event.usuario.username, "", ""};
  actor.request_id = event.correlacao_id;
  return actor;
}

}  // namespace pharmasys::events
