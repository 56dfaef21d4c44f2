#pragma once
// HTTP/1.1 client for service-to-service calls, the gateway's upstreams and the identity
// provider (http:// and https://): keep-alive connection pool per scheme and host, a deadline
// on every call. https:// is TLS 1.2 or newer with the server's certificate verified: its chain
// up to a trusted CA and its name against the URL's host (SNI sent). Calls block the calling thread (a
// worker, never an event loop) and are safe from many threads at once.
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

struct ClientRequest {
  Method method = Method::Get;
  std::string url;  // "http://host:port/path?query" or "https://host[:443]/path?query"
  Headers headers;
  std::string body;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
  // SendStreaming: the body, read from the connection as the caller pulls it.
  std::shared_ptr<BodySource> stream;
};

class UpstreamError : public std::runtime_error {
 public:
  // Tls: the TLS handshake failed or the certificate was refused (unknown CA, wrong name,
  // expired); the message says why. Never retried.
  enum class Kind { Timeout, Connect, Protocol, Tls };
  UpstreamError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct ClientOptions {
  std::size_t max_idle_per_host = 32;
  std::chrono::milliseconds idle_keepalive{30000};  // pooled connections older than this are dropped
  std::uint64_t body_limit = 64 * 1024 * 1024;
  // PEM file of the CAs an https:// server's certificate must chain to. Empty: the file named
  // by PHARMASYS_TLS_CA_FILE when that is set, else the system's default CA certificates.
  std::string ca_file;
};

class Client {
 public:
  explicit Client(ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Throws UpstreamError on timeout, connection failure or a malformed answer. A pooled
  // connection the server has closed is dropped before anything is written on it. A request
  // that fails on a reused keep-alive connection before any byte of answer is retried once
  // on a fresh connection only when that cannot make it run twice: nothing of it had been
  // written, or its method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS), or it carries an
  // `Idempotency-Key`. Called while serving a request, it forwards that request's
  // `traceparent` and `X-Request-Id`.
  ClientResponse Send(const ClientRequest& request, std::chrono::milliseconds deadline);
  // The status and headers within `deadline`; a body with a Content-Length of at most 256 KiB
  // comes whole in `body`, any other through `stream`, each piece
  // within `deadline` of asking for it (so a long download is fine while it keeps moving).
  // The connection goes back to the pool once the body has been read to its end.
  ClientResponse SendStreaming(const ClientRequest& request, std::chrono::milliseconds deadline);
  std::size_t idle_connections() const;

 public:  // for the streamed body reader, which lives in client.cpp
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pharmasys::http
