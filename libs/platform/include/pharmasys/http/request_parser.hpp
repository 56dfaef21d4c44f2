#pragma once
// How the server reads one request from the bytes of a connection: Beast's parser with the
// server's header and body limits, a fresh parser per request. The server's connection loop
// and ReadRequest below share this code, so what the fuzz targets and unit tests exercise is
// what runs on the socket. No Beast in this header.
#include <cstdint>
#include <optional>
#include <string_view>

#include "pharmasys/error.hpp"
#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

struct RequestLimits {
  std::size_t header_limit = 16 * 1024;    // larger header block: 431
  std::uint64_t body_limit = 1024 * 1024;  // larger body: 413 corpo-muito-grande
};

struct ReadOutcome {
  enum class Kind {
    Request,  // a whole request arrived
    Refused,  // the server answers `refusal` (400, 413 or 431) and closes
    Closed,   // the client closed before sending anything: the connection just ends
  };
  Kind kind = Kind::Closed;
  Request request;               // Kind::Request (remote_address is left empty)
  bool keep_alive = false;       // Kind::Request: whether the connection stays open after it
  std::size_t consumed = 0;      // Kind::Request: bytes of the input it used; the rest starts the next request
  std::optional<Error> refusal;  // Kind::Refused
};

// What the server makes of `bytes` when they are everything a client sent on a connection
// before closing its side, arriving `read_size` bytes at a time (the split never changes
// the outcome). The same parser, limits, end-of-stream handling and refusals as
// Server; pure and synchronous.
ReadOutcome ReadRequest(std::string_view bytes, const RequestLimits& limits, std::size_t read_size = 8192);

}  // namespace pharmasys::http
