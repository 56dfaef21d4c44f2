// AllocateFefo (RULES.md B2): ordering, ties, the expiry day, minimum shelf life, partial
// allocation across lots and insufficient stock.
#include "domain/fefo.hpp"

#include <gtest/gtest.h>

namespace pharmasys::estoque {
namespace {

using namespace std::chrono;

Day D(int y, unsigned m, unsigned d) {
  return sys_days(year{y} / month{m} / day{d});
}
Decimal Q(const char* text) {
  return *Decimal::Parse(text);
}

const Day kHoje = D(2026, 11, 29);

FefoCandidate Lot(std::string id, Day validade, const char* disponivel, std::int64_t recebido = 0,
                  std::string codigo = "") {
  return {id, codigo.empty() ? "C-" + id : codigo, validade, recebido, Q(disponivel)};
}

std::vector<std::string> Ids(const FefoAllocation& a) {
  std::vector<std::string> out;
  for (const auto& p : a.partes) out.push_back(p.lote_id);
  return out;
}

// proves: B2
TEST(Fefo, EarliestExpiryFirstWhateverTheInputOrder) {
  auto a = AllocateFefo(
      {Lot("late", D(2027, 6, 1), "10"), Lot("early", D(2027, 1, 1), "10"), Lot("middle", D(2027, 3, 1), "10")},
      {.quantidade = Q("5"), .hoje = kHoje});
  ASSERT_TRUE(a.completa);
  EXPECT_EQ(Ids(a), std::vector<std::string>{"early"});
  EXPECT_EQ(a.partes[0].quantidade, Q("5"));
}

// proves: B2
TEST(Fefo, TiesGoToTheEarliestReceiptThenTheCode) {
  const Day same = D(2027, 1, 1);
  auto by_receipt =
      AllocateFefo({Lot("b", same, "1", 200), Lot("a", same, "1", 100)}, {.quantidade = Q("1"), .hoje = kHoje});
  EXPECT_EQ(Ids(by_receipt), std::vector<std::string>{"a"});
  auto by_code = AllocateFefo({Lot("x", same, "1", 100, "L-002"), Lot("y", same, "1", 100, "L-001")},
                              {.quantidade = Q("1"), .hoje = kHoje});
  EXPECT_EQ(Ids(by_code), std::vector<std::string>{"y"});
}

// proves: B2
TEST(Fefo, ALotExpiringTodayIsUsableTodayAndNotTomorrow) {
  auto today =
      AllocateFefo({Lot("today", kHoje, "3"), Lot("later", D(2027, 1, 1), "3")}, {.quantidade = Q("3"), .hoje = kHoje});
  EXPECT_EQ(Ids(today), std::vector<std::string>{"today"});
  auto tomorrow = AllocateFefo({Lot("today", kHoje, "3"), Lot("later", D(2027, 1, 1), "3")},
                               {.quantidade = Q("3"), .hoje = kHoje + days(1)});
  EXPECT_EQ(Ids(tomorrow), std::vector<std::string>{"later"});
  EXPECT_TRUE(UsableOn(kHoje, kHoje));
  EXPECT_FALSE(UsableOn(kHoje - days(1), kHoje));
}

// proves: B4
TEST(Fefo, MinimumShelfLifeSkipsLotsTooCloseToExpiry) {
  // 30 days required: a lot expiring in 29 days is skipped, one in exactly 30 is taken.
  auto a = AllocateFefo({Lot("29d", kHoje + days(29), "5"), Lot("30d", kHoje + days(30), "5")},
                        {.quantidade = Q("5"), .hoje = kHoje, .vida_util_minima_dias = 30});
  EXPECT_EQ(Ids(a), std::vector<std::string>{"30d"});
  auto none = AllocateFefo({Lot("29d", kHoje + days(29), "5")},
                           {.quantidade = Q("1"), .hoje = kHoje, .vida_util_minima_dias = 30});
  EXPECT_FALSE(none.completa);
  EXPECT_EQ(none.alocavel, Q("0"));
}

// proves: B2
TEST(Fefo, SpreadsAcrossLotsInOrderExactly) {
  auto a =
      AllocateFefo({Lot("c", D(2027, 3, 1), "100"), Lot("a", D(2027, 1, 1), "2.5"), Lot("b", D(2027, 2, 1), "0.75")},
                   {.quantidade = Q("4.001"), .hoje = kHoje});
  ASSERT_TRUE(a.completa);
  ASSERT_EQ(Ids(a), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(a.partes[0].quantidade, Q("2.5"));
  EXPECT_EQ(a.partes[1].quantidade, Q("0.75"));
  EXPECT_EQ(a.partes[2].quantidade, Q("0.751"));
  Decimal total;
  for (const auto& p : a.partes) total += p.quantidade;
  EXPECT_EQ(total, Q("4.001"));
}

TEST(Fefo, ExactlyEnoughIsComplete) {
  auto a =
      AllocateFefo({Lot("a", D(2027, 1, 1), "2"), Lot("b", D(2027, 2, 1), "3")}, {.quantidade = Q("5"), .hoje = kHoje});
  EXPECT_TRUE(a.completa);
  EXPECT_EQ(a.partes.size(), 2u);
}

TEST(Fefo, InsufficientStockAllocatesNothingAndSaysHowMuchThereIs) {
  auto a = AllocateFefo({Lot("a", D(2027, 1, 1), "2"), Lot("expired", kHoje - days(1), "50"),
                         Lot("empty", D(2027, 1, 1), "0"), Lot("b", D(2027, 2, 1), "3")},
                        {.quantidade = Q("5.001"), .hoje = kHoje});
  EXPECT_FALSE(a.completa);
  EXPECT_TRUE(a.partes.empty());
  EXPECT_EQ(a.alocavel, Q("5"));
}

TEST(Fefo, NoCandidatesIsInsufficient) {
  auto a = AllocateFefo({}, {.quantidade = Q("1"), .hoje = kHoje});
  EXPECT_FALSE(a.completa);
  EXPECT_TRUE(a.partes.empty());
}

// proves: B2
TEST(Fefo, AChosenLotBreaksTheRuleOnlyWhenAnotherUsableLotExpiresEarlier) {
  std::vector<FefoCandidate> candidates{Lot("early", D(2027, 1, 1), "1"), Lot("late", D(2027, 6, 1), "1"),
                                        Lot("same", D(2027, 6, 1), "1"), Lot("expired", kHoje - days(3), "9")};
  const FefoRequest request{.quantidade = Q("1"), .hoje = kHoje};
  EXPECT_TRUE(BreaksFefo(candidates, D(2027, 6, 1), request));
  EXPECT_FALSE(BreaksFefo(candidates, D(2027, 1, 1), request));
  // An expired or empty lot expiring earlier does not count: it could not be taken anyway.
  EXPECT_FALSE(
      BreaksFefo({Lot("expired", kHoje - days(3), "9"), Lot("empty", D(2027, 1, 1), "0")}, D(2027, 6, 1), request));
}

}  // namespace
}  // namespace pharmasys::estoque
