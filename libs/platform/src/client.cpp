#include "pharmasys/http/client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <variant>

#include "pharmasys/log/log.hpp"

namespace pharmasys::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // with query
  // Pooled connections are per scheme too: a TLS connection never serves an http:// URL.
  std::string Key() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

Target ParseUrl(const std::string& url) {
  Target t;
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    t.tls = true;
    rest.remove_prefix(std::string_view("https://").size());
  } else if (rest.starts_with("http://")) {
    rest.remove_prefix(std::string_view("http://").size());
  } else {
    throw UpstreamError(UpstreamError::Kind::Protocol, "only http:// and https:// URLs: " + url);
  }
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  t.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    t.host = std::string(authority);
    t.port = t.tls ? "443" : "80";
  } else {
    t.host = std::string(authority.substr(0, colon));
    t.port = std::string(authority.substr(colon + 1));
  }
  if (t.host.empty() || t.port.empty()) throw UpstreamError(UpstreamError::Kind::Protocol, "bad URL: " + url);
  return t;
}

// One connection to an upstream, plain or TLS. The coroutines below are written once for
// both: each Beast operation goes through Io(), which hands it the connection's stream.
class Connection {
 public:
  explicit Connection(asio::io_context& io) : stream_(std::in_place_type<beast::tcp_stream>, io) {}
  Connection(asio::io_context& io, ssl::context& tls) : stream_(std::in_place_type<TlsStream>, io, tls) {}

  // The TCP layer under either: timeouts, connect, the socket itself.
  beast::tcp_stream& tcp() {
    return std::visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); }, stream_);
  }
  TlsStream* tls() { return std::get_if<TlsStream>(&stream_); }
  // `operation(stream)` on the stream this connection speaks HTTP over.
  template <class Operation>
  auto Io(Operation&& operation) {
    return std::visit(std::forward<Operation>(operation), stream_);
  }
  void Close() { tcp().close(); }

 private:
  std::variant<beast::tcp_stream, TlsStream> stream_;
};

struct Pooled {
  std::unique_ptr<Connection> connection;
  Clock::time_point idle_since;
};

// The context every TLS connection of a client is made from: TLS 1.2 or newer, the peer's
// certificate verified against `ca_file` (PEM), or PHARMASYS_TLS_CA_FILE when that is empty,
// or else the system's default CA paths. When the bundle cannot be loaded, `problem` says why
// and every https:// call fails with it (http:// calls are unaffected).
ssl::context MakeTlsContext(const std::string& ca_file, std::string& problem) {
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  std::string file = ca_file;
  std::string origin = "ClientOptions::ca_file";
  if (file.empty()) {
    const char* from_env = std::getenv("PHARMASYS_TLS_CA_FILE");  // NOLINT(concurrency-mt-unsafe): read-only
    if (from_env != nullptr) file = from_env;
    origin = "PHARMASYS_TLS_CA_FILE";
  }
  boost::system::error_code ec;
  if (file.empty()) {
    context.set_default_verify_paths(ec);
    if (ec) problem = "cannot load the system's default CA certificates: " + ec.message();
  } else {
    context.load_verify_file(file, ec);
    if (ec) problem = "cannot load the CA bundle " + file + " (" + origin + "): " + ec.message();
  }
  return context;
}

// Why a TLS handshake failed, in words: the certificate check's own reason when it was the
// certificate ("certificate verify failed (hostname mismatch)"), else the TLS error.
std::string HandshakeFailure(TlsStream& stream, const boost::system::error_code& ec) {
  const long verify = SSL_get_verify_result(stream.native_handle());
  if (verify != X509_V_OK) {
    return std::string("TLS handshake failed: certificate verify failed (") + X509_verify_cert_error_string(verify) +
           ")";
  }
  return "TLS handshake failed: " + ec.message();
}

// A call made while serving a request carries that request's trace and id onward (W3C trace
// context), unless the caller set them itself. Read on the calling thread: the context is
// thread-local to the worker serving the request.
ClientRequest WithCallerContext(const ClientRequest& request) {
  ClientRequest out = request;
  const log::Context& context = log::CurrentContext();
  if (context.trace_id.empty()) return out;
  if (!out.headers.Get("traceparent")) {
    out.headers.Set("traceparent", "00-" + context.trace_id + "-" + context.span_id + "-01");
  }
  if (!out.headers.Get("X-Request-Id") && !context.request_id.empty()) {
    out.headers.Set("X-Request-Id", context.request_id);
  }
  return out;
}

struct Outcome {
  ClientResponse response;
  bool keep_alive = false;
  boost::system::error_code error;
  bool any_byte_received = false;
  bool connect_failed = false;
  bool nothing_written = false;  // the failure came before any byte of the request left
  std::string tls_failure;       // the TLS handshake failed (or could not start): why
};

// A pooled connection the peer has closed (or that holds bytes nobody asked for) is dead: it
// is found out before the request is written, so nothing of it reaches the old peer.
// For TLS the socket under it is looked at: a peer that closed it has sent its close_notify
// (bytes) or a FIN.
bool IdleConnectionIsDead(Connection& connection) {
  char byte = 0;
  ssize_t n = ::recv(connection.tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  return true;  // 0: the peer closed it; > 0: an answer to no request
}

// Sending the request again on a new connection is safe only when the first attempt cannot
// have had an effect (nothing of it was written) or a second one would not add one. A timeout
// has used the deadline up; a refused certificate would be refused again.
bool SafeToRetry(const ClientRequest& request, const Outcome& out) {
  if (out.error == beast::error::timeout || !out.tls_failure.empty()) return false;
  if (out.nothing_written) return true;
  if (out.any_byte_received) return false;
  switch (request.method) {
    case Method::Get:
    case Method::Head:
    case Method::Put:
    case Method::Delete:
    case Method::Options: return true;
    default: return request.headers.Get("Idempotency-Key").has_value();
  }
}

}  // namespace

struct Client::Impl {
  explicit Impl(ClientOptions o)
      : options(std::move(o)),
        tls(MakeTlsContext(options.ca_file, tls_problem)),
        work(asio::make_work_guard(io)),
        thread([this] { io.run(); }) {}
  ~Impl() {
    work.reset();
    {
      std::lock_guard lock(mutex);
      idle.clear();
    }
    io.stop();
    thread.join();
  }

  ClientOptions options;
  std::string tls_problem;  // set when https:// calls cannot be made, and why
  ssl::context tls;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, std::deque<Pooled>> idle;

  std::unique_ptr<Connection> NewConnection(const Target& target) {
    return target.tls ? std::make_unique<Connection>(io, tls) : std::make_unique<Connection>(io);
  }

  std::unique_ptr<Connection> TakeIdle(const std::string& key) {
    std::lock_guard lock(mutex);
    auto& queue = idle[key];
    while (!queue.empty()) {
      Pooled p = std::move(queue.back());
      queue.pop_back();
      if (Clock::now() - p.idle_since < options.idle_keepalive) return std::move(p.connection);
    }
    return nullptr;
  }

  void GiveBack(const std::string& key, std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex);
    auto& queue = idle[key];
    if (queue.size() < options.max_idle_per_host) queue.push_back({std::move(connection), Clock::now()});
  }

  // The TLS handshake of a new connection: SNI and the name its certificate must carry (a DNS
  // name, or an IP address when the URL has one), then the certificate chain checked.
  asio::awaitable<void> Handshake(TlsStream& stream, const Target& target, Outcome& out) {
    boost::system::error_code& ec = out.error;
    SSL* ssl = stream.native_handle();
    boost::system::error_code not_an_address;
    asio::ip::make_address(target.host, not_an_address);
    std::string server_name = target.host;  // SSL_set_tlsext_host_name, without its C cast (OpenSSL copies it)
    const bool named = not_an_address ? SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                                                 server_name.data()) == 1 &&
                                            SSL_set1_host(ssl, target.host.c_str()) == 1
                                      : X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), target.host.c_str()) == 1;
    if (!named) {
      ec = asio::error::invalid_argument;
      out.tls_failure = "cannot check a certificate against the host " + target.host;
      co_return;
    }
    co_await stream.async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (ec && ec != beast::error::timeout) out.tls_failure = HandshakeFailure(stream, ec);
  }

  // Connects (unless the connection is a pooled one), with TLS its handshake, and writes the
  // request, all before `deadline`; failures are left in `out`.
  asio::awaitable<void> ConnectAndWrite(Connection& connection, bool connect, const Target& target,
                                        const ClientRequest& request, Clock::time_point deadline, Outcome& out) {
    boost::system::error_code& ec = out.error;
    beast::tcp_stream& stream = connection.tcp();
    if (connect && target.tls && !tls_problem.empty()) {
      ec = asio::error::no_protocol_option;
      out.tls_failure = tls_problem;
      co_return;
    }
    if (connect) {
      tcp::resolver resolver(io);
      auto endpoints =
          co_await resolver.async_resolve(target.host, target.port, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        out.connect_failed = true;
        co_return;
      }
      stream.expires_at(deadline);
      co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        out.connect_failed = ec != beast::error::timeout;
        co_return;
      }
      if (TlsStream* tls_stream = connection.tls()) {
        co_await Handshake(*tls_stream, target, out);
        if (ec) co_return;
      }
    } else if (IdleConnectionIsDead(connection)) {
      ec = asio::error::connection_reset;
      out.nothing_written = true;
      co_return;
    }
    bhttp::request<bhttp::string_body> message{bhttp::string_to_verb(ToString(request.method)), target.path, 11};
    message.set(bhttp::field::host, target.host + ":" + target.port);
    for (const auto& [name, value] : request.headers) message.set(name, value);
    message.body() = request.body;
    message.keep_alive(true);
    message.prepare_payload();
    stream.expires_at(deadline);
    std::size_t written = co_await connection.Io(
        [&](auto& s) { return bhttp::async_write(s, message, asio::redirect_error(asio::use_awaitable, ec)); });
    if (ec && written == 0) out.nothing_written = true;
  }

  // The state of one streamed response: its connection, parser and read buffer.
  struct Streamed {
    std::unique_ptr<Connection> connection;
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::buffer_body> parser;
    std::array<char, 64 * 1024> chunk{};
    std::string key;
    bool finished = false;
  };

  asio::awaitable<Outcome> StartStream(Streamed& s, bool connect, const Target& target, const ClientRequest& request,
                                       Clock::time_point deadline) {
    Outcome out;
    boost::system::error_code& ec = out.error;
    co_await ConnectAndWrite(*s.connection, connect, target, request, deadline, out);
    if (ec) co_return out;
    s.parser.body_limit(boost::none);  // a stream has no total limit; each piece is bounded
    if (request.method == Method::Head) s.parser.skip(true);
    std::size_t n = co_await s.connection->Io([&](auto& stream) {
      return bhttp::async_read_header(stream, s.buffer, s.parser, asio::redirect_error(asio::use_awaitable, ec));
    });
    out.any_byte_received = n > 0 || s.buffer.size() > 0;
    if (ec) co_return out;
    const auto& head = s.parser.get();
    out.response.status = static_cast<int>(head.result_int());
    for (const auto& field : head)
      out.response.headers.Add(std::string(field.name_string()), std::string(field.value()));
    co_return out;
  }

  // The next piece of a streamed body: nullopt at its end; throws UpstreamError on failure.
  asio::awaitable<std::optional<std::string>> ReadPiece(Streamed& s, std::chrono::milliseconds timeout) {
    // Whatever has arrived, as soon as some of the body has: a piece is not made to wait for a
    // full buffer, so the reader sees a slow producer's bytes as they come.
    while (!s.parser.is_done()) {
      auto& body = s.parser.get().body();
      body.data = s.chunk.data();
      body.size = s.chunk.size();
      boost::system::error_code ec;
      s.connection->tcp().expires_after(timeout);
      co_await s.connection->Io([&](auto& stream) {
        return bhttp::async_read_some(stream, s.buffer, s.parser, asio::redirect_error(asio::use_awaitable, ec));
      });
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec == beast::error::timeout) throw UpstreamError(UpstreamError::Kind::Timeout, "body stalled");
      if (ec) throw UpstreamError(UpstreamError::Kind::Protocol, "body interrupted: " + ec.message());
      std::size_t got = s.chunk.size() - s.parser.get().body().size;
      if (got > 0) co_return std::string(s.chunk.data(), got);
    }
    co_return std::nullopt;
  }

  asio::awaitable<Outcome> Exchange(Connection& connection, bool connect, const Target& target,
                                    const ClientRequest& request, Clock::time_point deadline) {
    Outcome out;
    boost::system::error_code& ec = out.error;
    // NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage): a false positive in Asio's awaitable frame
    co_await ConnectAndWrite(connection, connect, target, request, deadline, out);
    if (ec) co_return out;

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.body_limit);
    if (request.method == Method::Head) parser.skip(true);
    std::size_t n = co_await connection.Io([&](auto& stream) {
      return bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    });
    out.any_byte_received = n > 0 || buffer.size() > 0;
    if (ec) co_return out;
    if (!parser.is_done()) {
      co_await connection.Io([&](auto& stream) {
        return bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      });
      if (ec) co_return out;
    }
    auto& res = parser.get();
    out.response.status = static_cast<int>(res.result_int());
    for (const auto& field : res)
      out.response.headers.Add(std::string(field.name_string()), std::string(field.value()));
    out.keep_alive = res.keep_alive() && buffer.size() == 0;
    out.response.body = std::move(res.body());
    co_return out;
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(options)) {}
Client::~Client() = default;

std::size_t Client::idle_connections() const {
  std::lock_guard lock(impl_->mutex);
  std::size_t n = 0;
  for (const auto& [key, queue] : impl_->idle) n += queue.size();
  return n;
}

namespace {

// SendStreaming answers bodies of at most this announced length whole.
constexpr std::uint64_t kWholeBodyLimit = 256 * 1024;

// Pulls a streamed body on the caller's thread, each read run on the client's I/O thread.
class StreamedBody : public BodySource {
 public:
  StreamedBody(Client::Impl* impl, std::shared_ptr<Client::Impl::Streamed> state, std::chrono::milliseconds timeout)
      : impl_(impl), state_(std::move(state)), timeout_(timeout) {}
  ~StreamedBody() override {
    if (state_ && !state_->finished) {  // abandoned half-way: the connection cannot be reused
      asio::post(impl_->io, [s = state_] { s->connection->Close(); });
    }
  }
  std::optional<std::string> Next() override {
    if (state_->finished) return std::nullopt;
    auto piece = asio::co_spawn(impl_->io, impl_->ReadPiece(*state_, timeout_), asio::use_future).get();
    if (!piece) {
      state_->finished = true;
      if (state_->parser.get().keep_alive() && state_->buffer.size() == 0) {
        impl_->GiveBack(state_->key, std::move(state_->connection));
      } else {
        asio::post(impl_->io, [s = state_] { s->connection->Close(); });
      }
    }
    return piece;
  }

 private:
  Client::Impl* impl_;
  std::shared_ptr<Client::Impl::Streamed> state_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

namespace {

// The error a failed attempt ends the call with.
UpstreamError FailureOf(const ClientRequest& request, const Outcome& out, std::chrono::milliseconds timeout) {
  if (out.error == beast::error::timeout) {
    return {UpstreamError::Kind::Timeout,
            request.url + ": no answer within " + std::to_string(timeout.count()) + " ms"};
  }
  if (!out.tls_failure.empty()) return {UpstreamError::Kind::Tls, request.url + ": " + out.tls_failure};
  if (out.connect_failed) {
    return {UpstreamError::Kind::Connect, request.url + ": cannot connect: " + out.error.message()};
  }
  return {UpstreamError::Kind::Protocol, request.url + ": " + out.error.message()};
}

}  // namespace

ClientResponse Client::SendStreaming(const ClientRequest& original, std::chrono::milliseconds timeout) {
  const ClientRequest request = WithCallerContext(original);
  Target target = ParseUrl(request.url);
  const auto deadline = Clock::now() + timeout;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto state = std::make_shared<Impl::Streamed>();
    state->key = target.Key();
    if (attempt == 0) state->connection = impl_->TakeIdle(state->key);  // the retry takes a new connection
    const bool reused = state->connection != nullptr;
    if (!reused) state->connection = impl_->NewConnection(target);
    Outcome out =
        asio::co_spawn(impl_->io, impl_->StartStream(*state, !reused, target, request, deadline), asio::use_future)
            .get();
    if (!out.error) {
      auto body = std::make_shared<StreamedBody>(impl_.get(), state, timeout);
      // A small body of announced length is read at once and answered whole, as Send would.
      auto length = state->parser.content_length();
      if (length && *length <= kWholeBodyLimit) {
        while (auto piece = body->Next()) out.response.body += *piece;
      } else {
        out.response.stream = std::move(body);
      }
      return std::move(out.response);
    }
    state->finished = true;
    asio::post(impl_->io, [s = state] { s->connection->Close(); });
    if (reused && attempt == 0 && SafeToRetry(request, out)) continue;
    throw FailureOf(request, out, timeout);
  }
  throw UpstreamError(UpstreamError::Kind::Protocol, request.url + ": connection lost");
}

ClientResponse Client::Send(const ClientRequest& original, std::chrono::milliseconds timeout) {
  const ClientRequest request = WithCallerContext(original);
  Target target = ParseUrl(request.url);
  const auto deadline = Clock::now() + timeout;
  for (int attempt = 0; attempt < 2; ++attempt) {
    // The retry takes a new connection: when the peer restarted, every pooled one is dead.
    auto connection = attempt == 0 ? impl_->TakeIdle(target.Key()) : nullptr;
    const bool reused = connection != nullptr;
    if (!reused) connection = impl_->NewConnection(target);
    auto future =
        asio::co_spawn(impl_->io, impl_->Exchange(*connection, !reused, target, request, deadline), asio::use_future);
    Outcome out = future.get();
    if (!out.error && out.keep_alive) {
      impl_->GiveBack(target.Key(), std::move(connection));
      return std::move(out.response);
    }
    // The connection belongs to the I/O thread: closed there.
    asio::post(impl_->io, [c = std::shared_ptr<Connection>(std::move(connection))] { c->Close(); });
    if (!out.error) return std::move(out.response);
    if (reused && attempt == 0 && SafeToRetry(request, out)) continue;  // stale keep-alive connection
    throw FailureOf(request, out, timeout);
  }
  throw UpstreamError(UpstreamError::Kind::Protocol, request.url + ": connection lost");
}

}  // namespace pharmasys::http
