// PostgreSQL with sslmode=verify-full and RabbitMQ over amqps://, against the TLS listeners of
// the test infrastructure (`./pharmasys test-infra env`: PHARMASYS_TEST_AMQPS_URL,
// PHARMASYS_TEST_TLS_CA_FILE, PHARMASYS_TEST_PG_TLS=on; the server certificate names localhost
// and 127.0.0.1). Certificates the servers do not have are made here with the openssl command.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>

#include "amqp_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/amqp/amqp.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(std::string(name) + " is not set: run the tests with ./pharmasys test");
  }
  return v;
}

void Run(const std::string& command) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// A CA of the test's own, and a server certificate it signs for `san` (e.g. "DNS:localhost").
struct OwnPki {
  fs::path dir;
  explicit OwnPki(const std::string& san) {
    dir = fs::temp_directory_path() / ("pharmasys-tls-" + ids::RandomHex(6));
    fs::create_directories(dir);
    const std::string d = dir.string();
    Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Another CA' -keyout " + d + "/ca.key -out " + d +
        "/ca.pem -addext basicConstraints=critical,CA:TRUE");
    Run("openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout " + d + "/server.key -out " + d +
        "/server.csr");
    Run("printf 'subjectAltName=" + san + "\\n' > " + d + "/server.ext");
    Run("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
        "/ca.key -CAcreateserial -days 2 -extfile " + d + "/server.ext -out " + d + "/server.pem");
  }
  ~OwnPki() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  OwnPki(const OwnPki&) = delete;
  OwnPki& operator=(const OwnPki&) = delete;
  std::string ca() const { return (dir / "ca.pem").string(); }
  std::string cert() const { return (dir / "server.pem").string(); }
  std::string key() const { return (dir / "server.key").string(); }
};

// A TLS listener on 127.0.0.1 that completes handshakes with `pki`'s server certificate and
// closes: enough to see what a client's verification decides before any AMQP is spoken.
class TlsListener {
 public:
  explicit TlsListener(const OwnPki& pki) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    if (ctx_ == nullptr || SSL_CTX_use_certificate_chain_file(ctx_, pki.cert().c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx_, pki.key().c_str(), SSL_FILETYPE_PEM) != 1) {
      throw std::runtime_error("cannot load the listener's certificate");
    }
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd_, 4) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        int client = accept(fd_, nullptr, nullptr);
        if (client < 0 || stop_) {
          if (client >= 0) close(client);
          return;
        }
        SSL* ssl = SSL_new(ctx_);
        SSL_set_fd(ssl, client);
        if (SSL_accept(ssl) == 1) {
          ++handshakes_;
          SSL_shutdown(ssl);
        }
        SSL_free(ssl);
        ERR_clear_error();
        close(client);
      }
    });
  }
  ~TlsListener() {
    stop_ = true;
    // A connection of our own wakes accept().
    int wake = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    connect(wake, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    thread_.join();
    close(wake);
    close(fd_);
    SSL_CTX_free(ctx_);
  }
  TlsListener(const TlsListener&) = delete;
  TlsListener& operator=(const TlsListener&) = delete;
  int port() const { return port_; }
  int handshakes() const { return handshakes_; }

 private:
  SSL_CTX* ctx_ = nullptr;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> handshakes_{0};
  std::thread thread_;
};

std::string ConnectError(const amqp::Options& options) {
  try {
    amqp::Channel channel(options);
  } catch (const amqp::BrokerError& e) {
    return e.what();
  }
  return "";
}

// ---- RabbitMQ over amqps:// ---------------------------------------------------------------

class AmqpsTest : public ::testing::Test {
 protected:
  AmqpsTest() {
    options_.url = Env("PHARMASYS_TEST_AMQPS_URL");
    options_.ca_file = Env("PHARMASYS_TEST_TLS_CA_FILE");
    options_.prefix = "tls" + ids::RandomHex(4) + ".";
    options_.connection_name = "test-tls";
  }
  amqp::Options options_;
};

TEST_F(AmqpsTest, WithTheRightCaPublishesAndConsumes) {
  const std::vector<amqp::QueueSpec> topology{{"tlsprobe", {"tls.probe"}}};
  {
    amqp::Channel channel(options_);
    channel.DeclareTopology(topology, 5);
    amqp::Message m{.routing_key = "tls.probe",
                    .body = R"({"sobre":"tls"})",
                    .message_id = ids::RandomHex(8),
                    .type = "tls.probe",
                    .timestamp = 1};
    channel.PublishConfirmed({m}, 5s);
    auto got = channel.Get(channel.Name("tlsprobe.eventos"));
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->body, m.body);
    EXPECT_EQ(got->message_id, m.message_id);
    channel.DeleteTopology(topology);
  }
}

TEST_F(AmqpsTest, AnIpAddressInTheUrlMatchesTheCertificatesIpSan) {
  auto url = options_.url;
  url.replace(url.find("@localhost:"), 11, "@127.0.0.1:");
  options_.url = url;
  EXPECT_EQ(ConnectError(options_), "");
}

TEST_F(AmqpsTest, ACaThatDidNotSignTheBrokersCertificateIsRefused) {
  OwnPki other("DNS:localhost");
  options_.ca_file = other.ca();
  auto error = ConnectError(options_);
  EXPECT_NE(error.find("over TLS"), std::string::npos) << error;
  EXPECT_NE(error.find("certificate verify failed"), std::string::npos) << error;
}

TEST_F(AmqpsTest, ACertificateThatDoesNotNameTheHostIsRefused) {
  OwnPki pki("DNS:localhost");  // no IP address SAN
  TlsListener listener(pki);
  options_.ca_file = pki.ca();
  options_.timeout = 3000ms;
  options_.url = "amqps://u:p@127.0.0.1:" + std::to_string(listener.port()) + "/";
  auto error = ConnectError(options_);
  EXPECT_NE(error.find("does not name the host"), std::string::npos) << error;
  EXPECT_EQ(listener.handshakes(), 0);
  // The same certificate by the name it has: the handshake passes (what fails is AMQP itself).
  options_.url = "amqps://u:p@localhost:" + std::to_string(listener.port()) + "/";
  error = ConnectError(options_);
  EXPECT_EQ(error.find("does not name the host"), std::string::npos) << error;
  EXPECT_EQ(error.find("certificate verify failed"), std::string::npos) << error;
  EXPECT_EQ(listener.handshakes(), 1);
}

TEST_F(AmqpsTest, AnUnreadableCaFileIsNamed) {
  options_.ca_file = "/nonexistent/ca.pem";
  EXPECT_NE(ConnectError(options_).find("/nonexistent/ca.pem"), std::string::npos);
}

// ---- PostgreSQL with sslmode=verify-full --------------------------------------------------

class PgTlsTest : public ::testing::Test {
 protected:
  PgTlsTest() {
    if (Env("PHARMASYS_TEST_PG_TLS") != "on") throw std::runtime_error("PHARMASYS_TEST_PG_TLS is not on");
    ca_ = Env("PHARMASYS_TEST_TLS_CA_FILE");
  }
  // The test server's URL, reached as `host`, verifying its certificate against `ca`.
  static std::string Url(const std::string& host, const std::string& ca, const std::string& extra = "") {
    auto url = testing::TestPgUrl();
    auto at = url.find("@127.0.0.1:");
    if (at == std::string::npos || url.find('?') != std::string::npos) {
      throw std::runtime_error("PHARMASYS_TEST_PG_URL is not the test infrastructure's");
    }
    url.replace(at, 11, "@" + host + ":");
    return url + "?sslmode=verify-full&sslrootcert=" + ca + extra;
  }
  static std::string Ssl(const std::string& url) {
    pg::Pool pool({.conninfo = url, .max_size = 1});
    constexpr pg::Query kSsl{"tls_ssl", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"};
    return pool.Exec(kSsl).Single().String(0);
  }
  // The error a query on a fresh pool gets, and how long it took.
  static std::pair<pg::SqlError, std::chrono::milliseconds> Refusal(const std::string& url) {
    pg::Pool pool({.conninfo = url, .max_size = 1});
    constexpr pg::Query kOne{"tls_one", "SELECT 1"};
    const auto start = std::chrono::steady_clock::now();
    try {
      pool.Exec(kOne);
    } catch (const pg::SqlError& e) {
      return {e, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)};
    }
    throw std::runtime_error("the connection was not refused");
  }
  std::string ca_;
};

TEST_F(PgTlsTest, VerifyFullWithTheRightCaRunsOverTls) {
  EXPECT_EQ(Ssl(Url("localhost", ca_)), "t");
  // The certificate's IP address SAN: libpq checks it as well.
  EXPECT_EQ(Ssl(Url("127.0.0.1", ca_)), "t");
}

TEST_F(PgTlsTest, AWrongCaFailsAtOnceAsAConfigurationError) {
  OwnPki other("DNS:localhost");
  auto [error, took] = Refusal(Url("localhost", other.ca()));
  const std::string message = error.what();
  EXPECT_TRUE(error.IsConfiguration()) << message;
  EXPECT_FALSE(error.IsConnectionLoss());
  EXPECT_FALSE(error.IsTransient());
  EXPECT_NE(message.find("certificate verify failed"), std::string::npos) << message;
  EXPECT_NE(message.find("sslrootcert"), std::string::npos) << message;
  EXPECT_LT(took, 2s);  // not retried
  // At the HTTP edge it is not "try again later".
  EXPECT_EQ(pg::ToHttpError(error).status(), 500);
}

TEST_F(PgTlsTest, AHostTheCertificateDoesNotNameIsRefusedNamingIt) {
  // libpq connects to hostaddr and checks the certificate against host.
  auto [error, took] = Refusal(Url("pharmasys-elsewhere.invalid", ca_, "&hostaddr=127.0.0.1"));
  const std::string message = error.what();
  EXPECT_TRUE(error.IsConfiguration()) << message;
  EXPECT_NE(message.find("does not match host name \"pharmasys-elsewhere.invalid\""), std::string::npos) << message;
  EXPECT_LT(took, 2s);
}

TEST_F(PgTlsTest, AMissingRootCertificateFileIsAConfigurationError) {
  auto [error, took] = Refusal(Url("localhost", "/nonexistent/root.pem"));
  EXPECT_TRUE(error.IsConfiguration()) << error.what();
  EXPECT_NE(std::string(error.what()).find("/nonexistent/root.pem"), std::string::npos) << error.what();
}

TEST_F(PgTlsTest, APlainConnectionLossStaysTransient) {
  // Nothing listens on port 1: that may well change, so it is retried as before.
  auto [error, took] = Refusal("postgresql://u:p@127.0.0.1:1/postgres?sslmode=verify-full&sslrootcert=" + ca_);
  EXPECT_FALSE(error.IsConfiguration()) << error.what();
  EXPECT_TRUE(error.IsConnectionLoss());
}

}  // namespace
}  // namespace pharmasys
