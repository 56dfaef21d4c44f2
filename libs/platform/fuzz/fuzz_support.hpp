#pragma once
// What every fuzz target shares: a property check that stops the run with a readable
// message (libFuzzer then keeps the input as a crash file).
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace pharmasys::fuzz {

[[noreturn]] inline void PropertyFailed(std::string_view property, const char* file, int line) {
  std::fprintf(stderr, "property failed at %s:%d: %.*s\n", file, line, static_cast<int>(property.size()),
               property.data());
  std::abort();
}

}  // namespace pharmasys::fuzz

// Not assert(): it must hold in every build, NDEBUG or not.
#define FUZZ_CHECK(condition)                                                            \
  do {                                                                                   \
    if (!(condition)) ::pharmasys::fuzz::PropertyFailed(#condition, __FILE__, __LINE__); \
  } while (false)
