#pragma once
// RFC 9457 problem documents, the only error body PharmaSys sends.
#include <string_view>

#include "pharmasys/error.hpp"
#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

inline constexpr std::string_view kProblemBase = "https://pharmasys.dev/problemas/";

// {"type", "title", "status", "detail", "instance", "request_id", "errors"?}
Response ProblemResponse(const Error& error, std::string_view instance, std::string_view request_id);

// The response for any exception escaping a handler: the Error's problem, or a 500 that
// names the request id and nothing of the internals.
Response ResponseForException(const std::exception_ptr& error, const Request& request);

}  // namespace pharmasys::http
