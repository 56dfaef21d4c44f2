#pragma once
// HTTPS in tests: a throw-away CA and server certificates made with the openssl command, and a
// client on Asio SSL that verifies the server against that CA (host name included).
#include <openssl/ssl.h>

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

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "http_support.hpp"

namespace pharmasys::testing {

// In a temporary folder: ca.pem (a CA), server.pem (localhost, 127.0.0.1, signed by the CA),
// server.key, and other.key (a key of no certificate). Removed with the object.
class TestPki {
 public:
  TestPki() {
    char dir_template[] = "/tmp/pharmasys-tls-XXXXXX";
    if (mkdtemp(dir_template) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = dir_template;
    Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 2 "
        "-subj /CN=pharmasys-test-ca");
    Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr "
        "-subj /CN=localhost");
    Run("printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n"
        "extendedKeyUsage=serverAuth\\n' > server.ext");
    Run("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext "
        "-out server.pem");
    Run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key");
  }
  ~TestPki() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  std::string ca() const { return Path("ca.pem"); }
  std::string certificate() const { return Path("server.pem"); }
  std::string key() const { return Path("server.key"); }
  std::string other_key() const { return Path("other.key"); }

 private:
  void Run(const std::string& command) const {
    std::string full = "cd '" + dir_ + "' && " + command + " >/dev/null 2>&1";
    if (std::system(full.c_str()) != 0) throw std::runtime_error("failed: " + command);
  }
  std::string dir_;
};

struct TlsResult {
  bool handshake_ok = false;
  std::string error;  // of the handshake or the exchange
  RawResponse response;
};

struct TlsClientOptions {
  std::string ca_file;
  std::string host = "localhost";  // the name the certificate must carry (and the SNI)
  int max_version = 0;             // e.g. TLS1_1_VERSION; 0: the library's highest
  int min_version = 0;             // e.g. TLS1_1_VERSION to offer an old protocol
  std::chrono::milliseconds timeout = 5000ms;
};

// One HTTPS request on a new connection to 127.0.0.1:port ("GET <target>", Connection: close).
inline TlsResult TlsGet(std::uint16_t port, const std::string& target, const TlsClientOptions& options) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace bhttp = beast::http;
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.load_verify_file(options.ca_file);
  context.set_verify_mode(asio::ssl::verify_peer);
  if (options.min_version != 0) {
    SSL_CTX_set_security_level(context.native_handle(), 0);  // lets OpenSSL 3 offer TLS 1.1 at all
    SSL_CTX_set_min_proto_version(context.native_handle(), options.min_version);
  }
  if (options.max_version != 0) SSL_CTX_set_max_proto_version(context.native_handle(), options.max_version);
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  // SSL_set_tlsext_host_name, without the macro's C cast.
  SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(options.host.c_str()));
  stream.set_verify_callback(asio::ssl::host_name_verification(options.host));

  TlsResult result;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        boost::system::error_code ec;
        auto& tcp = beast::get_lowest_layer(stream);
        tcp.expires_after(options.timeout);
        co_await tcp.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          result.error = "connect: " + ec.message();
          co_return;
        }
        co_await stream.async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          result.error = "handshake: " + ec.message();
          co_return;
        }
        result.handshake_ok = true;
        bhttp::request<bhttp::empty_body> request{bhttp::verb::get, target, 11};
        request.set(bhttp::field::host, options.host);
        request.set(bhttp::field::connection, "close");
        co_await bhttp::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          result.error = "write: " + ec.message();
          co_return;
        }
        beast::flat_buffer buffer;
        bhttp::response<bhttp::string_body> response;
        co_await bhttp::async_read(stream, buffer, response, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
          result.error = "read: " + ec.message();
          co_return;
        }
        result.response.status = static_cast<int>(response.result_int());
        for (const auto& field : response) {
          std::string name(field.name_string());
          for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          result.response.headers[name] = std::string(field.value());
        }
        result.response.body = std::move(response.body());
        co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
      },
      asio::detached);
  io.run();
  return result;
}

}  // namespace pharmasys::testing
