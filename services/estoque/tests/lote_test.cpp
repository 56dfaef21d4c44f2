// The lot status machine (RULES.md B1, B5) and what a shipment re-checks (B4).
#include "domain/lote.hpp"

#include <gtest/gtest.h>

namespace pharmasys::estoque {
namespace {

using namespace std::chrono;

TEST(LotStatusMachine, QuarantineIsReleasedOrRejectedByALaudo) {
  auto released = Apply(LotStatus::Quarentena, LotFact::LaudoAprovado);
  EXPECT_EQ(released.status, LotStatus::Liberado);
  EXPECT_TRUE(released.changed);
  EXPECT_TRUE(released.recusa.empty());
  auto rejected = Apply(LotStatus::Quarentena, LotFact::LaudoReprovado);
  EXPECT_EQ(rejected.status, LotStatus::Reprovado);
  EXPECT_TRUE(rejected.changed);
}

TEST(LotStatusMachine, ARejectedLotNeverBecomesAvailable) {
  auto t = Apply(LotStatus::Reprovado, LotFact::LaudoAprovado);
  EXPECT_EQ(t.status, LotStatus::Reprovado);
  EXPECT_FALSE(t.changed);
  EXPECT_FALSE(t.recusa.empty());
}

TEST(LotStatusMachine, AReleasedLotCanBeRejectedByAReanalysis) {
  EXPECT_EQ(Apply(LotStatus::Liberado, LotFact::LaudoReprovado).status, LotStatus::Reprovado);
  auto again = Apply(LotStatus::Liberado, LotFact::LaudoAprovado);
  EXPECT_EQ(again.status, LotStatus::Liberado);
  EXPECT_FALSE(again.changed);
  EXPECT_TRUE(again.recusa.empty());
}

TEST(LotStatusMachine, RecallBlocksFromEveryStatusAndIsFinal) {
  for (auto s : {LotStatus::Quarentena, LotStatus::Liberado, LotStatus::Reprovado}) {
    auto t = Apply(s, LotFact::Recolhimento);
    EXPECT_EQ(t.status, LotStatus::Recolhido);
    EXPECT_TRUE(t.changed);
  }
  EXPECT_FALSE(Apply(LotStatus::Recolhido, LotFact::Recolhimento).changed);
  for (auto f : {LotFact::LaudoAprovado, LotFact::LaudoReprovado}) {
    auto t = Apply(LotStatus::Recolhido, f);
    EXPECT_EQ(t.status, LotStatus::Recolhido);
    EXPECT_FALSE(t.recusa.empty());
  }
}

TEST(LotStatusMachine, OnlyAReleasedLotLeavesStock) {
  EXPECT_TRUE(CanLeaveStock(LotStatus::Liberado));
  EXPECT_FALSE(CanLeaveStock(LotStatus::Quarentena));
  EXPECT_FALSE(CanLeaveStock(LotStatus::Reprovado));
  EXPECT_FALSE(CanLeaveStock(LotStatus::Recolhido));
}

TEST(LotStatusMachine, StatusNamesRoundTrip) {
  for (auto s : {LotStatus::Quarentena, LotStatus::Liberado, LotStatus::Reprovado, LotStatus::Recolhido}) {
    EXPECT_EQ(ParseLotStatus(ToString(s)), s);
  }
  EXPECT_EQ(ParseLotStatus("vencido"), std::nullopt);
}

TEST(Shippable, EveryRuleOfB4) {
  const Day hoje = sys_days(year{2026} / 11 / 29);
  const Day longe = hoje + days(365);
  EXPECT_EQ(WhyNotShippable({LotStatus::Liberado, true, longe}, hoje, 30), std::nullopt);
  EXPECT_NE(WhyNotShippable({LotStatus::Quarentena, false, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LotStatus::Liberado, false, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LotStatus::Reprovado, false, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LotStatus::Recolhido, true, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LotStatus::Liberado, true, hoje - days(1)}, hoje, 0), std::nullopt);
  EXPECT_EQ(WhyNotShippable({LotStatus::Liberado, true, hoje}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LotStatus::Liberado, true, hoje + days(29)}, hoje, 30), std::nullopt);
  EXPECT_EQ(WhyNotShippable({LotStatus::Liberado, true, hoje + days(30)}, hoje, 30), std::nullopt);
}

}  // namespace
}  // namespace pharmasys::estoque
