// http::Client over https:// against a real TLS server on loopback, with certificates made by
// the openssl command line for each run: a test CA, server certificates it signed (for
// localhost and 127.0.0.1, for another host, an expired one) and a self-signed one.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "http_support.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"

namespace pharmasys::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
using namespace pharmasys::testing;

// The certificates of this run, in a temporary folder.
class Certificates {
 public:
  Certificates() {
    std::string pattern = (fs::temp_directory_path() / "pharmasys-tls-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem"
        " -days 2 -subj '/CN=PharmaSys Test CA' -addext basicConstraints=critical,CA:TRUE"
        " -addext keyUsage=critical,keyCertSign,cRLSign");
    Signed("localhost", "DNS:localhost,IP:127.0.0.1", "2");
    Signed("other", "DNS:other.example", "2");
    Signed("expired", "DNS:localhost,IP:127.0.0.1", "-1");  // not after is a day before not before
    Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout selfsigned.key"
        " -out selfsigned.pem -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1");
  }
  ~Certificates() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string Path(const std::string& file) const { return (dir_ / file).string(); }

 private:
  void Run(const std::string& command) const {
    std::string line = "cd '" + dir_.string() + "' && " + command + " >openssl.log 2>&1";
    if (std::system(line.c_str()) != 0) {  // NOLINT(cert-env33-c): the test's own fixed commands
      std::ifstream log(dir_ / "openssl.log");
      throw std::runtime_error("openssl failed: " + command + "\n" +
                               std::string(std::istreambuf_iterator<char>(log), {}));
    }
  }
  // <name>.pem and <name>.key: a server certificate with these subject alternative names, signed
  // by the test CA, valid for `days`.
  void Signed(const std::string& name, const std::string& names, const std::string& days) const {
    std::ofstream(dir_ / (name + ".ext")) << "subjectAltName=" << names << "\nextendedKeyUsage=serverAuth\n";
    Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name + ".key -out " + name +
        ".csr -subj /CN=" + name);
    Run("openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -out " + name + ".pem -days " +
        days + " -extfile " + name + ".ext");
  }

  fs::path dir_;
};

// A small HTTPS server: answers every request `200` with a JSON body naming its path (or 300 KiB
// for /big), keep-alive; closes a connection left idle for `idle_close`.
class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key,
            std::chrono::milliseconds idle_close = std::chrono::seconds(30))
      : context_(ssl::context::tls_server), acceptor_(io_), idle_close_(idle_close) {
    context_.use_certificate_chain_file(cert);
    context_.use_private_key_file(key, ssl::context::pem);
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.bind(endpoint);
    acceptor_.listen();
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsServer() {
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int accepted() const { return accepted_; }
  int answered() const { return answered_; }

 private:
  asio::awaitable<void> Accept() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++accepted_;
      asio::co_spawn(io_, Serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), context_);
    boost::system::error_code ec;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // the client refused the certificate
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request<bhttp::string_body> request;
      beast::get_lowest_layer(stream).expires_after(idle_close_);
      co_await bhttp::async_read(stream, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
      response.set(bhttp::field::content_type, "application/json");
      response.body() = request.target() == "/big" ? std::string(300 * 1024, 'x')
                                                   : R"({"path":")" + std::string(request.target()) + R"("})";
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      co_await bhttp::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      ++answered_;
      if (!request.keep_alive()) break;
    }
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
  }

  ssl::context context_;  // outlives the connections the I/O context still holds
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::chrono::milliseconds idle_close_;
  std::atomic<int> accepted_{0};
  std::atomic<int> answered_{0};
  std::thread thread_;
};

class TlsClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { certificates_ = new Certificates(); }
  static void TearDownTestSuite() {
    delete certificates_;
    certificates_ = nullptr;
  }
  void SetUp() override { unsetenv("PHARMASYS_TLS_CA_FILE"); }
  void TearDown() override { unsetenv("PHARMASYS_TLS_CA_FILE"); }

  static std::string Cert(const std::string& name) { return certificates_->Path(name + ".pem"); }
  static std::string Key(const std::string& name) { return certificates_->Path(name + ".key"); }
  static std::unique_ptr<TlsServer> Serve(const std::string& name) {
    return std::make_unique<TlsServer>(Cert(name), Key(name));
  }
  static ClientOptions TrustingTheTestCa() {
    ClientOptions options;
    options.ca_file = Cert("ca");
    return options;
  }
  // The UpstreamError a GET of `url` ends with (fails the test when it succeeds).
  static UpstreamError Refusal(Client& client, const std::string& url) {
    try {
      auto res = client.Send({Method::Get, url, {}, ""}, 3000ms);
      ADD_FAILURE() << url << " answered " << res.status;
    } catch (const UpstreamError& e) {
      return e;
    }
    return {UpstreamError::Kind::Protocol, "no error"};
  }

  static Certificates* certificates_;
};

Certificates* TlsClientTest::certificates_ = nullptr;

TEST_F(TlsClientTest, GetsOverHttpsWithTheRightCa) {
  auto server = Serve("localhost");
  Client client(TrustingTheTestCa());
  auto res =
      client.Send({Method::Get, "https://localhost:" + std::to_string(server->port()) + "/jwks?x=1", {}, ""}, 3000ms);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"path":"/jwks?x=1"})");
  EXPECT_EQ(res.headers.GetOr("Content-Type", ""), "application/json");
}

TEST_F(TlsClientTest, ReusesThePooledTlsConnection) {
  auto server = Serve("localhost");
  Client client(TrustingTheTestCa());
  const std::string base = "https://localhost:" + std::to_string(server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(client.Send({Method::Get, base + "/" + std::to_string(i), {}, ""}, 3000ms).body,
              R"({"path":"/)" + std::to_string(i) + R"("})");
  }
  EXPECT_EQ(client.idle_connections(), 1u);
  EXPECT_EQ(server->accepted(), 1);
}

TEST_F(TlsClientTest, ChecksAnIpAddressAgainstTheCertificate) {
  auto server = Serve("localhost");  // its names include IP:127.0.0.1
  Client client(TrustingTheTestCa());
  auto res = client.Send({Method::Get, "https://127.0.0.1:" + std::to_string(server->port()) + "/", {}, ""}, 3000ms);
  EXPECT_EQ(res.status, 200);
}

TEST_F(TlsClientTest, RefusesACertificateForAnotherHostWithoutRetrying) {
  auto server = Serve("other");  // DNS:other.example only
  Client client(TrustingTheTestCa());
  auto e = Refusal(client, "https://localhost:" + std::to_string(server->port()) + "/");
  EXPECT_EQ(e.kind(), UpstreamError::Kind::Tls) << e.what();
  EXPECT_NE(std::string(e.what()).find("certificate verify failed (hostname mismatch)"), std::string::npos) << e.what();
  auto ip = Refusal(client, "https://127.0.0.1:" + std::to_string(server->port()) + "/");
  EXPECT_EQ(ip.kind(), UpstreamError::Kind::Tls) << ip.what();
  EXPECT_NE(std::string(ip.what()).find("IP address mismatch"), std::string::npos) << ip.what();
  EXPECT_EQ(server->accepted(), 2);  // one connection per call: a refused certificate is not tried again
  EXPECT_EQ(client.idle_connections(), 0u);
}

TEST_F(TlsClientTest, RefusesAServerWhoseCaIsNotTrusted) {
  auto server = Serve("localhost");
  Client system_cas;  // no ca_file, no PHARMASYS_TLS_CA_FILE: the system's CAs, which never signed it
  auto e = Refusal(system_cas, "https://localhost:" + std::to_string(server->port()) + "/");
  EXPECT_EQ(e.kind(), UpstreamError::Kind::Tls) << e.what();
  EXPECT_NE(std::string(e.what()).find("certificate verify failed (unable to get local issuer certificate)"),
            std::string::npos)
      << e.what();
  EXPECT_EQ(server->answered(), 0);
}

TEST_F(TlsClientTest, RefusesASelfSignedCertificate) {
  auto server = Serve("selfsigned");
  Client client(TrustingTheTestCa());
  auto e = Refusal(client, "https://localhost:" + std::to_string(server->port()) + "/");
  EXPECT_EQ(e.kind(), UpstreamError::Kind::Tls) << e.what();
  EXPECT_NE(std::string(e.what()).find("self-signed certificate"), std::string::npos) << e.what();
}

TEST_F(TlsClientTest, RefusesAnExpiredCertificate) {
  auto server = Serve("expired");
  Client client(TrustingTheTestCa());
  auto e = Refusal(client, "https://localhost:" + std::to_string(server->port()) + "/");
  EXPECT_EQ(e.kind(), UpstreamError::Kind::Tls) << e.what();
  EXPECT_NE(std::string(e.what()).find("certificate has expired"), std::string::npos) << e.what();
}

TEST_F(TlsClientTest, TakesTheCaBundleFromTheEnvironment) {
  auto server = Serve("localhost");
  setenv("PHARMASYS_TLS_CA_FILE", Cert("ca").c_str(), 1);
  Client client;  // as the services build theirs
  auto res = client.Send({Method::Get, "https://localhost:" + std::to_string(server->port()) + "/", {}, ""}, 3000ms);
  EXPECT_EQ(res.status, 200);
}

TEST_F(TlsClientTest, AnUnreadableCaBundleFailsHttpsCallsOnlyAndNamesIt) {
  auto server = Serve("localhost");
  const std::string missing = certificates_->Path("no-such-bundle.pem");
  setenv("PHARMASYS_TLS_CA_FILE", missing.c_str(), 1);
  Client client;
  auto e = Refusal(client, "https://localhost:" + std::to_string(server->port()) + "/");
  EXPECT_EQ(e.kind(), UpstreamError::Kind::Tls) << e.what();
  EXPECT_NE(std::string(e.what()).find(missing + " (PHARMASYS_TLS_CA_FILE)"), std::string::npos) << e.what();
  EXPECT_EQ(server->accepted(), 0);

  Router router;
  router.Get("/plain", [](Request&) { return Response::Text(200, "plain"); });
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  Server plain(options, [&router](Request& r) { return router.Dispatch(r); });
  plain.Start();
  auto res = client.Send({Method::Get, "http://127.0.0.1:" + std::to_string(plain.port()) + "/plain", {}, ""}, 3000ms);
  EXPECT_EQ(res.body, "plain");
}

TEST_F(TlsClientTest, StreamsALargeBodyOverTlsAndPoolsTheConnectionAfterIt) {
  auto server = Serve("localhost");
  Client client(TrustingTheTestCa());
  const std::string base = "https://localhost:" + std::to_string(server->port());
  auto res = client.SendStreaming({Method::Get, base + "/big", {}, ""}, 3000ms);
  ASSERT_EQ(res.status, 200);
  ASSERT_NE(res.stream, nullptr);
  std::string body;
  while (auto piece = res.stream->Next()) body += *piece;
  EXPECT_EQ(body, std::string(300 * 1024, 'x'));
  EXPECT_EQ(client.idle_connections(), 1u);
  EXPECT_EQ(client.SendStreaming({Method::Get, base + "/small", {}, ""}, 3000ms).body, R"({"path":"/small"})");
  EXPECT_EQ(server->accepted(), 1);
}

TEST_F(TlsClientTest, DropsAPooledTlsConnectionTheServerClosed) {
  auto server = std::make_unique<TlsServer>(Cert("localhost"), Key("localhost"), 150ms);
  Client client(TrustingTheTestCa());
  const std::string base = "https://localhost:" + std::to_string(server->port());
  // POST without an Idempotency-Key is never sent twice: it must find the connection dead first.
  ASSERT_EQ(client.Send({Method::Post, base + "/1", {}, "a"}, 3000ms).status, 200);
  ASSERT_EQ(client.idle_connections(), 1u);
  std::this_thread::sleep_for(600ms);  // the server has closed it (close_notify, then FIN)
  auto res = client.Send({Method::Post, base + "/2", {}, "b"}, 3000ms);
  EXPECT_EQ(res.body, R"({"path":"/2"})");
  EXPECT_EQ(server->accepted(), 2);
}

TEST_F(TlsClientTest, AHandshakeThatNeverAnswersTimesOut) {
  // A listening socket nobody accepts on: the TCP connection is made, the handshake waits.
  asio::io_context io;
  tcp::acceptor silent(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  Client client(TrustingTheTestCa());
  auto t0 = std::chrono::steady_clock::now();
  try {
    client.Send({Method::Get, "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/", {}, ""},
                300ms);
    FAIL() << "no timeout";
  } catch (const UpstreamError& e) {
    EXPECT_EQ(e.kind(), UpstreamError::Kind::Timeout) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2000ms);
}

TEST_F(TlsClientTest, HttpsToAPlainHttpServerIsATlsError) {
  Router router;
  router.Get("/", [](Request&) { return Response::Text(200, "plain"); });
  ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  Server plain(options, [&router](Request& r) { return router.Dispatch(r); });
  plain.Start();
  Client client(TrustingTheTestCa());
  auto e = Refusal(client, "https://127.0.0.1:" + std::to_string(plain.port()) + "/");
  EXPECT_EQ(e.kind(), UpstreamError::Kind::Tls) << e.what();
  EXPECT_NE(std::string(e.what()).find("TLS handshake failed"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace pharmasys::http
