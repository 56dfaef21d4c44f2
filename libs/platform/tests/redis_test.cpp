// The Redis client against the test Redis of ./pharmasys test (PHARMASYS_TEST_REDIS_URL), and
// against sockets that refuse or never answer.
#include "pharmasys/redis/redis.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "http_support.hpp"
#include "pharmasys/ids.hpp"

namespace pharmasys::redis {
namespace {

using namespace std::chrono_literals;
using pharmasys::testing::FreePort;

std::string TestRedisUrl() {
  const char* url = std::getenv("PHARMASYS_TEST_REDIS_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error("PHARMASYS_TEST_REDIS_URL is not set: run the tests with ./pharmasys test");
  }
  return url;
}

std::string UniqueKey() {
  return "test:" + ids::RandomHex(8);
}

// A socket that listens but never accepts: connecting works (the kernel's backlog), answers
// never come.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 16);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { close(fd_); }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// Answers every command of one connection with +PONG (enough for PING).
class PongServer {
 public:
  explicit PongServer(std::uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int yes = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && listen(fd_, 16) == 0;
    thread_ = std::thread([this] {
      conn_ = accept(fd_, nullptr, nullptr);
      if (conn_ < 0) return;
      char buffer[1024];
      while (recv(conn_, buffer, sizeof buffer, 0) > 0) send(conn_, "+PONG\r\n", 7, MSG_NOSIGNAL);
    });
  }
  ~PongServer() {
    shutdown(fd_, SHUT_RDWR);
    if (conn_ >= 0) shutdown(conn_, SHUT_RDWR);
    thread_.join();
    close(fd_);
    if (conn_ >= 0) close(conn_);
  }
  bool bound() const { return bound_; }

 private:
  int fd_ = -1;
  std::atomic<int> conn_{-1};
  bool bound_ = false;
  std::thread thread_;
};

TEST(RedisUrl, ParsesHostPortCredentialsAndDatabase) {
  auto plain = ParseUrl("redis://cache");
  EXPECT_EQ(plain.host, "cache");
  EXPECT_EQ(plain.port, 6379);
  EXPECT_EQ(plain.database, 0);
  EXPECT_TRUE(plain.password.empty());

  auto full = ParseUrl("redis://:s3cret@127.0.0.1:6380/2");
  EXPECT_EQ(full.host, "127.0.0.1");
  EXPECT_EQ(full.port, 6380);
  EXPECT_EQ(full.password, "s3cret");
  EXPECT_TRUE(full.user.empty());
  EXPECT_EQ(full.database, 2);

  auto v6 = ParseUrl("redis://gw:p%40ss@[::1]:7000");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 7000);
  EXPECT_EQ(v6.user, "gw");
  EXPECT_EQ(v6.password, "p@ss");
}

// proves: X5
TEST(RedisUrl, RefusesMalformedUrlsWithoutEchoingThePassword) {
  for (const char* bad : {"http://h:6379", "redis://", "redis://h:0", "redis://h:", "redis://h:abc", "redis://h/x",
                          "redis://[::1", "redis://:pw-not-for-logs@h:99999"}) {
    try {
      ParseUrl(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("pw-not-for-logs"), std::string::npos) << e.what();
    }
  }
}

TEST(RedisClient, RunsCommandsOnOnePooledConnection) {
  Client client({.url = TestRedisUrl()});
  client.Ping();
  auto key = UniqueKey();
  EXPECT_EQ(client.Command({"SET", key, "valor com espaço", "PX", "10000"}).text, "OK");
  auto got = client.Command({"GET", key});
  EXPECT_EQ(got.type, Reply::Type::String);
  EXPECT_EQ(got.text, "valor com espaço");
  EXPECT_EQ(client.Command({"GET", UniqueKey()}).type, Reply::Type::Nil);
  auto id = client.Command({"CLIENT", "ID"});
  ASSERT_EQ(id.type, Reply::Type::Integer);
  EXPECT_EQ(client.Command({"CLIENT", "ID"}).integer, id.integer);  // the same connection, kept alive
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST(RedisClient, AnErrorReplyThrowsAndTheConnectionStaysUsable) {
  Client client({.url = TestRedisUrl()});
  try {
    client.Command({"NO-SUCH-COMMAND"});
    FAIL() << "no error";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.kind(), RedisError::Kind::Reply);
  }
  client.Ping();
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST(RedisClient, WindowCounterCountsAndExpires) {
  Client client({.url = TestRedisUrl()});
  auto key = UniqueKey();
  auto first = client.IncrementWindow(key, 300ms);
  EXPECT_EQ(first.count, 1);
  EXPECT_GT(first.resets_in, 0ms);
  EXPECT_LE(first.resets_in, 300ms);
  auto second = client.IncrementWindow(key, 300ms);
  EXPECT_EQ(second.count, 2);
  EXPECT_LE(second.resets_in, first.resets_in);
  auto ttl = client.Command({"PTTL", key});
  EXPECT_GT(ttl.integer, 0);  // the key always expires
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(client.IncrementWindow(key, 300ms).count, 1);  // a new window
}

TEST(RedisClient, ConcurrentIncrementsAreExact) {
  Client client({.url = TestRedisUrl(), .max_idle = 4});
  auto key = UniqueKey();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) client.IncrementWindow(key, 10s);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(client.IncrementWindow(key, 10s).count, 401);
  EXPECT_LE(client.idle_connections(), 4u);
}

TEST(RedisClient, ReconnectsWhenTheServerDropsItsConnection) {
  Client client({.url = TestRedisUrl()});
  Client other({.url = TestRedisUrl()});
  auto id = client.Command({"CLIENT", "ID"}).integer;
  EXPECT_EQ(other.Command({"CLIENT", "KILL", "ID", std::to_string(id)}).integer, 1);
  client.Ping();  // the pooled connection is dead: the call goes again on a new one
  EXPECT_NE(client.Command({"CLIENT", "ID"}).integer, id);
}

TEST(RedisClient, ARefusedConnectionFailsAndThenFailsFastUntilTheRetryInterval) {
  Client client({.url = "redis://127.0.0.1:" + std::to_string(FreePort()), .retry_interval = 500ms});
  try {
    client.Ping();
    FAIL() << "no error";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.kind(), RedisError::Kind::Unavailable);
    EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos);
  }
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) EXPECT_THROW(client.IncrementWindow(UniqueKey(), 1s), RedisError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 100ms);
}

TEST(RedisClient, TriesAgainOnceTheRetryIntervalIsOver) {
  auto port = FreePort();
  Client client({.url = "redis://127.0.0.1:" + std::to_string(port), .retry_interval = 300ms});
  EXPECT_THROW(client.Ping(), RedisError);
  PongServer server(port);  // Redis is back
  ASSERT_TRUE(server.bound());
  EXPECT_THROW(client.Ping(), RedisError);  // still inside the interval: not even tried
  std::this_thread::sleep_for(350ms);
  EXPECT_NO_THROW(client.Ping());
}

TEST(RedisClient, NoAnswerIsATimeoutWithinTheCommandTimeout) {
  SilentServer silent;
  Client client({.url = silent.url(), .connect_timeout = 300ms, .command_timeout = 300ms, .retry_interval = 5s});
  auto t0 = std::chrono::steady_clock::now();
  try {
    client.Ping();
    FAIL() << "no error";
  } catch (const RedisError& e) {
    EXPECT_EQ(e.kind(), RedisError::Kind::Timeout) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
  // Within the retry interval the next call does not wait again.
  t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(client.Ping(), RedisError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 50ms);
}

}  // namespace
}  // namespace pharmasys::redis
