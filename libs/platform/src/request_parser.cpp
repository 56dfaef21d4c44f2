#include "pharmasys/http/request_parser.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "request_parser_detail.hpp"

namespace pharmasys::http {
namespace bhttp = boost::beast::http;

namespace detail {

void ApplyLimits(RequestParser& parser, const RequestLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
  parser.body_limit(limits.body_limit);
}

bool HeaderOverLimit(std::size_t header_bytes, const RequestLimits& limits) {
  return header_bytes > limits.header_limit;
}

std::optional<Error> RefusalFor(const boost::system::error_code& ec, const RequestLimits& limits) {
  namespace asio_error = boost::asio::error;
  if (ec == bhttp::error::body_limit) {
    return PayloadTooLarge("O corpo excede o limite de " + std::to_string(limits.body_limit) + " bytes.");
  }
  if (ec == bhttp::error::header_limit) {
    return Error(431, "cabecalho-muito-grande", "Cabeçalhos muito grandes",
                 "Os cabeçalhos excedem o limite de " + std::to_string(limits.header_limit) + " bytes.");
  }
  if (ec == bhttp::error::end_of_stream || ec == asio_error::eof || ec == asio_error::connection_reset ||
      ec == asio_error::operation_aborted) {
    return std::nullopt;
  }
  return BadRequest("Requisição HTTP malformada: " + ec.message() + ".");
}

Request ToRequest(bhttp::request<bhttp::string_body>&& message) {
  Request request;
  request.method_text = std::string(message.method_string());
  request.method = MethodFrom(request.method_text);
  request.target = std::string(message.target());
  auto q = request.target.find('?');
  request.path = request.target.substr(0, q);
  if (q != std::string::npos) request.query = request.target.substr(q + 1);
  for (const auto& field : message) request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  request.body = std::move(message.body());
  return request;
}

}  // namespace detail

// The loop of Beast's http::async_read_header then http::async_read (boost/beast/http/impl/
// read.hpp, read_some_op) over an in-memory stream: the unparsed bytes are offered to the
// parser again after each read; at the end of the input, a parser that got some bytes is
// told end-of-file, one that got none reports end_of_stream. Between the two, the header's
// size is checked as the server checks it.
ReadOutcome ReadRequest(std::string_view bytes, const RequestLimits& limits, std::size_t read_size) {
  read_size = std::max<std::size_t>(read_size, 1);
  detail::RequestParser parser;
  detail::ApplyLimits(parser, limits);
  parser.eager(false);       // the header alone first, as http::async_read_header reads it
  std::size_t received = 0;  // bytes "read from the socket" so far
  std::size_t parsed = 0;    // bytes the parser has consumed
  bool header_checked = false;
  boost::system::error_code ec;
  while (!parser.is_done()) {
    if (parsed < received) {
      std::string_view unparsed = bytes.substr(parsed, received - parsed);
      std::size_t used = parser.put(boost::asio::buffer(unparsed.data(), unparsed.size()), ec);
      parsed += used;
      if (ec && ec != bhttp::error::need_more) break;
      if (!ec) {
        if (parser.is_header_done() && !header_checked) {
          header_checked = true;
          if (detail::HeaderOverLimit(parsed, limits)) {
            ec = bhttp::error::header_limit;
            break;
          }
          parser.eager(true);  // then the body, as http::async_read reads it
          continue;
        }
        // With eager parsing, put() stops only for more input, an error or the end.
        if (used == 0 && !parser.is_done()) throw std::logic_error("the request parser made no progress");
        continue;
      }
      ec = {};
    }
    if (received == bytes.size()) {  // the client closed its side
      if (parser.got_some()) {
        parser.put_eof(ec);
      } else {
        ec = bhttp::error::end_of_stream;
      }
      break;
    }
    received = std::min(bytes.size(), received + read_size);
  }

  ReadOutcome outcome;
  if (ec) {
    outcome.refusal = detail::RefusalFor(ec, limits);
    outcome.kind = outcome.refusal ? ReadOutcome::Kind::Refused : ReadOutcome::Kind::Closed;
    return outcome;
  }
  outcome.kind = ReadOutcome::Kind::Request;
  outcome.keep_alive = parser.get().keep_alive();
  outcome.consumed = parsed;
  outcome.request = detail::ToRequest(parser.release());
  return outcome;
}

}  // namespace pharmasys::http
