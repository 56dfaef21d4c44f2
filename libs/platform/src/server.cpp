#include "pharmasys/http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

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

// One open connection: its stream lives on its own strand.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for the next request (touched on the strand only)
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Application a)
      : options(std::move(o)), application(std::move(a)), workers(options.worker_threads), acceptor(io) {}

  ServerOptions options;
  Application application;
  asio::io_context io;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  std::vector<std::thread> io_threads;
  std::uint16_t bound_port = 0;

  std::mutex mutex;
  std::condition_variable changed;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;
  bool stop_requested = false;
  bool stopped = false;
  std::atomic<bool> stopping{false};

  Response Handle(Request& request);
  asio::awaitable<void> Listen();
  asio::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  asio::awaitable<void> SendProblem(Connection& conn, const Error& error, std::string_view path);
  asio::awaitable<bool> WriteStreamed(Connection& conn, Response& response, bool keep_alive);
  static Request Convert(bhttp::request<bhttp::string_body>&& message, const Connection& conn);
};

Request Server::Impl::Convert(bhttp::request<bhttp::string_body>&& message, const Connection& conn) {
  Request request = detail::ToRequest(std::move(message));
  boost::system::error_code ec;
  auto endpoint = conn.stream.socket().remote_endpoint(ec);
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

asio::awaitable<void> Server::Impl::SendProblem(Connection& conn, const Error& error, std::string_view path) {
  Response response = ProblemResponse(error, path, ids::NewUuidV7());
  bhttp::response<bhttp::string_body> message{static_cast<bhttp::status>(response.status), 11};
  for (const auto& [name, value] : response.headers) message.set(name, value);
  message.keep_alive(false);
  message.body() = std::move(response.body);
  message.prepare_payload();
  conn.stream.expires_after(options.write_timeout);
  boost::system::error_code ec;
  co_await bhttp::async_write(conn.stream, message, asio::redirect_error(asio::use_awaitable, ec));
  metrics::Registry::Global().Increment("http_server_rejected_requests_total",
                                        {{"status", std::to_string(response.status)}});
}

// Headers, then each piece of the body source as a chunk: pieces are pulled on the worker
// pool (the source may block on an upstream), written on the connection's strand, one at a
// time, each under the write deadline. Returns false when the connection must close.
asio::awaitable<bool> Server::Impl::WriteStreamed(Connection& conn, Response& response, bool keep_alive) {
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(response.status), 11};
  for (const auto& [name, value] : response.headers) head.set(name, value);
  head.erase(bhttp::field::content_length);
  head.keep_alive(keep_alive);
  head.chunked(true);
  boost::system::error_code ec;
  bhttp::response_serializer<bhttp::empty_body> serializer(head);
  conn.stream.expires_after(options.write_timeout);
  co_await bhttp::async_write_header(conn.stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  auto source = response.stream;
  for (;;) {
    std::optional<std::string> piece;
    bool failed = false;
    try {
      piece = co_await asio::co_spawn(workers, PullPiece(source), asio::use_awaitable);
    } catch (const std::exception& e) {
      log::Warn("streamed body failed; closing the connection", {{"error.message", e.what()}});
      failed = true;
    }
    if (failed) co_return false;  // no last chunk: the client can tell the body is incomplete
    conn.stream.expires_after(options.write_timeout);
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

asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection> conn) {
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
      conn->stream.expires_after(first ? options.read_timeout : options.idle_timeout);
      std::size_t n =
          co_await conn->stream.async_read_some(buffer.prepare(8192), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;  // closed by the client, idle timeout, or cancelled by Stop()
      buffer.commit(n);
    }
    conn->idle = false;
    first = false;
    detail::RequestParser parser;
    detail::ApplyLimits(parser, limits);
    conn->stream.expires_after(options.read_timeout);
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
    Response response = co_await asio::co_spawn(
        workers, [this, &request]() -> asio::awaitable<Response> { co_return Handle(request); }, asio::use_awaitable);

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
    conn->stream.expires_after(options.write_timeout);
    if (request.method == Method::Head) {
      bhttp::response_serializer<bhttp::string_body> serializer(message);
      co_await bhttp::async_write_header(conn->stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await bhttp::async_write(conn->stream, message, asio::redirect_error(asio::use_awaitable, ec));
    }
    if (ec || !keep_alive) break;
  }
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  conn->stream.close();
  std::lock_guard lock(mutex);
  connections.erase(conn.get());
  changed.notify_all();
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
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mutex);
      connections[conn.get()] = conn;
    }
    asio::co_spawn(conn->stream.get_executor(), Serve(conn), asio::detached);
  }
}

Server::Server(ServerOptions options, Application application)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(application))) {}

Server::~Server() {
  Stop();
}

void Server::Start() {
  auto& impl = *impl_;
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
  for (std::size_t i = 0; i < std::max<std::size_t>(1, impl.options.io_threads); ++i) {
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
  impl.stopping = true;
  asio::post(impl.io, [&impl] {
    boost::system::error_code ignored;
    impl.acceptor.close(ignored);
  });
  // Idle keep-alive connections are closed now; busy ones close after their response.
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(impl.mutex);
    for (auto& [raw, weak] : impl.connections) {
      if (auto conn = weak.lock()) open.push_back(std::move(conn));
    }
  }
  for (auto& conn : open) {
    asio::post(conn->stream.get_executor(), [conn] {
      if (conn->idle) conn->stream.cancel();
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
  impl.workers.join();
}

}  // namespace pharmasys::http
