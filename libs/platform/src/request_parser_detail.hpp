#pragma once
// The Beast side of request_parser.hpp, shared by server.cpp and request_parser.cpp only.
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include <optional>

#include "pharmasys/error.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/http/request_parser.hpp"

namespace pharmasys::http::detail {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A fresh parser for the next request of a connection, holding the server's limits.
void ApplyLimits(RequestParser& parser, const RequestLimits& limits);

// Beast holds header_limit only within one read: a header block sent in pieces can grow
// several times past it. The server therefore reads the header first and refuses it when
// the bytes it took (start line to blank line) exceed the limit.
bool HeaderOverLimit(std::size_t header_bytes, const RequestLimits& limits);

// A read that failed with `ec` (a read timeout aside): the problem the server answers before
// closing (413 body too large, 431 headers too large, 400 malformed), or nullopt when the
// connection just ends (the client closed it, reset it, or the read was cancelled).
std::optional<Error> RefusalFor(const boost::system::error_code& ec, const RequestLimits& limits);

// The parsed message as the handlers' Request (without the remote address).
Request ToRequest(boost::beast::http::request<boost::beast::http::string_body>&& message);

}  // namespace pharmasys::http::detail
