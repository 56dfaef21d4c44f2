#include "pharmasys/json/json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "pharmasys/error.hpp"

namespace pharmasys::json {
namespace {

// A number's text reduced to (significant digits, decimal exponent) so two spellings of the
// same decimal compare equal: "12.50" and "1.25e1" both give ("125", -1).
struct NormalNumber {
  bool negative = false;
  std::string digits;
  long exponent = 0;
  bool operator==(const NormalNumber&) const = default;
};

NormalNumber Normalise(std::string_view text) {
  NormalNumber n;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') n.negative = true, ++i;
  long frac = 0;
  bool in_fraction = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      in_fraction = true;
    } else if (c >= '0' && c <= '9') {
      n.digits.push_back(c);
      if (in_fraction) ++frac;
    } else {
      break;  // 'e' / 'E'
    }
  }
  long exp = 0;
  if (i < text.size()) {
    std::string_view rest = text.substr(i + 1);
    if (!rest.empty() && rest.front() == '+') rest.remove_prefix(1);
    long parsed = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), parsed);
    exp = ec == std::errc() ? parsed : (rest.starts_with('-') ? -100000 : 100000);
  }
  n.exponent = exp - frac;
  auto first = n.digits.find_first_not_of('0');
  if (first == std::string::npos) return NormalNumber{};  // zero, whatever its sign
  n.digits.erase(0, first);
  while (n.digits.back() == '0') n.digits.pop_back(), ++n.exponent;
  return n;
}

std::string ShortestText(double d) {
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  return std::string(buf.data(), end);
}

// A basic_parser handler that builds a boost::json::value and refuses numbers whose text
// would not survive the trip through a double.
class ExactHandler {
 public:
  static constexpr std::size_t max_object_size = 100000;
  static constexpr std::size_t max_array_size = 100000;
  static constexpr std::size_t max_key_size = 4096;
  static constexpr std::size_t max_string_size = 1 << 20;

  boost::json::value_stack stack;
  std::string number_text;
  std::string inexact_number;

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::system::error_code&) { return stack.push_array(n), true; }
  bool on_object_begin(boost::system::error_code&) { return true; }
  bool on_object_end(std::size_t n, boost::system::error_code&) { return stack.push_object(n), true; }
  bool on_string_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    return stack.push_chars(s), true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    return stack.push_string(s), true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::system::error_code&) {
    return stack.push_chars(s), true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::system::error_code&) { return stack.push_key(s), true; }
  bool on_number_part(boost::json::string_view s, boost::system::error_code&) {
    number_text.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, boost::json::string_view, boost::system::error_code&) {
    number_text.clear();
    return stack.push_int64(i), true;
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, boost::system::error_code&) {
    number_text.clear();
    return stack.push_uint64(u), true;
  }
  bool on_double(double d, boost::json::string_view s, boost::system::error_code&) {
    number_text.append(s.data(), s.size());
    // Boost.JSON 1.81 does not round every number correctly: "5678000000000e30" and its own
    // shortest form "5.678e+42" came out as different doubles, so a value we wrote back was
    // refused on its way in. std::from_chars rounds correctly; Boost's value stays only for
    // text from_chars cannot hold (out of range, refused below).
    double value = d;
    const char* end = number_text.data() + number_text.size();
    auto [stop, ec] = std::from_chars(number_text.data(), end, value);
    if (ec != std::errc() || stop != end) value = d;
    if (inexact_number.empty() && (!std::isfinite(value) || Normalise(number_text) != Normalise(ShortestText(value)))) {
      inexact_number = number_text.substr(0, 40);
    }
    number_text.clear();
    return stack.push_double(value), true;
  }
  bool on_bool(bool b, boost::system::error_code&) { return stack.push_bool(b), true; }
  bool on_null(boost::system::error_code&) { return stack.push_null(), true; }
  bool on_comment_part(boost::json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::system::error_code&) { return true; }
};

constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;

// Whether any of the eight bytes of `w` is below 0x20, a '"' or a '\\'.
constexpr bool NeedsEscape(std::uint64_t w) {
  const std::uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  const std::uint64_t below_space = (w - kOnes * 0x20) & ~w;
  return ((((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | below_space) & kHighs) != 0;
}

bool NeedsEscape(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (NeedsEscape(w)) return true;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') return true;
  }
  return false;
}

void AppendEscaped(std::string& out, std::string_view s) {
  if (!NeedsEscape(s)) {  // most texts: copied whole, the string grown once (no call per quote)
    const std::size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* p = out.data() + at;
    p[0] = '"';
    std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    return;
  }
  out.push_back('"');
  // Runs of characters that need no escape are copied whole, found eight bytes at a time.
  auto needs_escape = [](std::uint64_t w) { return NeedsEscape(w); };
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (needs_escape(w) != 0) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

template <typename Int>
void AppendInteger(std::string& out, Int v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

void SerializeInto(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: AppendInteger(out, v.get_int64()); break;
    case boost::json::kind::uint64: AppendInteger(out, v.get_uint64()); break;
    case boost::json::kind::double_: {
      double d = v.get_double();
      if (d != d || d - d != 0) {  // NaN or infinity have no JSON form
        out += "null";
        break;
      }
      out += ShortestText(d);
      break;
    }
    case boost::json::kind::string: AppendEscaped(out, v.get_string()); break;
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        SerializeInto(out, item);
      }
      out.push_back(']');
      break;
    }
    case boost::json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        AppendEscaped(out, kv.key());
        out.push_back(':');
        SerializeInto(out, kv.value());
      }
      out.push_back('}');
      break;
    }
  }
}

}  // namespace

boost::json::value Parse(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::basic_parser<ExactHandler> parser(options);
  parser.handler().stack.reset();
  boost::system::error_code ec;
  std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = boost::json::error::extra_data;
  if (ec) throw BadRequest("O corpo não é um JSON válido: " + ec.message() + ".");
  if (!parser.handler().inexact_number.empty()) {
    throw ValidationError(
        {{"corpo", "o número " + parser.handler().inexact_number + " tem mais precisão do que pode ser representada"}});
  }
  return parser.handler().stack.release();
}

std::string Serialize(const boost::json::value& value) {
  std::string out;
  SerializeInto(out, value);
  return out;
}

void AppendSerialized(std::string& out, const boost::json::value& value) {
  SerializeInto(out, value);
}

void AppendString(std::string& out, std::string_view text) {
  AppendEscaped(out, text);
}

boost::json::value ToJson(const std::optional<std::string>& text) {
  return text ? boost::json::value(boost::json::string(*text)) : boost::json::value(nullptr);
}

boost::json::value ToJson(Decimal quantity) {
  if (quantity.units() % Decimal::kUnit == 0) return quantity.units() / Decimal::kUnit;
  // ≤ 15 significant digits: the nearest double prints back as exactly this decimal.
  double d = 0;
  std::string text = quantity.ToString();
  std::from_chars(text.data(), text.data() + text.size(), d);
  return d;
}

std::optional<Decimal> DecimalFrom(const boost::json::value& number) {
  switch (number.kind()) {
    case boost::json::kind::int64: {
      std::int64_t i = number.get_int64();
      if (i > Decimal::kMaxUnits / Decimal::kUnit || i < -Decimal::kMaxUnits / Decimal::kUnit) return std::nullopt;
      return Decimal::FromInteger(i);
    }
    case boost::json::kind::uint64: return std::nullopt;  // beyond any quantity we keep
    case boost::json::kind::double_: return Decimal::Parse(ShortestText(number.get_double()));
    default: return std::nullopt;
  }
}

}  // namespace pharmasys::json
