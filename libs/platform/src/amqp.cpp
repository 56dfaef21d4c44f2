#include "pharmasys/amqp/amqp.hpp"

#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/time.h>

#include <set>

namespace pharmasys::amqp {
namespace {

constexpr amqp_channel_t kChannel = 1;

timeval ToTimeval(std::chrono::milliseconds ms) {
  if (ms.count() < 0) ms = std::chrono::milliseconds(0);
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

std::string ToString(amqp_bytes_t bytes) {
  return bytes.bytes == nullptr ? std::string{} : std::string(static_cast<const char*>(bytes.bytes), bytes.len);
}

amqp_bytes_t Bytes(const std::string& s) {
  return amqp_cstring_bytes(s.c_str());
}

std::string Describe(const amqp_rpc_reply_t& reply) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL: return "ok";
    case AMQP_RESPONSE_NONE: return "missing RPC reply";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: return amqp_error_string2(reply.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        const auto* m = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
        return "connection closed by broker: " + std::to_string(m->reply_code) + " " + ToString(m->reply_text);
      }
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        const auto* m = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
        return "channel closed by broker: " + std::to_string(m->reply_code) + " " + ToString(m->reply_text);
      }
      return "broker error";
  }
  return "unknown";
}

std::string HeaderString(const amqp_basic_properties_t& props, const char* name) {
  if ((props._flags & AMQP_BASIC_HEADERS_FLAG) == 0) return {};
  for (int i = 0; i < props.headers.num_entries; ++i) {
    const auto& entry = props.headers.entries[i];
    if (ToString(entry.key) != name) continue;
    if (entry.value.kind == AMQP_FIELD_KIND_UTF8 || entry.value.kind == AMQP_FIELD_KIND_BYTES) {
      return ToString(entry.value.value.bytes);
    }
  }
  return {};
}

Delivery FromMessage(std::uint64_t tag, bool redelivered, amqp_bytes_t routing_key, const amqp_message_t& m) {
  Delivery d;
  d.tag = tag;
  d.redelivered = redelivered;
  d.routing_key = ToString(routing_key);
  d.body = ToString(m.body);
  if (m.properties._flags & AMQP_BASIC_MESSAGE_ID_FLAG) d.message_id = ToString(m.properties.message_id);
  if (m.properties._flags & AMQP_BASIC_TYPE_FLAG) d.type = ToString(m.properties.type);
  d.traceparent = HeaderString(m.properties, "traceparent");
  return d;
}

// Why OpenSSL refused the broker's certificate during the handshake on this thread: rabbitmq-c
// reports only "SSL handshake failed". A Channel connects on the thread that constructs it.
thread_local std::string tls_refusal;

int RecordRefusal(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok == 0 && tls_refusal.empty()) {
    const int error = X509_STORE_CTX_get_error(store);
    tls_refusal = X509_verify_cert_error_string(error);
    if (error == X509_V_ERR_HOSTNAME_MISMATCH || error == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      tls_refusal = "the broker's certificate does not name the host of the URL (" + tls_refusal + ")";
    } else {
      tls_refusal = "certificate verify failed: " + tls_refusal;
    }
  }
  return preverify_ok;
}

// A TLS socket that accepts only a broker whose certificate chains to the CA and names `host`.
// OpenSSL checks the name during the handshake (X509_VERIFY_PARAM), so an IP address in the
// URL matches an IP address SAN: rabbitmq-c 0.11's own host check reads DNS names only, and is
// off.
amqp_socket_t* TlsSocket(amqp_connection_state_t conn, const Options& options, const char* host) {
  amqp_socket_t* socket = amqp_ssl_socket_new(conn);
  if (socket == nullptr) throw BrokerError("cannot create the AMQP TLS socket");
  auto* ctx = static_cast<SSL_CTX*>(amqp_ssl_socket_get_context(socket));
  if (options.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) throw BrokerError("cannot load the system's trusted CAs");
  } else if (amqp_ssl_socket_set_cacert(socket, options.ca_file.c_str()) != AMQP_STATUS_OK) {
    throw BrokerError("cannot read the CA certificate file " + options.ca_file);
  }
  if (!options.cert_file.empty() || !options.key_file.empty()) {
    if (options.cert_file.empty() || options.key_file.empty()) {
      throw BrokerError("a client certificate needs both its certificate and its key file");
    }
    if (amqp_ssl_socket_set_key(socket, options.cert_file.c_str(), options.key_file.c_str()) != AMQP_STATUS_OK) {
      throw BrokerError("cannot load the client certificate " + options.cert_file + " with its key " +
                        options.key_file);
    }
  }
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (X509_VERIFY_PARAM_set1_ip_asc(param, host) != 1 && X509_VERIFY_PARAM_set1_host(param, host, 0) != 1) {
    throw BrokerError(std::string("cannot verify the broker's certificate against host ") + host);
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, RecordRefusal);
  amqp_ssl_socket_set_verify_peer(socket, 1);
  amqp_ssl_socket_set_verify_hostname(socket, 0);
  return socket;
}

}  // namespace

const std::vector<QueueSpec>& Topology() {
  static const std::vector<QueueSpec> topology{
      {"producao", {"material.cadastrado", "laudo.emitido", "desvio.aberto", "desvio.encerrado", "lote.recolhido"}},
      {"cq", {"material.cadastrado", "lote.criado", "devolucao.registrada", "op.revisada"}},
      {"estoque", {"lote.criado", "laudo.emitido", "lote.recolhido"}},
      {"relatorios",
       {"material.cadastrado", "lote.criado", "insumos.consumidos", "op.status_alterado", "etapa.registrada",
        "laudo.emitido", "desvio.aberto", "desvio.encerrado", "lote.recolhido", "expedicao.confirmada",
        "devolucao.registrada", "devolucao.avaliada", "op.revisada", "auditoria.registrada", "auditoria.checkpoint"}},
  };
  return topology;
}

struct Channel::State {
  std::string prefix;
  amqp_connection_state_t conn = nullptr;
  bool open = false;
  bool confirms = false;
  std::uint64_t next_tag = 1;

  // Also runs when the Channel constructor throws half-way, so nothing leaks.
  ~State() {
    if (conn == nullptr) return;
    if (open) {
      amqp_channel_close(conn, kChannel, AMQP_REPLY_SUCCESS);
      amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(conn);
  }

  void Check(const amqp_rpc_reply_t& reply, const std::string& what) {
    if (reply.reply_type == AMQP_RESPONSE_NORMAL) return;
    open = false;
    throw BrokerError(what + ": " + Describe(reply));
  }
  void Check(int status, const std::string& what) {
    if (status == AMQP_STATUS_OK) return;
    open = false;
    throw BrokerError(what + ": " + amqp_error_string2(status));
  }
  void Rpc(const std::string& what) { Check(amqp_get_rpc_reply(conn), what); }
};

Channel::Channel(const Options& options) : state_(std::make_unique<State>()) {
  state_->prefix = options.prefix;
  std::string url = options.url;
  amqp_connection_info info{};
  amqp_default_connection_info(&info);
  if (amqp_parse_url(url.data(), &info) != AMQP_STATUS_OK) throw BrokerError("invalid AMQP URL");
  state_->conn = amqp_new_connection();
  const bool tls = info.ssl != 0;
  amqp_socket_t* socket = tls ? TlsSocket(state_->conn, options, info.host) : amqp_tcp_socket_new(state_->conn);
  if (socket == nullptr) throw BrokerError("cannot create AMQP socket");
  timeval tv = ToTimeval(options.timeout);
  tls_refusal.clear();
  int status = amqp_socket_open_noblock(socket, info.host, info.port, &tv);
  if (status != AMQP_STATUS_OK) {
    std::string why = amqp_error_string2(status);
    if (tls && !tls_refusal.empty()) why += ": " + tls_refusal;
    tls_refusal.clear();
    throw BrokerError(std::string("cannot connect to RabbitMQ at ") + info.host + ":" + std::to_string(info.port) +
                      (tls ? " over TLS: " : ": ") + why);
  }
  amqp_set_rpc_timeout(state_->conn, &tv);
  amqp_table_entry_t property{amqp_cstring_bytes("connection_name"), {}};
  property.value.kind = AMQP_FIELD_KIND_UTF8;
  property.value.value.bytes = Bytes(options.connection_name);
  amqp_table_t properties{1, &property};
  state_->Check(
      amqp_login_with_properties(state_->conn, info.vhost, 0, 131072, static_cast<int>(options.heartbeat.count()),
                                 &properties, AMQP_SASL_METHOD_PLAIN, info.user, info.password),
      "RabbitMQ login");
  amqp_channel_open(state_->conn, kChannel);
  state_->Rpc("channel.open");
  state_->open = true;
}

Channel::~Channel() = default;

std::string Channel::Name(const std::string& name) const {
  return state_->prefix + name;
}

void Channel::DeleteTopology(const std::vector<QueueSpec>& topology) {
  for (const auto& spec : topology) {
    for (const auto& queue : {Name(spec.queue()), Name(spec.dead_letter_queue())}) {
      amqp_queue_delete(state_->conn, kChannel, Bytes(queue), 0, 0);
      state_->Rpc("queue.delete " + queue);
    }
  }
  for (const auto& exchange : {Name(kExchange), Name(kDeadLetterExchange)}) {
    amqp_exchange_delete(state_->conn, kChannel, Bytes(exchange), 0);
    state_->Rpc("exchange.delete " + exchange);
  }
}

void Channel::DeclareTopology(const std::vector<QueueSpec>& topology, int delivery_limit) {
  auto* c = state_->conn;
  const std::string exchange = Name(kExchange);
  const std::string dlx = Name(kDeadLetterExchange);
  amqp_exchange_declare(c, kChannel, Bytes(exchange), amqp_cstring_bytes("topic"), 0, 1, 0, 0, amqp_empty_table);
  state_->Rpc("exchange.declare " + exchange);
  amqp_exchange_declare(c, kChannel, Bytes(dlx), amqp_cstring_bytes("direct"), 0, 1, 0, 0, amqp_empty_table);
  state_->Rpc("exchange.declare " + dlx);
  for (const auto& spec : topology) {
    const std::string queue = Name(spec.queue());
    const std::string dlq = Name(spec.dead_letter_queue());
    amqp_table_entry_t quorum{amqp_cstring_bytes("x-queue-type"), {}};
    quorum.value.kind = AMQP_FIELD_KIND_UTF8;
    quorum.value.value.bytes = amqp_cstring_bytes("quorum");

    amqp_table_t dlq_args{1, &quorum};
    amqp_queue_declare(c, kChannel, Bytes(dlq), 0, 1, 0, 0, dlq_args);
    state_->Rpc("queue.declare " + dlq);
    amqp_queue_bind(c, kChannel, Bytes(dlq), Bytes(dlx), Bytes(dlq), amqp_empty_table);
    state_->Rpc("queue.bind " + dlq);

    // Dead letters are routed by the DLQ's own name, so each service's rejects land in its
    // own DLQ only (the original routing key stays in the x-death header).
    amqp_table_entry_t args[4] = {quorum,
                                  {amqp_cstring_bytes("x-dead-letter-exchange"), {}},
                                  {amqp_cstring_bytes("x-dead-letter-routing-key"), {}},
                                  {amqp_cstring_bytes("x-delivery-limit"), {}}};
    args[1].value.kind = AMQP_FIELD_KIND_UTF8;
    args[1].value.value.bytes = Bytes(dlx);
    args[2].value.kind = AMQP_FIELD_KIND_UTF8;
    args[2].value.value.bytes = Bytes(dlq);
    args[3].value.kind = AMQP_FIELD_KIND_I64;
    args[3].value.value.i64 = delivery_limit;
    amqp_table_t queue_args{4, args};
    amqp_queue_declare(c, kChannel, Bytes(queue), 0, 1, 0, 0, queue_args);
    state_->Rpc("queue.declare " + queue);
    for (const auto& key : spec.routing_keys) {
      amqp_queue_bind(c, kChannel, Bytes(queue), Bytes(exchange), Bytes(key), amqp_empty_table);
      state_->Rpc("queue.bind " + queue + " " + key);
    }
  }
}

void Channel::PublishRaw(const std::string& exchange, const Message& message) {
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG |
                 AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_TIMESTAMP_FLAG | AMQP_BASIC_HEADERS_FLAG;
  props.content_type = amqp_cstring_bytes("application/json");
  props.delivery_mode = AMQP_DELIVERY_PERSISTENT;
  props.message_id = Bytes(message.message_id);
  props.type = Bytes(message.type);
  props.timestamp = static_cast<std::uint64_t>(message.timestamp);
  amqp_table_entry_t header{amqp_cstring_bytes("traceparent"), {}};
  header.value.kind = AMQP_FIELD_KIND_UTF8;
  header.value.value.bytes = Bytes(message.traceparent);
  props.headers = amqp_table_t{message.traceparent.empty() ? 0 : 1, &header};
  amqp_bytes_t body{message.body.size(), const_cast<char*>(message.body.data())};
  state_->Check(
      amqp_basic_publish(state_->conn, kChannel, Bytes(exchange), Bytes(message.routing_key), 1, 0, &props, body),
      "basic.publish");
}

void Channel::PublishConfirmed(const std::vector<Message>& messages, std::chrono::milliseconds timeout,
                               const std::string& queue) {
  if (!state_->confirms) {
    amqp_confirm_select(state_->conn, kChannel);
    state_->Rpc("confirm.select");
    state_->confirms = true;
  }
  std::set<std::uint64_t> pending;
  for (const auto& m : messages) {
    if (queue.empty()) {
      PublishRaw(Name(kExchange), m);
    } else {
      Message direct = m;
      direct.routing_key = queue;
      PublishRaw("", direct);
    }
    pending.insert(state_->next_tag++);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool returned = false;
  while (!pending.empty()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      state_->open = false;
      throw BrokerError("no publisher confirm within " + std::to_string(timeout.count()) + " ms");
    }
    timeval tv = ToTimeval(left);
    amqp_frame_t frame{};
    int status = amqp_simple_wait_frame_noblock(state_->conn, &frame, &tv);
    if (status == AMQP_STATUS_TIMEOUT) continue;
    state_->Check(status, "waiting for publisher confirms");
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        const auto* ack = static_cast<amqp_basic_ack_t*>(frame.payload.method.decoded);
        if (ack->multiple) {
          pending.erase(pending.begin(), pending.upper_bound(ack->delivery_tag));
        } else {
          pending.erase(ack->delivery_tag);
        }
        break;
      }
      case AMQP_BASIC_NACK_METHOD: state_->open = false; throw BrokerError("broker refused a message (basic.nack)");
      case AMQP_BASIC_RETURN_METHOD: {
        // Unroutable (mandatory): read its content frames off the channel, then fail.
        amqp_message_t content{};
        amqp_read_message(state_->conn, kChannel, &content, 0);
        amqp_destroy_message(&content);
        returned = true;
        break;
      }
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD: state_->open = false; throw BrokerError("broker closed the channel");
      default: break;
    }
  }
  if (returned) throw BrokerError("a message was unroutable (basic.return): is the topology declared?");
}

void Channel::Consume(const std::string& queue, std::uint16_t prefetch) {
  amqp_basic_qos(state_->conn, kChannel, 0, prefetch, 0);
  state_->Rpc("basic.qos");
  amqp_basic_consume(state_->conn, kChannel, Bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  state_->Rpc("basic.consume " + queue);
}

std::optional<Delivery> Channel::Next(std::chrono::milliseconds wait) {
  amqp_maybe_release_buffers(state_->conn);
  amqp_envelope_t envelope{};
  timeval tv = ToTimeval(wait);
  amqp_rpc_reply_t reply = amqp_consume_message(state_->conn, &envelope, &tv, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    Delivery d = FromMessage(envelope.delivery_tag, envelope.redelivered != 0, envelope.routing_key, envelope.message);
    amqp_destroy_envelope(&envelope);
    return d;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT) {
    return std::nullopt;
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // Something other than a delivery arrived: a close means the channel is gone.
    amqp_frame_t frame{};
    state_->Check(amqp_simple_wait_frame(state_->conn, &frame), "reading a frame");
    if (frame.frame_type == AMQP_FRAME_METHOD && (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
                                                  frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)) {
      state_->open = false;
      throw BrokerError("broker closed the channel while consuming");
    }
    return std::nullopt;
  }
  state_->Check(reply, "basic.consume");
  return std::nullopt;
}

void Channel::Ack(std::uint64_t tag) {
  state_->Check(amqp_basic_ack(state_->conn, kChannel, tag, 0), "basic.ack");
}

void Channel::Reject(std::uint64_t tag, bool requeue) {
  state_->Check(amqp_basic_reject(state_->conn, kChannel, tag, requeue ? 1 : 0), "basic.reject");
}

void Channel::Idle(std::chrono::milliseconds wait) {
  timeval tv = ToTimeval(wait);
  amqp_frame_t frame{};
  int status = amqp_simple_wait_frame_noblock(state_->conn, &frame, &tv);
  if (status == AMQP_STATUS_TIMEOUT) return;
  state_->Check(status, "idle wait");
  if (frame.frame_type == AMQP_FRAME_METHOD && (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
                                                frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD)) {
    state_->open = false;
    throw BrokerError("broker closed the channel");
  }
}

std::uint32_t Channel::MessageCount(const std::string& queue) {
  auto* ok = amqp_queue_declare(state_->conn, kChannel, Bytes(queue), 1, 0, 0, 0, amqp_empty_table);
  state_->Rpc("queue.declare (passive) " + queue);
  return ok->message_count;
}

void Channel::Purge(const std::string& queue) {
  amqp_queue_purge(state_->conn, kChannel, Bytes(queue));
  state_->Rpc("queue.purge " + queue);
}

std::optional<Delivery> Channel::Get(const std::string& queue, bool auto_ack) {
  amqp_rpc_reply_t reply = amqp_basic_get(state_->conn, kChannel, Bytes(queue), auto_ack ? 1 : 0);
  state_->Check(reply, "basic.get " + queue);
  if (reply.reply.id != AMQP_BASIC_GET_OK_METHOD) return std::nullopt;
  const auto* ok = static_cast<amqp_basic_get_ok_t*>(reply.reply.decoded);
  std::uint64_t tag = ok->delivery_tag;
  bool redelivered = ok->redelivered != 0;
  std::string key = ToString(ok->routing_key);
  amqp_message_t message{};
  state_->Check(amqp_read_message(state_->conn, kChannel, &message, 0), "reading message " + queue);
  Delivery d = FromMessage(tag, redelivered, amqp_cstring_bytes(key.c_str()), message);
  amqp_destroy_message(&message);
  return d;
}

}  // namespace pharmasys::amqp
