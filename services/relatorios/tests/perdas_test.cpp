// Avoidable losses (domain/perdas.hpp): which released lots FEFO will not reach before they
// expire at the material's recent rate of use, and how much of each.
#include "domain/perdas.hpp"

#include <gtest/gtest.h>

namespace pharmasys::relatorios {
namespace {

Decimal Q(std::int64_t n) {
  return Decimal::FromInteger(n);
}

TEST(PerdasEvitaveis, StockUsedUpBeforeItExpiresIsNotAtRisk) {
  // 10 a day: A (100, 20 days) is used up on day 10, B (100, 30 days) on day 20.
  auto out = PerdasEvitaveis({{"A", 20, Q(100)}, {"B", 30, Q(100)}}, Q(10));
  EXPECT_TRUE(out.empty());
}

TEST(PerdasEvitaveis, WhatFefoCannotReachInTimeIsTheLoss) {
  // 10 a day, lots in FEFO order: A (100, 10 days) is used up on day 10; B (100, 15 days) gets
  // 50 before it expires and loses 50; C (100, 25 days) starts on day 15 and gets 100 by day 25.
  auto out = PerdasEvitaveis({{"A", 10, Q(100)}, {"B", 15, Q(100)}, {"C", 25, Q(100)}}, Q(10));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].lote_id, "B");
  EXPECT_EQ(out[0].em_risco, Q(50));
  EXPECT_EQ(out[0].alcancado_em_dias, 10);
}

TEST(PerdasEvitaveis, ALargeLotOutlivesTheRateOfUse) {
  // 5 a day: B (40, 60 days) is used up on day 8; A (500, 100 days) then gets 5 × 92 = 460 and
  // loses 40.
  auto out = PerdasEvitaveis({{"B", 60, Q(40)}, {"A", 100, Q(500)}}, Q(5));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].lote_id, "A");
  EXPECT_EQ(out[0].em_risco, Q(40));
  EXPECT_EQ(out[0].alcancado_em_dias, 8);
}

TEST(PerdasEvitaveis, AMaterialNotInUseLosesEveryLotAndIsNeverReached) {
  auto out = PerdasEvitaveis({{"A", 10, Q(3)}, {"B", 400, Q(7)}}, Q(0));
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].em_risco, Q(3));
  EXPECT_EQ(out[1].em_risco, Q(7));
  EXPECT_FALSE(out[0].alcancado_em_dias.has_value());
}

TEST(PerdasEvitaveis, FractionalUseAndBalancesAreExact) {
  // 0.5 a day for 3 days: 1.5 of 2.25 used, 0.75 at risk.
  auto out = PerdasEvitaveis({{"A", 3, Decimal::FromUnits(2250)}}, Decimal::FromUnits(500));
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].em_risco, Decimal::FromUnits(750));
}

}  // namespace
}  // namespace pharmasys::relatorios
