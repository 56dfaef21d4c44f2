#include "pharmasys/http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>

#include "pharmasys/http/problem.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/metrics/metrics.hpp"
#include "request_parser_detail.hpp"

namespace pharmasys::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// W3C traceparent "00-<trace 32 hex>-<parent 16 hex>-<flags 2 hex>"; a bad one starts a new trace.
TraceContext TraceFrom(std::string_view header) {
  TraceContext trace;
  if (header.size() == 55 && header.substr(0, 3) == "00-" && header[35] == '-' && header[52] == '-') {
    auto trace_id = header.substr(3, 32);
    auto parent = header.substr(36, 16);
    auto flags = header.substr(53, 2);
    if (IsHex(trace_id) && IsHex(parent) && IsHex(flags) && trace_id != std::string(32, '0') &&
        parent != std::string(16, '0')) {
      trace.trace_id = trace_id;
      trace.parent_id = parent;
      trace.sampled = (std::stoi(std::string(flags), nullptr, 16) & 1) != 0;
    }
  }
  if (trace.trace_id.empty()) trace.trace_id = ids::RandomHex(16);
  trace.span_id = ids::RandomHex(8);
  return trace;
}

// Runs on the worker pool: a body source may block. A plain coroutine function, not a lambda
// with captures, so the source is owned by the coroutine frame itself.
asio::awaitable<std::optional<std::string>> PullPiece(std::shared_ptr<BodySource> source) {
  co_return source->Next();
}

bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 200) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// One open connection, plain or TLS: its stream lives on its own strand. Stop() reaches it
// through this base; the session code is a template on the stream.
struct ConnectionBase {
  virtual ~ConnectionBase() = default;
  virtual asio::any_io_executor executor() = 0;
  virtual void Cancel() = 0;  // on the strand
  bool idle = true;           // waiting for the next request (touched on the strand only)
};

template <class Stream>
struct Connection final : ConnectionBase {
  template <class... Args>
  explicit Connection(Args&&... args) : stream(std::forward<Args>(args)...) {}
  Stream stream;
  // The TCP layer: deadlines, the peer's address, cancel and close.
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream); }
  asio::any_io_executor executor() override { return tcp().get_executor(); }
  void Cancel() override { tcp().cancel(); }
};

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

std::string OpenSslError(std::string_view what) {
  std::string message(what);
  unsigned long code = ERR_get_error();
  if (code != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += ": ";
    message += text;
  }
  ERR_clear_error();
  return message;
}

std::optional<std::string> Unreadable(const std::string& path) {
  if (path.empty()) return "no file named";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return "'" + path + "' is not a file";
  std::ifstream in(path);
  if (!in) return "'" + path + "' cannot be read";
  return std::nullopt;
}

// TLS 1.2 and 1.3 (1.3 with OpenSSL's default suites), ECDHE key exchange and AEAD ciphers
// for 1.2, no compression, no renegotiation; the certificate chain and its key.
std::variant<std::shared_ptr<asio::ssl::context>, TlsProblem> MakeTlsContext(const TlsOptions& tls) {
  using File = TlsProblem::File;
  if (auto why = Unreadable(tls.certificate_chain_file)) return TlsProblem{File::Certificate, *why};
  if (auto why = Unreadable(tls.private_key_file)) return TlsProblem{File::Key, *why};
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                       asio::ssl::context::no_compression);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  static constexpr const char* kTls12Ciphers =
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
      "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return TlsProblem{File::Certificate, OpenSslError("no usable cipher")};
  }
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, tls.certificate_chain_file.c_str()) != 1) {
    return TlsProblem{File::Certificate,
                      OpenSslError("'" + tls.certificate_chain_file + "' is not a PEM certificate chain")};
  }
  if (SSL_CTX_use_PrivateKey_file(native, tls.private_key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // A key of another certificate is refused here too ("key values mismatch").
    return TlsProblem{File::Key,
                      OpenSslError("'" + tls.private_key_file + "' is not a PEM private key of the certificate in '" +
                                   tls.certificate_chain_file + "'")};
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return TlsProblem{File::Key, OpenSslError("'" + tls.private_key_file + "' does not belong to the certificate in '" +
                                              tls.certificate_chain_file + "'")};
  }
  return context;
}

}  // namespace

std::optional<TlsProblem> CheckTls(const TlsOptions& tls) {
  auto made = MakeTlsContext(tls);
  if (auto* problem = std::get_if<TlsProblem>(&made)) return *problem;
  return std::nullopt;
}

struct Server::Impl {
  Impl(ServerOptions o, Application a) : options(std::move(o)), application(std::move(a)), acceptor(io) {
    if (options.dispatch == Dispatch::Pool) workers.emplace(options.worker_threads);
  }

  ServerOptions options;
  Application application;
  asio::io_context io;
  std::optional<asio::thread_pool> workers;  // Dispatch::Pool only
  tcp::acceptor acceptor;
  std::vector<std::thread> io_threads;
  std::uint16_t bound_port = 0;
  std::shared_ptr<asio::ssl::context> tls;  // set by Start() when options.tls is

  std::mutex mutex;
  std::condition_variable changed;
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> connections;
  bool stop_requested = false;
  bool stopped = false;
  std::atomic<bool> stopping{false};

  Response Handle(Request& request);
  asio::awaitable<void> Listen();
  template <class Stream>
  bool Track(const std::shared_ptr<Connection<Stream>>& conn);
  asio::awaitable<void> ServeTls(std::shared_ptr<Connection<TlsStream>> conn);
  template <class Stream>
  asio::awaitable<void> Serve(std::shared_ptr<Connection<Stream>> conn);
  template <class Stream>
  asio::awaitable<void> SendProblem(Connection<Stream>& conn, const Error& error, std::string_view path);
  template <class Stream>
  asio::awaitable<bool> WriteStreamed(Connection<Stream>& conn, Response& response, bool keep_alive);
  template <class Stream>
  asio::awaitable<void> Close(Connection<Stream>& conn);
  void Forget(ConnectionBase* conn);
  template <class Stream>
  static Request Convert(bhttp::request<bhttp::string_body>&& message, Connection<Stream>& conn);
};

template <class Stream>
Request Server::Impl::Convert(bhttp::request<bhttp::string_body>&& message, Connection<Stream>& conn) {
  Request request = detail::ToRequest(std::move(message));
  boost::system::error_code ec;
  auto endpoint = conn.tcp().socket().remote_endpoint(ec);
  if (!ec) request.remote_address = endpoint.address().to_string();
  return request;
}

Response Server::Impl::Handle(Request& request) {
  auto started = std::chrono::steady_clock::now();
  auto given_id = request.headers.GetOr("X-Request-Id", "");
  request.request_id = IsAcceptableRequestId(given_id) ? std::string(given_id) : ids::NewUuidV7();
  request.trace = TraceFrom(request.headers.GetOr("traceparent", ""));
  log::ScopedContext context({request.trace.trace_id, request.trace.span_id, request.request_id});
  auto& registry = metrics::Registry::Global();
  registry.AddGauge("http_server_requests_in_flight", {}, 1);

  Response response;
  try {
    response = application(request);
  } catch (...) {
    response = ResponseForException(std::current_exception(), request);
  }
  registry.AddGauge("http_server_requests_in_flight", {}, -1);
  response.headers.Set("X-Request-Id", request.request_id);
  response.headers.Set("traceparent", request.trace.ToTraceparent());

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::string route = request.route.empty() ? "unmatched" : request.route;
  std::string method(ToString(request.method));
  registry.Increment("http_server_requests_total",
                     {{"method", method}, {"route", route}, {"status", std::to_string(response.status)}});
  registry.Observe("http_server_request_duration_seconds", {{"method", method}, {"route", route}}, seconds);
  bool quiet = request.path == "/healthz" || request.path == "/readyz" || request.path == "/metrics";
  log::Write(response.status >= 500 ? log::Level::Error : (quiet ? log::Level::Debug : log::Level::Info),
             "request completed",
             {{"http.request.method", request.method_text},
              {"url.path", request.path},
              {"http.route", route},
              {"http.response.status_code", response.status},
              {"http.response.body.bytes", response.body.size()},
              {"event.duration", static_cast<std::int64_t>(seconds * 1e9)},
              {"client.address", request.remote_address}});
  return response;
}

template <class Stream>
asio::awaitable<void> Server::Impl::SendProblem(Connection<Stream>& conn, const Error& error, std::string_view path) {
  Response response = ProblemResponse(error, path, ids::NewUuidV7());
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.keep_alive(false);
  message.body() = std::move(response.body);
  message.prepare_payload();
  conn.tcp().expires_after(options.write_timeout);
  boost::system::error_code ec;
  co_await bhttp::async_write(conn.stream, message, asio::redirect_error(asio::use_awaitable, ec));
  metrics::Registry::Global().Increment("http_server_rejected_requests_total",
                                        {{"status", std::to_string(response.status)}});
}

// Headers, then each piece of the body source as a chunk: pieces are pulled on the worker
// pool (the source may block on an upstream), written on the connection's strand, one at a
// time, each under the write deadline. Returns false when the connection must close.
template <class Stream>
asio::awaitable<bool> Server::Impl::WriteStreamed(Connection<Stream>& conn, Response& response, bool keep_alive) {
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(response.status), 11};
  for (const auto& [name, value] : response.headers) head.set(name, value);
  head.erase(bhttp::field::content_length);
  head.keep_alive(keep_alive);
  head.chunked(true);
  boost::system::error_code ec;
  bhttp::response_serializer<bhttp::empty_body> serializer(head);
  conn.tcp().expires_after(options.write_timeout);
  co_await bhttp::async_write_header(conn.stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  auto source = response.stream;
  for (;;) {
    std::optional<std::string> piece;
    bool failed = false;
    try {
      // if/else, not a conditional expression: GCC 12 miscompiles a co_await inside one.
      if (workers) {
        piece = co_await asio::co_spawn(*workers, PullPiece(source), asio::use_awaitable);
      } else {
        piece = source->Next();
      }
    } catch (const std::exception& e) {
      log::Warn("streamed body failed; closing the connection", {{"error.message", e.what()}});
      failed = true;
    }
    if (failed) co_return false;  // no last chunk: the client can tell the body is incomplete
    conn.tcp().expires_after(options.write_timeout);
    if (!piece) {
      // Named, not temporaries: the chunk objects must outlive the suspended write.
      auto last = bhttp::make_chunk_last();
      co_await asio::async_write(conn.stream, last, asio::redirect_error(asio::use_awaitable, ec));
      co_return !ec;
    }
    if (piece->empty()) continue;
    auto chunk = bhttp::make_chunk(asio::buffer(*piece));
    co_await asio::async_write(conn.stream, chunk, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
  }
}

template <class Stream>
asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection<Stream>> conn) {
  const RequestLimits limits{options.header_limit, options.body_limit};
  beast::flat_buffer buffer;
  bool first = true;
  boost::system::error_code ec;
  for (;;) {
    conn->idle = true;
    if (stopping) break;
    // Keep-alive wait: the next request's first byte must come within the idle timeout (the
    // first request of a connection gets the read timeout).
    if (buffer.size() == 0) {
      conn->tcp().expires_after(first ? options.read_timeout : options.idle_timeout);
      std::size_t n =
          co_await conn->stream.async_read_some(buffer.prepare(8192), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;  // closed by the client, idle timeout, or cancelled by Stop()
      buffer.commit(n);
    }
    conn->idle = false;
    first = false;
    detail::RequestParser parser;
    detail::ApplyLimits(parser, limits);
    conn->tcp().expires_after(options.read_timeout);
    std::size_t header_bytes =
        co_await bhttp::async_read_header(conn->stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && detail::HeaderOverLimit(header_bytes, limits)) ec = bhttp::error::header_limit;
    if (!ec) {
      co_await bhttp::async_read(conn->stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec == beast::error::timeout) {
      log::Warn("client too slow; connection closed", {{"event.reason", "read timeout"}});
      break;
    }
    if (ec) {
      if (auto refusal = detail::RefusalFor(ec, limits)) co_await SendProblem(*conn, *refusal, "");
      break;
    }

    bool keep_alive = parser.get().keep_alive();
    Request request = Convert(parser.release(), *conn);
    Response response;
    if (workers) {
      response = co_await asio::co_spawn(
          *workers, [this, &request]() -> asio::awaitable<Response> { co_return Handle(request); },
          asio::use_awaitable);
    } else {
      response = Handle(request);
    }

    keep_alive = keep_alive && !stopping;
    if (response.stream && request.method != Method::Head) {
      if (!co_await WriteStreamed(*conn, response, keep_alive)) break;
      if (!keep_alive) break;
      continue;
    }
    bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
    for (const auto& [name, value] : response.headers) message.set(name, value);
    message.keep_alive(keep_alive);
    message.body() = std::move(response.body);
    message.prepare_payload();
    if (request.method == Method::Head) message.body().clear();  // Content-Length stays that of GET
    conn->tcp().expires_after(options.write_timeout);
    if (request.method == Method::Head) {
      bhttp::response_serializer<bhttp::string_body> serializer(message);
      co_await bhttp::async_write_header(conn->stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await bhttp::async_write(conn->stream, message, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec || !keep_alive) break;
  }
  co_await Close(*conn);
  Forget(conn.get());
}

template <class Stream>
asio::awaitable<void> Server::Impl::Close(Connection<Stream>& conn) {
  boost::system::error_code ec;
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    // close_notify, so the client can tell the end from a truncation; a peer that does not
    // answer it gets a second at most.
    conn.tcp().expires_after(std::min<std::chrono::milliseconds>(options.write_timeout, std::chrono::seconds(1)));
    co_await conn.stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
  }
  conn.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
  conn.tcp().close();
}

void Server::Impl::Forget(ConnectionBase* conn) {
  std::lock_guard lock(mutex);
  connections.erase(conn);
  changed.notify_all();
}

// False once Stop() has begun: it set `stopping` and took its list of connections under the
// same lock, so a connection accepted meanwhile is closed here instead of outliving the stop.
template <class Stream>
bool Server::Impl::Track(const std::shared_ptr<Connection<Stream>>& conn) {
  std::lock_guard lock(mutex);
  if (stopping) return false;
  connections[conn.get()] = conn;
  return true;
}

// The handshake, under the read deadline, then the same session as a plain connection. A
// failed handshake (a plain HTTP request, an old protocol, no common cipher, a client that
// does not trust the certificate) ends this connection only.
asio::awaitable<void> Server::Impl::ServeTls(std::shared_ptr<Connection<TlsStream>> conn) {
  boost::system::error_code ec;
  if (stopping) {  // Stop()'s cancel may have come before the handshake began
    conn->tcp().close();
    Forget(conn.get());
    co_return;
  }
  conn->tcp().expires_after(options.read_timeout);
  co_await conn->stream.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    std::string peer;
    boost::system::error_code ignored;
    auto endpoint = conn->tcp().socket().remote_endpoint(ignored);
    if (!ignored) peer = endpoint.address().to_string();
    log::Debug("TLS handshake failed; connection closed", {{"error.message", ec.message()}, {"client.address", peer}});
    conn->tcp().close();
    Forget(conn.get());
    co_return;
  }
  co_await Serve(std::move(conn));
}

asio::awaitable<void> Server::Impl::Listen() {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket(asio::make_strand(io));
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return;
      log::Warn("accept failed", {{"error.message", ec.message()}});
      asio::steady_timer pause(io, std::chrono::milliseconds(50));  // e.g. out of file descriptors
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    if (tls) {
      auto conn = std::make_shared<Connection<TlsStream>>(std::move(socket), *tls);
      if (!Track(conn)) co_return;  // the socket closes with `conn`
      asio::co_spawn(conn->executor(), ServeTls(conn), asio::detached);
    } else {
      auto conn = std::make_shared<Connection<PlainStream>>(std::move(socket));
      if (!Track(conn)) co_return;
      asio::co_spawn(conn->executor(), Serve(conn), asio::detached);
    }
  }
}

Server::Server(ServerOptions options, Application application)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(application))) {}

Server::~Server() {
  Stop();
}

void Server::Start() {
  auto& impl = *impl_;
  if (impl.options.tls) {
    auto made = MakeTlsContext(*impl.options.tls);
    if (auto* problem = std::get_if<TlsProblem>(&made)) throw std::runtime_error("TLS: " + problem->message);
    impl.tls = std::get<std::shared_ptr<asio::ssl::context>>(std::move(made));
  }
  boost::system::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address(impl.options.address, ec), impl.options.port);
  if (ec) throw std::runtime_error("invalid listen address '" + impl.options.address + "'");
  impl.acceptor.open(endpoint.protocol());
  impl.acceptor.set_option(asio::socket_base::reuse_address(true));
  impl.acceptor.bind(endpoint, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + impl.options.address + ":" + std::to_string(impl.options.port) +
                             ": " + ec.message());
  }
  impl.acceptor.listen(asio::socket_base::max_listen_connections);
  impl.bound_port = impl.acceptor.local_endpoint().port();
  asio::co_spawn(impl.io, impl.Listen(), asio::detached);
  const std::size_t threads =
      impl.options.dispatch == Dispatch::Inline ? impl.options.worker_threads : impl.options.io_threads;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) {
    impl.io_threads.emplace_back([&impl] { impl.io.run(); });
  }
}

std::uint16_t Server::port() const {
  return impl_->bound_port;
}

std::size_t Server::active_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections.size();
}

void Server::RunUntilSignalled() {
  auto& impl = *impl_;
  asio::signal_set signals(impl.io, SIGINT, SIGTERM);
  signals.async_wait([&impl](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::Info("signal received; shutting down gracefully", {{"process.signal", signal}});
    std::lock_guard lock(impl.mutex);
    impl.stop_requested = true;
    impl.changed.notify_all();
  });
  {
    std::unique_lock lock(impl.mutex);
    impl.changed.wait(lock, [&impl] { return impl.stop_requested; });
  }
  boost::system::error_code ignored;
  signals.cancel(ignored);
  Stop();
}

void Server::Stop() {
  auto& impl = *impl_;
  {
    std::lock_guard lock(impl.mutex);
    impl.stop_requested = true;
    impl.changed.notify_all();
    if (impl.stopped) return;
    impl.stopped = true;
  }
  if (impl.io_threads.empty()) return;
  // Closed before io.stop() can come: an acceptor left open would keep (and leave unanswered)
  // the connections in its backlog until the server is destroyed.
  std::promise<void> acceptor_closed;
  asio::post(impl.io, [&impl, &acceptor_closed] {
    boost::system::error_code ignored;
    impl.acceptor.close(ignored);
    acceptor_closed.set_value();
  });
  acceptor_closed.get_future().wait();
  // Idle keep-alive connections are closed now; busy ones close after their response.
  std::vector<std::shared_ptr<ConnectionBase>> open;
  {
    std::lock_guard lock(impl.mutex);
    impl.stopping = true;
    for (auto& [raw, weak] : impl.connections) {
      if (auto conn = weak.lock()) open.push_back(std::move(conn));
    }
  }
  for (auto& conn : open) {
    asio::post(conn->executor(), [conn] {
      if (conn->idle) conn->Cancel();
    });
  }
  open.clear();
  {
    std::unique_lock lock(impl.mutex);
    bool drained =
        impl.changed.wait_for(lock, impl.options.shutdown_grace, [&impl] { return impl.connections.empty(); });
    if (!drained)
      log::Warn("shutdown grace period over; closing remaining connections",
                {{"connections", impl.connections.size()}});
  }
  impl.io.stop();
  for (auto& t : impl.io_threads) t.join();
  impl.io_threads.clear();
  if (impl.workers) impl.workers->join();
}

}  // namespace pharmasys::http
