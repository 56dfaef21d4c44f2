// Exact decimals (decimal.hpp): text in, canonical text out, arithmetic that never wraps.
//
// Properties: Parse accepts exactly the decimal numbers with at most three places whose
// magnitude is within kMaxUnits (checked against an independent reading of the text); a
// parsed value formats back (ToString, ToFixedString) and re-parses equal; ToString is
// canonical; the JSON round trip (ToJson, Serialize, Parse, DecimalFrom) keeps the value;
// +, - and MultiplyRounded match 128-bit arithmetic or throw std::overflow_error.
#include <fuzzer/FuzzedDataProvider.h>

#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "fuzz_support.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using pharmasys::Decimal;
__extension__ using Int128 = __int128;

bool Digit(char c) {
  return c >= '0' && c <= '9';
}

// The reference: the grammar [+-] digits [. digits] [(e|E) [+-] digits], then the value as
// significant digits × 10^exponent, accepted when it is a whole number of thousandths
// within kMaxUnits.
std::optional<std::int64_t> ReferenceUnits(const std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;
  long long exponent = 0;
  std::size_t mantissa_digits = 0;
  while (i < text.size() && Digit(text[i])) digits += text[i++], ++mantissa_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && Digit(text[i])) digits += text[i++], --exponent, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i == text.size()) return std::nullopt;
    long long e = 0;
    bool any = false;
    while (i < text.size() && Digit(text[i])) {
      e = std::min<long long>(e * 10 + (text[i++] - '0'), 1'000'000'000LL);
      any = true;
    }
    if (!any) return std::nullopt;
    exponent += exp_negative ? -e : e;
  }
  if (i != text.size()) return std::nullopt;
  auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  digits.erase(0, first);
  while (digits.back() == '0') digits.pop_back(), ++exponent;
  exponent += Decimal::kScale;  // now the value in thousandths is digits × 10^exponent
  if (exponent < 0) return std::nullopt;
  if (static_cast<long long>(digits.size()) + exponent > 18) return std::nullopt;
  digits.append(static_cast<std::size_t>(exponent), '0');
  std::int64_t units = std::stoll(digits);
  if (units > Decimal::kMaxUnits) return std::nullopt;
  return negative ? -units : units;
}

void CheckText(const std::string& text) {
  auto parsed = Decimal::Parse(text);
  auto expected = ReferenceUnits(text);
  FUZZ_CHECK(parsed.has_value() == expected.has_value());
  if (!parsed) return;
  FUZZ_CHECK(parsed->units() == *expected);
  FUZZ_CHECK(parsed->units() <= Decimal::kMaxUnits && parsed->units() >= -Decimal::kMaxUnits);

  std::string canonical = parsed->ToString();
  FUZZ_CHECK(Decimal::Parse(canonical) == parsed);
  FUZZ_CHECK(Decimal::Parse(parsed->ToFixedString()) == parsed);
  // Canonical: no trailing fraction zeros, no lone point, no leading zeros, no "-0".
  FUZZ_CHECK(canonical != "-0");
  if (auto point = canonical.find('.'); point != std::string::npos) {
    FUZZ_CHECK(canonical.back() != '0' && point + 1 < canonical.size() && canonical.size() - point - 1 <= 3);
  }
  std::string magnitude = canonical[0] == '-' ? canonical.substr(1) : canonical;
  FUZZ_CHECK(!magnitude.empty() && (magnitude[0] != '0' || magnitude == "0" || magnitude[1] == '.'));

  // Through JSON as a client would send it back.
  auto number = pharmasys::json::ToJson(*parsed);
  auto reread = pharmasys::json::DecimalFrom(pharmasys::json::Parse(pharmasys::json::Serialize(number)));
  FUZZ_CHECK(reread == parsed);
}

template <typename Op, typename Ref>
void CheckArithmetic(Decimal a, Decimal b, Op op, Ref reference) {
  Int128 expected = reference(static_cast<Int128>(a.units()), static_cast<Int128>(b.units()));
  bool fits =
      expected >= std::numeric_limits<std::int64_t>::min() && expected <= std::numeric_limits<std::int64_t>::max();
  try {
    Decimal result = op(a, b);
    FUZZ_CHECK(fits && result.units() == static_cast<std::int64_t>(expected));
  } catch (const std::overflow_error&) {
    FUZZ_CHECK(!fits);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  auto mode = input.ConsumeIntegral<std::uint8_t>();
  if (mode % 2 == 0) {
    CheckText(input.ConsumeRemainingBytesAsString());
    return 0;
  }
  // Arithmetic over any units, parsed values' extremes included.
  Decimal a = Decimal::FromUnits(input.ConsumeIntegral<std::int64_t>());
  Decimal b = Decimal::FromUnits(input.ConsumeIntegral<std::int64_t>());
  CheckArithmetic(
      a, b, [](Decimal x, Decimal y) { return x + y; }, [](Int128 x, Int128 y) { return x + y; });
  CheckArithmetic(
      a, b, [](Decimal x, Decimal y) { return x - y; }, [](Int128 x, Int128 y) { return x - y; });
  CheckArithmetic(
      a, b, [](Decimal x, Decimal) { return -x; }, [](Int128 x, Int128) { return -x; });
  // Rounded half away from zero to thousandths; the 256-bit case (both near INT64_MAX)
  // cannot occur because |a·b| < 2^126.
  CheckArithmetic(
      a, b, [](Decimal x, Decimal y) { return x.MultiplyRounded(y); },
      [](Int128 x, Int128 y) {
        Int128 p = x * y;
        Int128 q = (p >= 0 ? p + 500 : p - 500) / 1000;
        return q;
      });
  return 0;
}
