// Boost assertions in the fuzz build (BOOST_ENABLE_ASSERT_HANDLER): every one stops the run,
// except one Beast 1.81 check known to be wrong. basic_parser::parse_chunk_header asserts
// that a buffer holding the final chunk has at least 5 bytes, but after "0\r\n" came alone
// (need more, nothing consumed) the next call may see 4; the code after the assertion
// handles that case (it looks for the end of the trailer and asks for more).
#include <boost/assert.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace boost {

void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::strstr(file, "beast/http/impl/basic_parser.ipp") != nullptr && std::strcmp(expr, "n >= 5") == 0) return;
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost
