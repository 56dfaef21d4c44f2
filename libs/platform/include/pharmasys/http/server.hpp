#pragma once
// The HTTP/1.1 server every PharmaSys process runs (Boost.Beast inside, not in this header).
// Handlers may block on PostgreSQL without stalling other connections: either every thread
// runs both the network I/O and the handlers (Dispatch::Inline), or a few event-loop threads
// hand each request to a worker pool (Dispatch::Pool).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

// HTTPS: both files PEM, read when the server starts. TLS 1.2 and 1.3 only, ECDHE with AEAD
// ciphers for 1.2.
struct TlsOptions {
  std::string certificate_chain_file;  // the server certificate first, then its intermediates
  std::string private_key_file;
};

// What keeps `tls` from being served: a file that cannot be read or is not PEM, or a key that
// does not belong to the certificate (then `file` is Key). nullopt when the server can load it.
struct TlsProblem {
  enum class File { Certificate, Key } file;
  std::string message;
};
std::optional<TlsProblem> CheckTls(const TlsOptions& tls);

// Where a request's handler runs.
//  - Inline: worker_threads threads share the network event loop, and the thread that read a
//    request runs its handler and writes the answer: no thread switch between the bytes and
//    the handler. A handler that blocks holds one of them; the others go on serving the other
//    connections. While all are busy, new requests wait in the socket (as they would wait for
//    a worker in Pool), and idle timeouts fire late. For handlers that block briefly (SQL).
//  - Pool: io_threads run the event loop and hand each request to one of worker_threads; a
//    request costs two thread switches more, but the loop keeps reading and timing out
//    connections however long the handlers take. For handlers that wait on other servers.
// Measured (bench/): Inline shortens the tails of reads on saturated cores (the trace, the FEFO
// consumption) and lowers the throughput of short concurrent writes (bench/write-path.sh), where
// one loop thread gathering the reads beats sixteen taking turns at it. Pool is the default.
enum class Dispatch { Inline, Pool };

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 0;  // 0: any free port (see Server::port())
  Dispatch dispatch = Dispatch::Pool;
  std::size_t io_threads = 1;  // Pool only
  std::size_t worker_threads = 16;
  std::size_t header_limit = 16 * 1024;           // larger header block: 431
  std::uint64_t body_limit = 1024 * 1024;         // larger body: 413 corpo-muito-grande
  std::chrono::milliseconds read_timeout{15000};  // a whole request must arrive within this
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{15000};
  std::chrono::milliseconds shutdown_grace{20000};  // in-flight requests get this long on stop
  // Set: every connection is TLS (the handshake within read_timeout; a failed one closes that
  // connection only, logged at debug level). The application is the same for both.
  std::optional<TlsOptions> tls;
};

// The function that turns a request into a response (the router plus middleware). The
// server adds request id, trace context, access log, metrics and the problem mapping.
using Application = std::function<Response(Request&)>;

class Server {
 public:
  Server(ServerOptions options, Application application);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS files (if any), binds and starts the I/O threads; throws std::runtime_error
  // when the port is taken or the TLS files cannot be served (the CheckTls message).
  void Start();
  std::uint16_t port() const;
  // Blocks until SIGTERM or SIGINT arrives (or Stop() is called), then shuts down gracefully.
  void RunUntilSignalled();
  // Graceful stop: no new connections, in-flight requests finish (up to shutdown_grace),
  // idle keep-alive connections are closed. Safe from any thread; blocks until done.
  void Stop();
  std::size_t active_connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace pharmasys::http
