#include "pharmasys/redis/redis.hpp"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <mutex>
#include <optional>

#include "pharmasys/http/message.hpp"

namespace pharmasys::redis {
namespace {

using Clock = std::chrono::steady_clock;

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

// hiredis writes with write(2): a peer that closed the connection would raise SIGPIPE and end
// the process. As libpq does, block it around the call and swallow one raised meanwhile.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec now{};
        sigtimedwait(&pipe_, nullptr, &now);
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t previous_{};
  bool was_pending_ = false;
};

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

std::optional<int> ParseNumber(std::string_view text, int min, int max) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

Reply Convert(const redisReply& r) {
  Reply out;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::Integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      out.type = r.type == REDIS_REPLY_STRING ? Reply::Type::String : Reply::Type::Status;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::Array;
      for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(Convert(*r.element[i]));
      break;
    default: out.type = Reply::Type::Nil;
  }
  return out;
}

// INCR, and an expiry when the key has none: the first increment of a window starts it.
constexpr const char* kWindowScript =
    "local n = redis.call('INCR', KEYS[1])\n"
    "local ttl = redis.call('PTTL', KEYS[1])\n"
    "if ttl < 0 then\n"
    "  redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
    "  ttl = tonumber(ARGV[1])\n"
    "end\n"
    "return {n, ttl}\n";

}  // namespace

Endpoint ParseUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme)) throw std::invalid_argument("expected a redis:// URL");
  std::string_view rest = url.substr(kScheme.size());
  auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  Endpoint e;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    e.user = http::PercentDecode(userinfo.substr(0, colon), false);
    if (colon != std::string_view::npos) e.password = http::PercentDecode(userinfo.substr(colon + 1), false);
  }
  std::string_view port;
  if (authority.starts_with('[')) {  // [IPv6]:port
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw std::invalid_argument("unterminated IPv6 address in the Redis URL");
    e.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || after.size() == 1))
      throw std::invalid_argument("bad port in the Redis URL");
    if (!after.empty()) port = after.substr(1);
  } else {
    auto colon = authority.rfind(':');
    e.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) throw std::invalid_argument("bad port in the Redis URL");
    }
  }
  if (e.host.empty()) throw std::invalid_argument("the Redis URL has no host");
  if (!port.empty()) {
    auto p = ParseNumber(port, 1, 65535);
    if (!p) throw std::invalid_argument("bad port in the Redis URL");
    e.port = *p;
  }
  if (path.starts_with('/')) {
    std::string_view db = path.substr(1);
    db = db.substr(0, db.find('?'));
    if (!db.empty()) {
      auto n = ParseNumber(db, 0, 1 << 20);
      if (!n) throw std::invalid_argument("bad database number in the Redis URL");
      e.database = *n;
    }
  }
  return e;
}

struct Client::Impl {
  Options options;
  Endpoint endpoint;
  std::string where;  // host:port, for messages
  mutable std::mutex mutex;
  std::vector<Context> idle;
  Clock::time_point unavailable_until{};
  std::string last_failure;

  // A pooled connection, or nullptr when none is idle. Throws while Redis is marked unavailable.
  Context TakeIdle() {
    std::lock_guard lock(mutex);
    if (Clock::now() < unavailable_until) throw RedisError(RedisError::Kind::Unavailable, last_failure);
    if (idle.empty()) return nullptr;
    Context c = std::move(idle.back());
    idle.pop_back();
    return c;
  }

  void GiveBack(Context c) {
    if (c->err != 0) return;
    std::lock_guard lock(mutex);
    if (idle.size() < options.max_idle) idle.push_back(std::move(c));
  }

  // Calls fail at once until the retry interval is over; the pooled connections are suspect.
  void MarkUnavailable(const std::string& why) {
    std::lock_guard lock(mutex);
    unavailable_until = Clock::now() + options.retry_interval;
    last_failure = why;
    idle.clear();
  }

  // One command on one connection: the reply, or nullptr with the connection's error set.
  static std::pair<ReplyPtr, int> Exec(redisContext* c, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    SigpipeGuard guard;
    errno = 0;
    void* raw = redisCommandArgv(c, static_cast<int>(args.size()), argv.data(), lengths.data());
    int error = errno;
    return {ReplyPtr(static_cast<redisReply*>(raw)), error};
  }

  Context Connect() {
    Context c(redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, ToTimeval(options.connect_timeout)));
    if (!c || c->err != 0) {
      std::string why = "Redis at " + where + " unreachable: " + (c ? std::string(c->errstr) : "out of memory");
      MarkUnavailable(why);
      throw RedisError(RedisError::Kind::Unavailable, why);
    }
    if (redisSetTimeout(c.get(), ToTimeval(options.command_timeout)) != REDIS_OK) {
      throw RedisError(RedisError::Kind::Unavailable, "cannot set the Redis command timeout");
    }
    redisEnableKeepAlive(c.get());
    auto setup = [&](const std::vector<std::string>& args, std::string_view what) {
      auto [reply, error] = Exec(c.get(), args);
      if (!reply || reply->type == REDIS_REPLY_ERROR) {
        std::string why = "Redis at " + where + ": " + std::string(what) + " failed";
        if (reply) why += ": " + std::string(reply->str, reply->len);
        MarkUnavailable(why);
        throw RedisError(RedisError::Kind::Unavailable, why);
      }
    };
    if (!endpoint.password.empty()) {
      if (endpoint.user.empty())
        setup({"AUTH", endpoint.password}, "AUTH");
      else
        setup({"AUTH", endpoint.user, endpoint.password}, "AUTH");
    }
    if (endpoint.database != 0) setup({"SELECT", std::to_string(endpoint.database)}, "SELECT");
    return c;
  }

  Reply Run(const std::vector<std::string>& args) {
    for (int attempt = 0;; ++attempt) {
      Context c = TakeIdle();
      const bool reused = c != nullptr;
      if (!reused) c = Connect();
      auto [reply, error] = Exec(c.get(), args);
      if (reply) {
        if (reply->type == REDIS_REPLY_ERROR) {
          std::string message(reply->str, reply->len);
          GiveBack(std::move(c));
          throw RedisError(RedisError::Kind::Reply, "Redis: " + message);
        }
        Reply out = Convert(*reply);
        GiveBack(std::move(c));
        return out;
      }
      if (c->err == REDIS_ERR_IO && (error == EAGAIN || error == EWOULDBLOCK)) {
        std::string why =
            "Redis at " + where + " did not answer within " + std::to_string(options.command_timeout.count()) + " ms";
        MarkUnavailable(why);
        throw RedisError(RedisError::Kind::Timeout, why);
      }
      std::string why = "Redis at " + where + ": " + c->errstr;
      if (reused && attempt == 0) continue;  // a stale pooled connection: once more on a new one
      MarkUnavailable(why);
      throw RedisError(RedisError::Kind::Connection, why);
    }
  }
};

Client::Client(Options options) : impl_(std::make_unique<Impl>()) {
  impl_->endpoint = ParseUrl(options.url);
  impl_->where = impl_->endpoint.host + ":" + std::to_string(impl_->endpoint.port);
  impl_->options = std::move(options);
}

Client::~Client() = default;

Reply Client::Command(const std::vector<std::string>& args) {
  if (args.empty()) throw std::invalid_argument("a Redis command needs a name");
  return impl_->Run(args);
}

void Client::Ping() {
  Reply r = Command({"PING"});
  if (r.type != Reply::Type::Status || r.text != "PONG") {
    throw RedisError(RedisError::Kind::Reply, "Redis answered PING with something other than PONG");
  }
}

WindowCount Client::IncrementWindow(const std::string& key, std::chrono::milliseconds window) {
  Reply r = Command({"EVAL", kWindowScript, "1", key, std::to_string(std::max<std::int64_t>(1, window.count()))});
  if (r.type != Reply::Type::Array || r.elements.size() != 2 || r.elements[0].type != Reply::Type::Integer ||
      r.elements[1].type != Reply::Type::Integer) {
    throw RedisError(RedisError::Kind::Reply, "unexpected answer from the window counter script");
  }
  return {r.elements[0].integer, std::chrono::milliseconds(r.elements[1].integer)};
}

std::size_t Client::idle_connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->idle.size();
}

}  // namespace pharmasys::redis
