// Conformity of a result against its ensaio: numeric limits inclusive at both ends, a missing
// limit bounding nothing, qualitative values, and the shape of a specification.
#include "domain/conformidade.hpp"

#include <gtest/gtest.h>

namespace pharmasys::cq {
namespace {

Decimal D(const char* text) {
  return *Decimal::Parse(text);
}

Ensaio Numeric(std::optional<Decimal> minimo, std::optional<Decimal> maximo) {
  return Ensaio{.codigo = "PH", .nome = "pH", .minimo = minimo, .maximo = maximo};
}

TEST(Conformidade, NumericLimitsAreInclusiveAtTheBoundary) {
  auto ph = Numeric(D("6.0"), D("7.5"));
  EXPECT_TRUE(Check(ph, D("6")).conforme);
  EXPECT_TRUE(Check(ph, D("7.5")).conforme);
  EXPECT_TRUE(Check(ph, D("6.8")).conforme);
  EXPECT_FALSE(Check(ph, D("5.999")).conforme);
  EXPECT_FALSE(Check(ph, D("7.501")).conforme);
}

TEST(Conformidade, AMissingLimitBoundsNothing) {
  auto at_least = Numeric(D("98"), std::nullopt);
  EXPECT_TRUE(Check(at_least, D("98")).conforme);
  EXPECT_TRUE(Check(at_least, D("100000")).conforme);
  EXPECT_FALSE(Check(at_least, D("97.999")).conforme);
  auto at_most = Numeric(std::nullopt, D("0.5"));
  EXPECT_TRUE(Check(at_most, D("0.5")).conforme);
  EXPECT_TRUE(Check(at_most, D("-3")).conforme);
  EXPECT_FALSE(Check(at_most, D("0.501")).conforme);
}

TEST(Conformidade, QualitativeComparesTheTextIgnoringCaseAndSpaces) {
  Ensaio aspecto{.codigo = "ASP", .nome = "Aspecto", .esperado = "Pó branco cristalino"};
  EXPECT_TRUE(Check(aspecto, std::string("  pó branco cristalino ")).conforme);
  EXPECT_TRUE(Check(aspecto, std::string("PÓ BRANCO CRISTALINO")).conforme);
  EXPECT_TRUE(Check(aspecto, std::string("Pó BrAnCo CrIsTaLiNo")).conforme);
  EXPECT_FALSE(Check(aspecto, std::string("Pó amarelado")).conforme);
}

TEST(Conformidade, AValueOfTheWrongKindIsRefusedNotJudged) {
  Ensaio aspecto{.codigo = "ASP", .nome = "Aspecto", .esperado = "Conforme"};
  auto number_for_text = Check(aspecto, D("1"));
  EXPECT_FALSE(number_for_text.recusa.empty());
  auto text_for_number = Check(Numeric(D("1"), D("2")), std::string("alto"));
  EXPECT_FALSE(text_for_number.recusa.empty());
  EXPECT_TRUE(Check(Numeric(D("1"), D("2")), D("1.5")).recusa.empty());
}

TEST(Especificacao, EveryProblemIsNamed) {
  EXPECT_FALSE(SpecificationProblems({}).empty());
  EXPECT_TRUE(
      SpecificationProblems({Numeric(D("1"), D("2")), Ensaio{.codigo = "A", .nome = "a", .esperado = "x"}}).empty());
  auto no_limits = SpecificationProblems({Ensaio{.codigo = "X", .nome = "x"}});
  ASSERT_EQ(no_limits.size(), 1u);
  EXPECT_EQ(no_limits[0].first, "ensaios[0]");
  auto inverted = SpecificationProblems({Numeric(D("3"), D("2"))});
  ASSERT_EQ(inverted.size(), 1u);
  EXPECT_EQ(inverted[0].first, "ensaios[0].minimo");
  auto both = SpecificationProblems({Ensaio{.codigo = "X", .nome = "x", .minimo = D("1"), .esperado = "y"}});
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].first, "ensaios[0].esperado");
  auto repeated = SpecificationProblems({Numeric(D("1"), std::nullopt), Numeric(std::nullopt, D("2"))});
  ASSERT_EQ(repeated.size(), 1u);
  EXPECT_EQ(repeated[0].first, "ensaios[1].codigo");
}

}  // namespace
}  // namespace pharmasys::cq
