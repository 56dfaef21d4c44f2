#include "pharmasys/http/server.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "env_support.hpp"
#include "http_support.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/service/service.hpp"

namespace pharmasys::http {
namespace {

using namespace pharmasys::testing;

// Every case runs with both dispatches: they differ in which thread runs a handler, not in
// what a client sees.
class ServerTest : public ::testing::TestWithParam<Dispatch> {
 protected:
  void TearDown() override { Release(); }
  void SetUp() override {
    router_.Get("/items/{id}", [](Request& r) { return Response::Text(200, std::string(r.PathParam("id"))); });
    router_.Post("/echo", [](Request& r) { return Response::Text(200, r.body); });
    router_.Get("/slow", [this](Request&) {
      // Blocks until the test releases it (or 10 s pass), like a handler waiting on a database.
      std::unique_lock lock(mutex_);
      slow_started_ = true;
      released_.wait_for(lock, 10s, [this] { return release_; });
      return Response::Text(200, "slow done");
    });
    router_.Get("/boom", [](Request&) -> Response { throw std::runtime_error("database password=hunter2 leaked?"); });
    router_.Get("/conflict", [](Request&) -> Response { throw Conflict("já existe"); });
    router_.Get("/trace", [](Request& r) { return Response::Text(200, r.trace.trace_id + " " + r.request_id); });
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.header_limit = 2048;
    options.body_limit = 1024;
    options.read_timeout = 400ms;
    options.idle_timeout = 5000ms;
    options.shutdown_grace = 5000ms;
    options.worker_threads = 8;
    options.dispatch = GetParam();
    server_ = std::make_unique<Server>(options, [this](Request& r) { return router_.Dispatch(r); });
    server_->Start();
    port_ = server_->port();
  }

  Router router_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  void Release() {
    std::lock_guard lock(mutex_);
    release_ = true;
    released_.notify_all();
  }
  bool SlowStarted() {
    std::lock_guard lock(mutex_);
    return slow_started_;
  }

  std::mutex mutex_;
  std::condition_variable released_;
  bool release_ = false;
  bool slow_started_ = false;
};

TEST_P(ServerTest, RoutesWithPathParameters) {
  auto r = Get(port_, "/items/42");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "42");
  EXPECT_FALSE(r.headers["x-request-id"].empty());
}

TEST_P(ServerTest, UnknownPathIsAProblemDocument) {
  auto r = Get(port_, "/nothing/here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers["content-type"], "application/problem+json");
  auto body = json::Parse(r.body);
  EXPECT_EQ(body.at("type").as_string(), "https://pharmasys.dev/problemas/nao-encontrado");
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("instance").as_string(), "/nothing/here");
  EXPECT_FALSE(body.at("title").as_string().empty());
  EXPECT_FALSE(body.at("detail").as_string().empty());
  EXPECT_EQ(body.at("request_id").as_string(), r.headers["x-request-id"]);
}

TEST_P(ServerTest, WrongMethodIs405WithAllow) {
  auto r = Exchange(port_, "DELETE /items/1 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET");
  EXPECT_EQ(r.headers["content-type"], "application/problem+json");
}

TEST_P(ServerTest, TypedErrorBecomesItsProblem) {
  auto r = Get(port_, "/conflict");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(json::Parse(r.body).at("type").as_string(), "https://pharmasys.dev/problemas/conflito");
}

// proves: X4
TEST_P(ServerTest, OversizedBodyIs413) {
  std::string body(5000, 'x');
  RawConnection c(port_);
  c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + body);
  auto r = c.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(json::Parse(r.body).at("type").as_string(), "https://pharmasys.dev/problemas/corpo-muito-grande");
  // A body within the limit still works.
  auto ok = Exchange(port_, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "hello");
}

// proves: X4
TEST_P(ServerTest, OversizedChunkedBodyIs413) {
  std::string chunk(800, 'y');
  RawConnection c(port_);
  c.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
  for (int i = 0; i < 3; ++i) c.Send("320\r\n" + chunk + "\r\n");
  c.Send("0\r\n\r\n");
  EXPECT_EQ(c.Read().status, 413);
}

TEST_P(ServerTest, OversizedHeadersAre431) {
  auto r = Exchange(port_, "GET /items/1 HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.headers["content-type"], "application/problem+json");
}

// Beast alone holds the header limit only within one read; a header block arriving in
// pieces must add up to the same 431 (2,048 bytes here: two pieces of about 1,400).
TEST_P(ServerTest, OversizedHeadersSentInPiecesAre431) {
  auto lines = [](int from, int to) {
    std::string out;
    for (int i = from; i < to; ++i) out += "H" + std::to_string(i % 10) + ": x\r\n";
    return out;
  };
  RawConnection c(port_);
  ASSERT_TRUE(c.Send("GET /items/1 HTTP/1.1\r\nHost: t\r\n" + lines(0, 200)));
  std::this_thread::sleep_for(50ms);  // its own read
  c.Send(lines(200, 400) + "\r\n");
  EXPECT_EQ(c.Read().status, 431);
}

// proves: X4
TEST_P(ServerTest, MalformedRequestsAre400AndTheServerKeepsServing) {
  for (const char* garbage : {"HELLO\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nNo colon here\r\n\r\n",
                              "POST /echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                              "GET /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
    auto r = Exchange(port_, garbage);
    EXPECT_EQ(r.status, 400) << garbage;
    if (r.status == 400) {
      EXPECT_EQ(r.headers["content-type"], "application/problem+json");
    }
  }
  EXPECT_EQ(Get(port_, "/items/7").body, "7");
}

TEST_P(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  RawConnection c(port_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(c.Send("GET /items/" + std::to_string(i) + " HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.Read();
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body, std::to_string(i));
  }
  // Pipelined: two requests in one write, two answers in order.
  c.Send("GET /items/a HTTP/1.1\r\nHost: t\r\n\r\nGET /items/b HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(c.Read().body, "a");
  EXPECT_EQ(c.Read().body, "b");
  EXPECT_EQ(server_->active_connections(), 1u);
}

TEST_P(ServerTest, ConnectionCloseIsHonoured) {
  RawConnection c(port_);
  c.Send("GET /items/1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(c.Read().status, 200);
  EXPECT_TRUE(c.ClosedByPeer(2000ms));
}

TEST_P(ServerTest, SlowClientIsCutOff) {
  RawConnection c(port_);
  c.Send("GET /items/1 HTTP/1.1\r\nHo");  // and then nothing: the read deadline (400 ms) closes it
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByPeer(3000ms));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms);
  EXPECT_TRUE(Eventually([&] { return server_->active_connections() == 0; }, 2000ms));
}

TEST_P(ServerTest, SilentConnectionIsCutOff) {
  RawConnection c(port_);  // connects and never sends a byte
  EXPECT_TRUE(c.ClosedByPeer(3000ms));
}

// proves: X4 X5
TEST_P(ServerTest, HandlerExceptionIsA500ProblemAndNothingInternalLeaks) {
  RawConnection c(port_);
  c.Send("GET /boom HTTP/1.1\r\nHost: t\r\nX-Request-Id: abc-123\r\n\r\n");
  auto r = c.Read();
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.headers["x-request-id"], "abc-123");
  auto body = json::Parse(r.body);
  EXPECT_EQ(body.at("request_id").as_string(), "abc-123");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
  // The connection is not dropped: the next request on it is served.
  c.Send("GET /items/9 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(c.Read().body, "9");
}

TEST_P(ServerTest, RequestIdAndTraceparentArePropagated) {
  auto r = Exchange(port_,
                    "GET /trace HTTP/1.1\r\nHost: t\r\nX-Request-Id: my-req\r\n"
                    "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n");
  EXPECT_EQ(r.body, "4bf92f3577b34da6a3ce929d0e0e4736 my-req");
  EXPECT_EQ(r.headers["x-request-id"], "my-req");
  const std::string& tp = r.headers["traceparent"];
  ASSERT_EQ(tp.size(), 55u);
  EXPECT_EQ(tp.substr(3, 32), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_NE(tp.substr(36, 16), "00f067aa0ba902b7");  // our own span
  // Without (or with a broken) traceparent a new trace starts.
  auto fresh = Exchange(port_, "GET /trace HTTP/1.1\r\nHost: t\r\ntraceparent: 00-zz-yy-01\r\n\r\n");
  EXPECT_EQ(fresh.body.substr(0, 32).size(), 32u);
  EXPECT_NE(fresh.body.substr(0, 32), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_P(ServerTest, ASlowHandlerDoesNotBlockOthers) {
  auto slow = std::async(std::launch::async, [&] { return Get(port_, "/slow"); });
  ASSERT_TRUE(Eventually([&] { return SlowStarted(); }, 3000ms));
  auto fast = Get(port_, "/items/1");
  EXPECT_EQ(fast.status, 200);
  // The fast answer came while the slow handler was still blocked.
  EXPECT_EQ(slow.wait_for(0ms), std::future_status::timeout);
  Release();
  EXPECT_EQ(slow.get().body, "slow done");
}

TEST_P(ServerTest, GracefulShutdownFinishesInFlightRequests) {
  RawConnection idle(port_);  // an idle keep-alive connection
  idle.Send("GET /items/1 HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_EQ(idle.Read().status, 200);

  auto slow = std::async(std::launch::async, [&] { return Get(port_, "/slow"); });
  ASSERT_TRUE(Eventually([&] { return SlowStarted(); }, 3000ms));
  auto stopped_in = std::async(std::launch::async, [&] {
    auto t0 = std::chrono::steady_clock::now();
    server_->Stop();
    return std::chrono::steady_clock::now() - t0;
  });
  // The idle connection is closed at once, while the in-flight request is still running.
  EXPECT_TRUE(idle.ClosedByPeer(2000ms));
  EXPECT_EQ(stopped_in.wait_for(0ms), std::future_status::timeout);
  Release();
  auto in_flight = slow.get();
  EXPECT_EQ(in_flight.status, 200);
  EXPECT_EQ(in_flight.body, "slow done");
  // Stop waited for the request, not for the idle connection's 5 s keep-alive.
  EXPECT_LT(stopped_in.get(), 4000ms);
  RawConnection after(port_);
  EXPECT_FALSE(after.connected() && after.Send("GET /items/1 HTTP/1.1\r\n\r\n") && after.Read(500ms).status == 200);
}

TEST_P(ServerTest, ManyConcurrentClients) {
  std::vector<std::future<RawResponse>> calls;
  for (int i = 0; i < 64; ++i) {
    calls.push_back(std::async(std::launch::async, [&, i] { return Get(port_, "/items/" + std::to_string(i)); }));
  }
  for (int i = 0; i < 64; ++i) EXPECT_EQ(calls[static_cast<std::size_t>(i)].get().body, std::to_string(i));
}

TEST(ServerOptionsFromEnv, DispatchIsTheCallersDefaultUnlessTheVariableSaysOtherwise) {
  fake_env.clear();
  config::Env env(&FakeEnv);
  EXPECT_EQ(ServerOptionsFromEnv(env, 8081).dispatch, Dispatch::Pool);
  EXPECT_EQ(ServerOptionsFromEnv(env, 8085, kServiceWorkers, Dispatch::Inline).dispatch, Dispatch::Inline);
  fake_env["PHARMASYS_HTTP_DISPATCH"] = "pool";
  EXPECT_EQ(ServerOptionsFromEnv(env, 8085, kServiceWorkers, Dispatch::Inline).dispatch, Dispatch::Pool);
  fake_env["PHARMASYS_HTTP_DISPATCH"] = "inline";
  EXPECT_EQ(ServerOptionsFromEnv(env, 8081).dispatch, Dispatch::Inline);
  EXPECT_NO_THROW(env.Check());
  fake_env["PHARMASYS_HTTP_DISPATCH"] = "threads";
  ServerOptionsFromEnv(env, 8081);
  try {
    env.Check();
    FAIL() << "an unknown dispatch was accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("PHARMASYS_HTTP_DISPATCH: 'threads' is neither inline nor pool"),
              std::string::npos)
        << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Dispatches, ServerTest, ::testing::Values(Dispatch::Inline, Dispatch::Pool),
                         [](const ::testing::TestParamInfo<Dispatch>& param) {
                           return param.param == Dispatch::Inline ? std::string("Inline") : std::string("Pool");
                         });

}  // namespace
}  // namespace pharmasys::http
