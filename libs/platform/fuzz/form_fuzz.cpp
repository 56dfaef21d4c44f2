// application/x-www-form-urlencoded bodies (http::ParseForm, what the token endpoint reads)
// and query strings (Request::Query), with PercentDecode under both.
//
// Properties: every name maps to the first value given for it, as an independent split of
// the text says; Request::Query agrees with ParseForm for every name; the parsed form,
// encoded again, parses back to the same map; PercentDecode inverts percent-encoding of any
// bytes and never lengthens its input.
#include <map>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pharmasys/http/message.hpp"

namespace {

std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto form = pharmasys::http::ParseForm(text);

  // The reference: split on '&', then on the first '='; the first occurrence of a name wins.
  std::map<std::string, std::string> expected;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(start, end - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      std::string name = pharmasys::http::PercentDecode(pair.substr(0, eq), true);
      std::string value = eq == std::string_view::npos ? "" : pharmasys::http::PercentDecode(pair.substr(eq + 1), true);
      expected.try_emplace(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  FUZZ_CHECK(form == expected);

  // A query string is read the same way.
  pharmasys::http::Request request;
  request.query = std::string(text);
  for (const auto& [name, value] : form) {
    if (name.empty()) continue;  // "?=x": no parameter has an empty name
    auto queried = request.Query(name);
    FUZZ_CHECK(queried.has_value() && *queried == value);
  }

  // Encoded again, the same map comes back.
  std::string encoded;
  for (const auto& [name, value] : form) {
    if (!encoded.empty()) encoded += '&';
    encoded += Encode(name) + "=" + Encode(value);
  }
  FUZZ_CHECK(pharmasys::http::ParseForm(encoded) == form);

  // PercentDecode inverts encoding of arbitrary bytes, with or without '+' as space.
  FUZZ_CHECK(pharmasys::http::PercentDecode(Encode(text), true) == text);
  FUZZ_CHECK(pharmasys::http::PercentDecode(Encode(text), false) == text);
  FUZZ_CHECK(pharmasys::http::PercentDecode(text, true).size() <= text.size());
  FUZZ_CHECK(pharmasys::http::PercentDecode(text, false).size() <= text.size());
  return 0;
}
