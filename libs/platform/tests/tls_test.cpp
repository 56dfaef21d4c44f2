// The server over TLS: certificates made by the openssl command for this test, a client that
// verifies them (CA and host name), and what must not get through.
#include <gtest/gtest.h>

#include "http_support.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/server.hpp"
#include "tls_support.hpp"

namespace pharmasys::http {
namespace {

using namespace pharmasys::testing;

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/hello", [](Request& r) { return Response::Text(200, "hello " + r.remote_address); });
    server_ = std::make_unique<Server>(Options(pki_.certificate(), pki_.key()),
                                       [this](Request& r) { return router_.Dispatch(r); });
    server_->Start();
    port_ = server_->port();
  }

  static ServerOptions Options(const std::string& certificate, const std::string& key) {
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.read_timeout = 2000ms;
    options.shutdown_grace = 3000ms;
    options.worker_threads = 2;
    options.tls = TlsOptions{certificate, key};
    return options;
  }

  TlsClientOptions Client() const { return {.ca_file = pki_.ca()}; }

  TestPki pki_;
  Router router_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
};

TEST_F(TlsServerTest, AnswersAClientThatVerifiesTheCertificateAgainstTheCa) {
  auto result = TlsGet(port_, "/hello", Client());
  ASSERT_TRUE(result.handshake_ok) << result.error;
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, "hello 127.0.0.1");
  EXPECT_FALSE(result.response.headers["x-request-id"].empty());
}

TEST_F(TlsServerTest, TheCertificateNamesLocalhostOnly) {
  // The same CA, another name: the client's host-name check refuses it (the certificate is
  // really verified, not merely accepted).
  auto result = TlsGet(port_, "/hello", {.ca_file = pki_.ca(), .host = "pharmasys.example"});
  EXPECT_FALSE(result.handshake_ok);
  EXPECT_NE(result.error.find("certificate verify failed"), std::string::npos) << result.error;
  // Nor does a client that trusts another CA get through.
  TestPki other;
  auto untrusted = TlsGet(port_, "/hello", {.ca_file = other.ca()});
  EXPECT_FALSE(untrusted.handshake_ok);
  // And the server serves on.
  EXPECT_EQ(TlsGet(port_, "/hello", Client()).response.status, 200);
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortIsClosedAndTheNextClientIsServed) {
  RawConnection plain(port_);
  ASSERT_TRUE(plain.connected());
  ASSERT_TRUE(plain.Send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  // No HTTP answer: the bytes are not a TLS ClientHello, the connection is closed at once
  // (well before the 2 s read timeout).
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(plain.ClosedByPeer(1500ms));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
  auto next = TlsGet(port_, "/hello", Client());
  EXPECT_EQ(next.response.status, 200) << next.error;
  EXPECT_TRUE(Eventually([&] { return server_->active_connections() == 0; }, 3000ms));
}

TEST_F(TlsServerTest, ASilentClientIsClosedAfterTheReadTimeoutWithoutHoldingUpOthers) {
  RawConnection silent(port_);
  ASSERT_TRUE(silent.connected());
  EXPECT_EQ(TlsGet(port_, "/hello", Client()).response.status, 200);
  EXPECT_TRUE(silent.ClosedByPeer(4000ms));
}

TEST_F(TlsServerTest, RefusesTls11AndAcceptsTls12And13) {
  auto old =
      TlsGet(port_, "/hello", {.ca_file = pki_.ca(), .max_version = TLS1_1_VERSION, .min_version = TLS1_1_VERSION});
  EXPECT_FALSE(old.handshake_ok);
  // The server's alert, not a client that could not offer TLS 1.1 at all.
  EXPECT_NE(old.error.find("protocol version"), std::string::npos) << old.error;

  auto tls12 = TlsGet(port_, "/hello", {.ca_file = pki_.ca(), .max_version = TLS1_2_VERSION});
  EXPECT_EQ(tls12.response.status, 200) << tls12.error;
  auto tls13 = TlsGet(port_, "/hello", {.ca_file = pki_.ca(), .min_version = TLS1_3_VERSION});
  EXPECT_EQ(tls13.response.status, 200) << tls13.error;
}

TEST_F(TlsServerTest, StopsWithAnIdleTlsConnectionOpen) {
  RawConnection idle(port_);
  ASSERT_TRUE(idle.connected());
  // Accepted, and waiting for its ClientHello.
  ASSERT_TRUE(Eventually([&] { return server_->active_connections() == 1; }, 2000ms));
  auto started = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms);
  EXPECT_TRUE(idle.ClosedByPeer(1000ms));
}

TEST(TlsServerConfiguration, AKeyOfAnotherCertificateFailsTheStartNamingTheKey) {
  TestPki pki;
  auto problem = CheckTls({pki.certificate(), pki.other_key()});
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->file, TlsProblem::File::Key);
  EXPECT_NE(problem->message.find(pki.other_key()), std::string::npos) << problem->message;

  ServerOptions options;
  options.address = "127.0.0.1";
  options.tls = TlsOptions{pki.certificate(), pki.other_key()};
  Server server(options, [](Request&) { return Response::Text(200, "never"); });
  try {
    server.Start();
    FAIL() << "started with a key that is not the certificate's";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("TLS: '" + pki.other_key() + "'"), std::string::npos) << e.what();
  }
}

TEST(TlsServerConfiguration, MissingOrNonPemFilesAreNamed) {
  TestPki pki;
  EXPECT_FALSE(CheckTls({pki.certificate(), pki.key()}).has_value());

  auto no_cert = CheckTls({pki.Path("absent.pem"), pki.key()});
  ASSERT_TRUE(no_cert.has_value());
  EXPECT_EQ(no_cert->file, TlsProblem::File::Certificate);
  EXPECT_NE(no_cert->message.find("absent.pem"), std::string::npos) << no_cert->message;

  auto no_key = CheckTls({pki.certificate(), pki.Path("absent.key")});
  ASSERT_TRUE(no_key.has_value());
  EXPECT_EQ(no_key->file, TlsProblem::File::Key);

  // The key where the certificate should be.
  auto swapped = CheckTls({pki.key(), pki.key()});
  ASSERT_TRUE(swapped.has_value());
  EXPECT_EQ(swapped->file, TlsProblem::File::Certificate);
  EXPECT_NE(swapped->message.find("not a PEM certificate chain"), std::string::npos) << swapped->message;
}

}  // namespace
}  // namespace pharmasys::http
