#include "pharmasys/decimal.hpp"

#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace pharmasys {
namespace {

__extension__ using Int128 = __int128;  // the product of two scaled int64s

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

std::int64_t CheckedAdd(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) throw std::overflow_error("decimal overflow");
  return out;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;  // every mantissa digit, integer part then fraction
  long frac_len = 0;
  bool any_digit = false;
  while (i < text.size() && IsDigit(text[i])) digits.push_back(text[i++]), any_digit = true;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) digits.push_back(text[i++]), ++frac_len, any_digit = true;
  }
  if (!any_digit) return std::nullopt;
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    if (i >= text.size() || !IsDigit(text[i])) return std::nullopt;
    while (i < text.size() && IsDigit(text[i])) {
      if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;

  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal(0);
  digits.erase(0, first);
  // value = digits × 10^(exponent − frac_len); units = value × 10^kScale.
  long shift = exponent - frac_len + kScale;
  if (shift < 0) {
    const auto drop = static_cast<std::size_t>(-shift);
    if (drop >= digits.size()) return std::nullopt;  // non-zero digits below a thousandth
    if (digits.find_first_not_of('0', digits.size() - drop) != std::string::npos) return std::nullopt;
    digits.resize(digits.size() - drop);
  } else {
    if (static_cast<long>(digits.size()) + shift > 18) return std::nullopt;
    digits.append(static_cast<std::size_t>(shift), '0');
  }
  if (digits.size() > 18) return std::nullopt;
  std::int64_t units = 0;
  for (char c : digits) units = units * 10 + (c - '0');
  if (units > kMaxUnits) return std::nullopt;
  return Decimal(negative ? -units : units);
}

std::string Decimal::ToFixedString() const {
  // Magnitude as unsigned so INT64_MIN cannot overflow.
  std::uint64_t magnitude = units_ < 0 ? 0 - static_cast<std::uint64_t>(units_) : static_cast<std::uint64_t>(units_);
  std::string integer = std::to_string(magnitude / kUnit);
  std::string fraction = std::to_string(magnitude % kUnit);
  fraction.insert(0, kScale - fraction.size(), '0');
  return (units_ < 0 ? "-" : "") + integer + "." + fraction;
}

std::string Decimal::ToString() const {
  std::string fixed = ToFixedString();
  while (fixed.back() == '0') fixed.pop_back();
  if (fixed.back() == '.') fixed.pop_back();
  return fixed;
}

Decimal Decimal::operator+(Decimal other) const {
  return Decimal(CheckedAdd(units_, other.units_));
}

Decimal Decimal::operator-(Decimal other) const {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(units_, other.units_, &out)) throw std::overflow_error("decimal overflow");
  return Decimal(out);
}

Decimal Decimal::operator-() const {
  if (units_ == std::numeric_limits<std::int64_t>::min()) throw std::overflow_error("decimal overflow");
  return Decimal(-units_);
}

Decimal Decimal::MultiplyRounded(Decimal other) const {
  Int128 product = static_cast<Int128>(units_) * other.units_;  // scale 6
  Int128 half = kUnit / 2;
  Int128 rounded = (product >= 0 ? product + half : product - half) / kUnit;
  if (rounded > std::numeric_limits<std::int64_t>::max() || rounded < std::numeric_limits<std::int64_t>::min()) {
    throw std::overflow_error("decimal overflow");
  }
  return Decimal(static_cast<std::int64_t>(rounded));
}

}  // namespace pharmasys
