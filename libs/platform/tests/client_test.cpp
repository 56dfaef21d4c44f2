#include "pharmasys/http/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

#include "http_support.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "pharmasys/log/log.hpp"
#include "stream_support.hpp"

namespace pharmasys::http {
namespace {

using namespace pharmasys::testing;

std::unique_ptr<Server> StartServer(Router& router, std::uint16_t port = 0) {
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = port;
  options.shutdown_grace = 2000ms;
  auto server = std::make_unique<Server>(options, [&router](Request& r) { return router.Dispatch(r); });
  server->Start();
  return server;
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Post("/echo", [](Request& r) {
      auto res = Response::Text(201, r.body);
      res.headers.Set("X-Seen-Key", std::string(r.headers.GetOr("Idempotency-Key", "")));
      return res;
    });
    router_.Get("/sleep", [](Request&) {
      std::this_thread::sleep_for(1500ms);
      return Response::Text(200, "late");
    });
    server_ = StartServer(router_);
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::string base_;
  Client client_;
};

TEST_F(ClientTest, SendsAndReceives) {
  ClientRequest req{Method::Post, base_ + "/echo", {}, R"({"a":1})"};
  req.headers.Set("Idempotency-Key", "k-1");
  req.headers.Set("Content-Type", "application/json");
  auto res = client_.Send(req, 2000ms);
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.body, R"({"a":1})");
  EXPECT_EQ(res.headers.GetOr("X-Seen-Key", ""), "k-1");
}

TEST_F(ClientTest, ReusesKeepAliveConnections) {
  for (int i = 0; i < 10; ++i) {
    auto res = client_.Send({Method::Post, base_ + "/echo", {}, std::to_string(i)}, 2000ms);
    ASSERT_EQ(res.body, std::to_string(i));
  }
  EXPECT_EQ(client_.idle_connections(), 1u);
  EXPECT_EQ(server_->active_connections(), 1u);
}

TEST_F(ClientTest, DeadlineIsEnforced) {
  auto t0 = std::chrono::steady_clock::now();
  try {
    client_.Send({Method::Get, base_ + "/sleep", {}, ""}, 200ms);
    FAIL() << "no timeout";
  } catch (const UpstreamError& e) {
    EXPECT_EQ(e.kind(), UpstreamError::Kind::Timeout);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1400ms);
}

TEST_F(ClientTest, RefusedConnectionIsAConnectError) {
  auto port = FreePort();
  try {
    client_.Send({Method::Get, "http://127.0.0.1:" + std::to_string(port) + "/", {}, ""}, 1000ms);
    FAIL();
  } catch (const UpstreamError& e) {
    EXPECT_EQ(e.kind(), UpstreamError::Kind::Connect);
  }
}

TEST_F(ClientTest, RecoversWhenTheServerClosedAPooledConnection) {
  ASSERT_EQ(client_.Send({Method::Post, base_ + "/echo", {}, "1"}, 2000ms).status, 201);
  ASSERT_EQ(client_.idle_connections(), 1u);
  auto port = server_->port();
  server_.reset();                       // closes the pooled connection from the server side
  server_ = StartServer(router_, port);  // same address, new process state
  auto res = client_.Send({Method::Post, base_ + "/echo", {}, "2"}, 2000ms);
  EXPECT_EQ(res.status, 201);
  EXPECT_EQ(res.body, "2");
}

TEST_F(ClientTest, SafeFromManyThreads) {
  std::vector<std::future<std::string>> calls;
  for (int i = 0; i < 32; ++i) {
    calls.push_back(std::async(std::launch::async, [this, i] {
      return client_.Send({Method::Post, base_ + "/echo", {}, std::to_string(i)}, 5000ms).body;
    }));
  }
  for (int i = 0; i < 32; ++i) EXPECT_EQ(calls[static_cast<std::size_t>(i)].get(), std::to_string(i));
}

TEST_F(ClientTest, ForwardsTheTraceOfTheRequestBeingServed) {
  router_.Get("/seen", [](Request& r) {
    return Response::Text(200, r.trace.trace_id + " " + r.trace.parent_id + " " + r.request_id);
  });
  log::ScopedContext serving({"4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "req-42"});
  auto res = client_.Send({Method::Get, base_ + "/seen", {}, ""}, 2000ms);
  EXPECT_EQ(res.body, "4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 req-42");
}

TEST_F(ClientTest, StreamsABodyPieceByPieceWhileTheServerIsStillProducingIt) {
  auto body = std::make_shared<testing::GatedBody>(5, 100 * 1024);
  router_.Get("/stream", [body](Request&) {
    Response r;
    r.headers.Set("Content-Type", "text/csv");
    r.stream = body;
    return r;
  });
  auto res = client_.SendStreaming({Method::Get, base_ + "/stream", {}, ""}, 5000ms);
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.headers.GetOr("Content-Type", ""), "text/csv");
  EXPECT_EQ(res.headers.GetOr("Transfer-Encoding", ""), "chunked");
  std::size_t received = 0;
  // Four of five pieces arrive while the fifth is still held back by the source.
  while (received < 4 * 100 * 1024) {
    auto piece = res.stream->Next();
    ASSERT_TRUE(piece);
    EXPECT_LE(piece->size(), 64u * 1024);
    received += piece->size();
  }
  body->Open();
  while (auto piece = res.stream->Next()) received += piece->size();
  EXPECT_EQ(received, 5u * 100 * 1024);
  EXPECT_EQ(client_.idle_connections(), 1u);  // read to the end: the connection is reused
  // A streamed response read whole by Send is the same bytes.
  auto again = std::make_shared<testing::GatedBody>(3, 1000);
  again->Open();
  router_.Get("/stream2", [again](Request&) {
    Response r;
    r.stream = again;
    return r;
  });
  EXPECT_EQ(client_.Send({Method::Get, base_ + "/stream2", {}, ""}, 5000ms).body.size(), 3000u);
}

// A server that answers the first request of its first connection, then reads the second
// request of that connection whole and closes without answering (as a process killed after
// doing the work would). Every request on a later connection is answered.
class DroppingServer {
 public:
  DroppingServer() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(listener_, 8) != 0) {
      throw std::runtime_error("DroppingServer: cannot listen");
    }
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }
  ~DroppingServer() {
    stop_ = true;
    thread_.join();
    close(listener_);
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // How many times a request for `path` arrived whole.
  int Seen(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto it = seen_.find(path);
    return it == seen_.end() ? 0 : it->second;
  }

 private:
  void Run() {
    for (int connection = 0; !stop_;) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 50) != 1) continue;
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      Serve(fd, connection++ == 0);
      close(fd);
    }
  }

  void Serve(int fd, bool drop_second) {
    std::string buffer;
    for (int request = 0; !stop_; ++request) {
      std::string path;
      if (!ReadRequest(fd, buffer, path)) return;
      {
        std::lock_guard lock(mutex_);
        ++seen_[path];
      }
      if (drop_second && request == 1) return;  // read whole, never answered
      std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(answer.size())) return;
    }
  }

  // One Content-Length framed request; false when the connection closes or stays silent.
  bool ReadRequest(int fd, std::string& buffer, std::string& path) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (true) {
      auto end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = buffer.substr(0, end);
        std::size_t length = 0;
        std::string lower = head;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (auto at = lower.find("content-length:"); at != std::string::npos) {
          length = std::stoul(lower.substr(at + 15));
        }
        if (buffer.size() >= end + 4 + length) {
          auto first_space = head.find(' ');
          path = head.substr(first_space + 1, head.find(' ', first_space + 1) - first_space - 1);
          buffer.erase(0, end + 4 + length);
          return true;
        }
      }
      if (stop_ || std::chrono::steady_clock::now() > deadline) return false;
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 50) != 1) continue;
      char chunk[4096];
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::map<std::string, int> seen_;
  std::thread thread_;
};

TEST(ClientRetry, APostTheServerReadWholeIsNotSentAgain) {
  DroppingServer server;
  Client client;
  ASSERT_EQ(client.Send({Method::Post, server.base() + "/warm", {}, "1"}, 2000ms).status, 200);
  ASSERT_EQ(client.idle_connections(), 1u);
  // The pooled connection is alive: the POST is written whole on it, then the server goes.
  EXPECT_THROW(client.Send({Method::Post, server.base() + "/effect", {}, "2"}, 2000ms), UpstreamError);
  EXPECT_EQ(server.Seen("/effect"), 1);
}

TEST(ClientRetry, AnIdempotentRequestIsSentAgainOnANewConnection) {
  DroppingServer server;
  Client client;
  ASSERT_EQ(client.Send({Method::Post, server.base() + "/warm", {}, "1"}, 2000ms).status, 200);
  ClientRequest keyed{Method::Post, server.base() + "/keyed", {}, "2"};
  keyed.headers.Set("Idempotency-Key", "k-retry");
  auto res = client.Send(keyed, 2000ms);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ok");
  EXPECT_EQ(server.Seen("/keyed"), 2);  // the server deduplicates by the key

  DroppingServer other;
  ASSERT_EQ(client.Send({Method::Post, other.base() + "/warm", {}, "1"}, 2000ms).status, 200);
  EXPECT_EQ(client.Send({Method::Get, other.base() + "/read", {}, ""}, 2000ms).status, 200);
  EXPECT_EQ(other.Seen("/read"), 2);
}

TEST(ClientUrl, OnlyHttpIsAccepted) {
  Client client;
  EXPECT_THROW(client.Send({Method::Get, "https://127.0.0.1/", {}, ""}, 100ms), UpstreamError);
  EXPECT_THROW(client.Send({Method::Get, "nonsense", {}, ""}, 100ms), UpstreamError);
}

}  // namespace
}  // namespace pharmasys::http
