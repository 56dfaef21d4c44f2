#pragma once
// The HTTP/1.1 server every PharmaSys process runs (Boost.Beast inside, not in this header).
// Network I/O runs on a few event-loop threads; handlers run on a worker pool, so a handler
// may block on PostgreSQL without stalling other connections.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 0;  // 0: any free port (see Server::port())
  std::size_t io_threads = 1;
  std::size_t worker_threads = 16;
  std::size_t header_limit = 16 * 1024;           // larger header block: 431
  std::uint64_t body_limit = 1024 * 1024;         // larger body: 413 corpo-muito-grande
  std::chrono::milliseconds read_timeout{15000};  // a whole request must arrive within this
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{15000};
  std::chrono::milliseconds shutdown_grace{20000};  // in-flight requests get this long on stop
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

  // Binds and starts the I/O threads; throws std::runtime_error when the port is taken.
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
