// What a shipment re-checks of each lot (RULES.md B4); the lifecycle itself is tested in
// libs/domain/tests/lote_test.cpp.
#include "domain/lote.hpp"

#include <gtest/gtest.h>

namespace pharmasys::estoque {
namespace {

using namespace std::chrono;
using domain::LoteStatus;

// proves: B4
TEST(Shippable, EveryRuleOfB4) {
  const Day hoje = sys_days(year{2026} / 11 / 29);
  const Day longe = hoje + days(365);
  EXPECT_EQ(WhyNotShippable({LoteStatus::Liberado, true, longe}, hoje, 30), std::nullopt);
  EXPECT_NE(WhyNotShippable({LoteStatus::Quarentena, false, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LoteStatus::Liberado, false, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LoteStatus::Reprovado, false, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LoteStatus::Recolhido, true, longe}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LoteStatus::Liberado, true, hoje - days(1)}, hoje, 0), std::nullopt);
  EXPECT_EQ(WhyNotShippable({LoteStatus::Liberado, true, hoje}, hoje, 0), std::nullopt);
  EXPECT_NE(WhyNotShippable({LoteStatus::Liberado, true, hoje + days(29)}, hoje, 30), std::nullopt);
  EXPECT_EQ(WhyNotShippable({LoteStatus::Liberado, true, hoje + days(30)}, hoje, 30), std::nullopt);
}

}  // namespace
}  // namespace pharmasys::estoque
