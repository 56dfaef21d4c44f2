#include "pharmasys/decimal.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pharmasys {
namespace {

TEST(Decimal, ParsesPlainAndScaledNumbers) {
  EXPECT_EQ(Decimal::Parse("12")->units(), 12000);
  EXPECT_EQ(Decimal::Parse("12.5")->units(), 12500);
  EXPECT_EQ(Decimal::Parse("0.001")->units(), 1);
  EXPECT_EQ(Decimal::Parse("-0.5")->units(), -500);
  EXPECT_EQ(Decimal::Parse("12.500")->units(), 12500);
  EXPECT_EQ(Decimal::Parse("1.25e1")->units(), 12500);
  EXPECT_EQ(Decimal::Parse("125E-3")->units(), 125);
  EXPECT_EQ(Decimal::Parse("0.0")->units(), 0);
  EXPECT_EQ(Decimal::Parse("1.2340000")->units(), 1234);
}

TEST(Decimal, RefusesMoreThanThreePlacesAndGarbage) {
  EXPECT_FALSE(Decimal::Parse("0.0001"));
  EXPECT_FALSE(Decimal::Parse("1.2345"));
  EXPECT_FALSE(Decimal::Parse("1e-4"));
  EXPECT_FALSE(Decimal::Parse(""));
  EXPECT_FALSE(Decimal::Parse("-"));
  EXPECT_FALSE(Decimal::Parse("abc"));
  EXPECT_FALSE(Decimal::Parse("1.2.3"));
  EXPECT_FALSE(Decimal::Parse("1e"));
  EXPECT_FALSE(Decimal::Parse("12 "));
  EXPECT_FALSE(Decimal::Parse("0x10"));
}

TEST(Decimal, RefusesValuesBeyondFifteenDigits) {
  EXPECT_TRUE(Decimal::Parse("999999999999.999"));
  EXPECT_FALSE(Decimal::Parse("1000000000000"));
  EXPECT_FALSE(Decimal::Parse("1e13"));
  EXPECT_FALSE(Decimal::Parse("1e99999999999"));
  EXPECT_EQ(Decimal::Parse("0e99999999999")->units(), 0);
}

TEST(Decimal, PrintsCanonicalAndFixedText) {
  EXPECT_EQ(Decimal::FromUnits(12500).ToString(), "12.5");
  EXPECT_EQ(Decimal::FromUnits(12000).ToString(), "12");
  EXPECT_EQ(Decimal::FromUnits(-1).ToString(), "-0.001");
  EXPECT_EQ(Decimal::FromUnits(0).ToString(), "0");
  EXPECT_EQ(Decimal::FromUnits(12500).ToFixedString(), "12.500");
  EXPECT_EQ(Decimal::FromUnits(-7).ToFixedString(), "-0.007");
}

TEST(Decimal, AddsExactlyWhereBinaryFloatingPointDrifts) {
  Decimal sum;
  for (int i = 0; i < 1000; ++i) sum += *Decimal::Parse("0.001");
  EXPECT_EQ(sum, Decimal::FromInteger(1));
  double drift = 0;
  for (int i = 0; i < 1000; ++i) drift += 0.001;
  EXPECT_NE(drift, 1.0);  // why the type exists
  EXPECT_EQ((*Decimal::Parse("0.1") + *Decimal::Parse("0.2")).ToString(), "0.3");
}

TEST(Decimal, ComparesAndSubtracts) {
  auto a = *Decimal::Parse("10.5");
  auto b = *Decimal::Parse("3.25");
  EXPECT_LT(b, a);
  EXPECT_EQ((a - b).ToString(), "7.25");
  EXPECT_EQ((b - a).ToString(), "-7.25");
  EXPECT_TRUE((a - a).IsZero());
  EXPECT_FALSE((b - a).IsPositive());
}

TEST(Decimal, MultipliesWithHalfAwayFromZeroRounding) {
  EXPECT_EQ(Decimal::Parse("0.125")->MultiplyRounded(*Decimal::Parse("3")).ToString(), "0.375");
  EXPECT_EQ(Decimal::Parse("0.001")->MultiplyRounded(*Decimal::Parse("0.5")).ToString(), "0.001");
  EXPECT_EQ(Decimal::Parse("0.001")->MultiplyRounded(*Decimal::Parse("0.4")).ToString(), "0");
  EXPECT_EQ(Decimal::Parse("-0.001")->MultiplyRounded(*Decimal::Parse("0.5")).ToString(), "-0.001");
}

TEST(Decimal, OverflowThrowsInsteadOfWrapping) {
  auto big = Decimal::FromUnits(INT64_MAX);
  EXPECT_THROW(big + Decimal::FromUnits(1), std::overflow_error);
  EXPECT_THROW(Decimal::FromUnits(INT64_MIN) - Decimal::FromUnits(1), std::overflow_error);
  EXPECT_THROW(big.MultiplyRounded(Decimal::FromInteger(2)), std::overflow_error);
}

}  // namespace
}  // namespace pharmasys
