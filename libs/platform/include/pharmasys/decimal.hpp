#pragma once
// Exact decimal quantities with three places, stored as a count of thousandths in an int64.
// Quantities never touch binary floating point: they come from JSON number text (see
// json/fields.hpp), from PostgreSQL `numeric` text, and leave as exact decimal text.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pharmasys {

class Decimal {
 public:
  static constexpr int kScale = 3;
  static constexpr std::int64_t kUnit = 1000;
  // Largest magnitude accepted from text: 15 significant digits (12 integer + 3 decimal).
  static constexpr std::int64_t kMaxUnits = 999'999'999'999'999;

  constexpr Decimal() = default;
  static constexpr Decimal FromUnits(std::int64_t thousandths) { return Decimal(thousandths); }
  static constexpr Decimal FromInteger(std::int64_t value) { return Decimal(value * kUnit); }

  // Parses "12", "-0.5", "12.500", "1e2", "1.25E-1". Refuses more than three decimal places
  // that are not zeros, values beyond kMaxUnits, and anything that is not a decimal number.
  static std::optional<Decimal> Parse(std::string_view text);

  constexpr std::int64_t units() const { return units_; }
  constexpr bool IsPositive() const { return units_ > 0; }
  constexpr bool IsZero() const { return units_ == 0; }
  // Canonical text without trailing zeros: "12", "12.5", "-0.001".
  std::string ToString() const;
  // Fixed three places, as PostgreSQL prints numeric(18,3): "12.500".
  std::string ToFixedString() const;

  // Arithmetic throws std::overflow_error rather than wrap.
  Decimal operator+(Decimal other) const;
  Decimal operator-(Decimal other) const;
  Decimal operator-() const;
  Decimal& operator+=(Decimal other) { return *this = *this + other; }
  Decimal& operator-=(Decimal other) { return *this = *this - other; }
  // Product rounded half away from zero to three places (recipe quantity × units made).
  Decimal MultiplyRounded(Decimal other) const;

  friend constexpr auto operator<=>(Decimal, Decimal) = default;

 private:
  constexpr explicit Decimal(std::int64_t units) : units_(units) {}
  std::int64_t units_ = 0;
};

}  // namespace pharmasys
