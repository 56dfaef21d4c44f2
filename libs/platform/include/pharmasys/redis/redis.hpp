#pragma once
// Redis over hiredis, synchronous: calls block the calling thread (a worker, never an event
// loop) and are safe from many threads at once. Connections live in a small pool; connect
// and every command have a deadline; a connection that saw any error is dropped and a new one
// is made on the next call. After a failed connect or a timeout, calls fail at once for
// `retry_interval` instead of each paying the timeout again: a dead Redis costs its callers
// nothing (the gateway's rate limiter counts locally meanwhile).
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pharmasys::redis {

class RedisError : public std::runtime_error {
 public:
  // Unavailable: cannot connect, or still inside the retry interval after a failure.
  // Timeout: no answer within the command timeout. Connection: the connection broke.
  // Reply: Redis answered with an error (a bad command; the connection stays usable).
  enum class Kind { Unavailable, Timeout, Connection, Reply };
  RedisError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct Options {
  std::string url;  // redis://[[user]:password@]host[:port][/database]
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};
  std::chrono::milliseconds retry_interval{1000};
  std::size_t max_idle = 8;  // connections kept open between calls
};

// A redis:// URL taken apart. Throws std::invalid_argument naming what is wrong (never the
// password).
struct Endpoint {
  std::string host;
  int port = 6379;
  std::string user;
  std::string password;
  int database = 0;
};
Endpoint ParseUrl(std::string_view url);

struct Reply {
  enum class Type { Nil, Integer, String, Status, Array };
  Type type = Type::Nil;
  long long integer = 0;
  std::string text;  // String and Status
  std::vector<Reply> elements;
};

// A fixed-window counter after its increment: the count in the current window and the time
// until the window ends.
struct WindowCount {
  std::int64_t count = 0;
  std::chrono::milliseconds resets_in{0};
};

class Client {
 public:
  // Parses the URL (std::invalid_argument when malformed); connects lazily on the first call.
  explicit Client(Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Runs one command. Throws RedisError. A command that fails on a pooled connection before
  // any answer (Redis restarted, the connection is stale) is sent once more on a new
  // connection, so it may run twice: use it for commands where that is harmless.
  Reply Command(const std::vector<std::string>& args);
  // PING; throws RedisError unless Redis answers PONG.
  void Ping();
  // Increments `key` and, when the key has no expiry yet (the first increment of a window),
  // makes it expire after `window`: one atomic script, so a crash never leaves a counter
  // that lives forever.
  WindowCount IncrementWindow(const std::string& key, std::chrono::milliseconds window);

  std::size_t idle_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pharmasys::redis
