#include "pharmasys/ids.hpp"

#include <gtest/gtest.h>

#include <set>

#include "pharmasys/json/fields.hpp"

namespace pharmasys::ids {
namespace {

TEST(Ids, UuidV7IsWellFormedUniqueAndTimeOrdered) {
  std::vector<std::string> made;
  for (int i = 0; i < 5000; ++i) made.push_back(NewUuidV7());
  std::set<std::string> unique(made.begin(), made.end());
  EXPECT_EQ(unique.size(), made.size());
  for (std::size_t i = 0; i < made.size(); ++i) {
    ASSERT_TRUE(json::IsUuid(made[i])) << made[i];
    EXPECT_EQ(made[i][14], '7');                                          // version
    EXPECT_NE(std::string("89ab").find(made[i][19]), std::string::npos);  // RFC variant
    if (i > 0) {
      EXPECT_LT(made[i - 1], made[i]);
    }
  }
}

TEST(Ids, RandomHexHasTheAskedLength) {
  EXPECT_EQ(RandomHex(16).size(), 32u);
  EXPECT_NE(RandomHex(8), RandomHex(8));
}

}  // namespace
}  // namespace pharmasys::ids
