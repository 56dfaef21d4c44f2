#include "pharmasys/http/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "pharmasys/log/log.hpp"

namespace pharmasys::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Target {
  std::string host;
  std::string port;
  std::string path;  // with query
  std::string Key() const { return host + ":" + port; }
};

Target ParseUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) throw UpstreamError(UpstreamError::Kind::Protocol, "only http:// URLs: " + url);
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  Target t;
  t.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    t.host = std::string(authority);
    t.port = "80";
  } else {
    t.host = std::string(authority.substr(0, colon));
    t.port = std::string(authority.substr(colon + 1));
  }
  if (t.host.empty() || t.port.empty()) throw UpstreamError(UpstreamError::Kind::Protocol, "bad URL: " + url);
  return t;
}

struct Pooled {
  std::unique_ptr<beast::tcp_stream> stream;
  Clock::time_point idle_since;
};

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
};

// A pooled connection the peer has closed (or that holds bytes nobody asked for) is dead: it
// is found out before the request is written, so nothing of it reaches the old peer.
bool IdleConnectionIsDead(beast::tcp_stream& stream) {
  char byte = 0;
  ssize_t n = ::recv(stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  return true;  // 0: the peer closed it; > 0: an answer to no request
}

// Sending the request again on a new connection is safe only when the first attempt cannot
// have had an effect (nothing of it was written) or a second one would not add one.
bool SafeToRetry(const ClientRequest& request, const Outcome& out) {
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
  explicit Impl(ClientOptions o) : options(o), work(asio::make_work_guard(io)), thread([this] { io.run(); }) {}
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
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work;
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, std::deque<Pooled>> idle;

  std::unique_ptr<beast::tcp_stream> TakeIdle(const std::string& key) {
    std::lock_guard lock(mutex);
    auto& queue = idle[key];
    while (!queue.empty()) {
      Pooled p = std::move(queue.back());
      queue.pop_back();
      if (Clock::now() - p.idle_since < options.idle_keepalive) return std::move(p.stream);
    }
    return nullptr;
  }

  void GiveBack(const std::string& key, std::unique_ptr<beast::tcp_stream> stream) {
    std::lock_guard lock(mutex);
    auto& queue = idle[key];
    if (queue.size() < options.max_idle_per_host) queue.push_back({std::move(stream), Clock::now()});
  }

  // Connects (unless the stream is a pooled one) and writes the request, all before
  // `deadline`; failures are left in `out`.
  asio::awaitable<void> ConnectAndWrite(beast::tcp_stream& stream, bool connect, const Target& target,
                                        const ClientRequest& request, Clock::time_point deadline, Outcome& out) {
    boost::system::error_code& ec = out.error;
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
    } else if (IdleConnectionIsDead(stream)) {
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
    std::size_t written = co_await bhttp::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));
    if (ec && written == 0) out.nothing_written = true;
  }

  // The state of one streamed response: its connection, parser and read buffer.
  struct Streamed {
    std::unique_ptr<beast::tcp_stream> stream;
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
    co_await ConnectAndWrite(*s.stream, connect, target, request, deadline, out);
    if (ec) co_return out;
    s.parser.body_limit(boost::none);  // a stream has no total limit; each piece is bounded
    if (request.method == Method::Head) s.parser.skip(true);
    std::size_t n =
        co_await bhttp::async_read_header(*s.stream, s.buffer, s.parser, asio::redirect_error(asio::use_awaitable, ec));
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
      s.stream->expires_after(timeout);
      co_await bhttp::async_read_some(*s.stream, s.buffer, s.parser, asio::redirect_error(asio::use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec == beast::error::timeout) throw UpstreamError(UpstreamError::Kind::Timeout, "body stalled");
      if (ec) throw UpstreamError(UpstreamError::Kind::Protocol, "body interrupted: " + ec.message());
      std::size_t got = s.chunk.size() - s.parser.get().body().size;
      if (got > 0) co_return std::string(s.chunk.data(), got);
    }
    co_return std::nullopt;
  }

  asio::awaitable<Outcome> Exchange(beast::tcp_stream& stream, bool connect, const Target& target,
                                    const ClientRequest& request, Clock::time_point deadline) {
    Outcome out;
    boost::system::error_code& ec = out.error;
    co_await ConnectAndWrite(stream, connect, target, request, deadline, out);
    if (ec) co_return out;

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options.body_limit);
    if (request.method == Method::Head) parser.skip(true);
    std::size_t n =
        co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    out.any_byte_received = n > 0 || buffer.size() > 0;
    if (ec) co_return out;
    if (!parser.is_done()) {
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
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
      asio::post(impl_->io, [s = state_] { s->stream->close(); });
    }
  }
  std::optional<std::string> Next() override {
    if (state_->finished) return std::nullopt;
    auto piece = asio::co_spawn(impl_->io, impl_->ReadPiece(*state_, timeout_), asio::use_future).get();
    if (!piece) {
      state_->finished = true;
      if (state_->parser.get().keep_alive() && state_->buffer.size() == 0) {
        impl_->GiveBack(state_->key, std::move(state_->stream));
      } else {
        asio::post(impl_->io, [s = state_] { s->stream->close(); });
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

ClientResponse Client::SendStreaming(const ClientRequest& original, std::chrono::milliseconds timeout) {
  const ClientRequest request = WithCallerContext(original);
  Target target = ParseUrl(request.url);
  const auto deadline = Clock::now() + timeout;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto state = std::make_shared<Impl::Streamed>();
    state->key = target.Key();
    if (attempt == 0) state->stream = impl_->TakeIdle(state->key);  // the retry takes a new connection
    const bool reused = state->stream != nullptr;
    if (!reused) state->stream = std::make_unique<beast::tcp_stream>(impl_->io);
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
    asio::post(impl_->io, [s = state] { s->stream->close(); });
    if (out.error == beast::error::timeout) {
      throw UpstreamError(UpstreamError::Kind::Timeout,
                          request.url + ": no answer within " + std::to_string(timeout.count()) + " ms");
    }
    if (reused && attempt == 0 && SafeToRetry(request, out)) continue;
    if (out.connect_failed) {
      throw UpstreamError(UpstreamError::Kind::Connect, request.url + ": cannot connect: " + out.error.message());
    }
    throw UpstreamError(UpstreamError::Kind::Protocol, request.url + ": " + out.error.message());
  }
  throw UpstreamError(UpstreamError::Kind::Protocol, request.url + ": connection lost");
}

ClientResponse Client::Send(const ClientRequest& original, std::chrono::milliseconds timeout) {
  const ClientRequest request = WithCallerContext(original);
  Target target = ParseUrl(request.url);
  const auto deadline = Clock::now() + timeout;
  for (int attempt = 0; attempt < 2; ++attempt) {
    // The retry takes a new connection: when the peer restarted, every pooled one is dead.
    auto stream = attempt == 0 ? impl_->TakeIdle(target.Key()) : nullptr;
    const bool reused = stream != nullptr;
    if (!reused) stream = std::make_unique<beast::tcp_stream>(impl_->io);
    auto future =
        asio::co_spawn(impl_->io, impl_->Exchange(*stream, !reused, target, request, deadline), asio::use_future);
    Outcome out = future.get();
    if (!out.error) {
      if (out.keep_alive)
        impl_->GiveBack(target.Key(), std::move(stream));
      else {
        asio::post(impl_->io, [s = std::shared_ptr<beast::tcp_stream>(std::move(stream))] { s->close(); });
      }
      return std::move(out.response);
    }
    // The stream belongs to the I/O thread: close it there.
    asio::post(impl_->io, [s = std::shared_ptr<beast::tcp_stream>(std::move(stream))] { s->close(); });
    if (out.error == beast::error::timeout) {
      throw UpstreamError(UpstreamError::Kind::Timeout,
                          request.url + ": no answer within " + std::to_string(timeout.count()) + " ms");
    }
    if (reused && attempt == 0 && SafeToRetry(request, out)) continue;  // stale keep-alive connection
    if (out.connect_failed) {
      throw UpstreamError(UpstreamError::Kind::Connect, request.url + ": cannot connect: " + out.error.message());
    }
    throw UpstreamError(UpstreamError::Kind::Protocol, request.url + ": " + out.error.message());
  }
  throw UpstreamError(UpstreamError::Kind::Protocol, request.url + ": connection lost");
}

}  // namespace pharmasys::http
