// Step records (RULES.md B8): recipe order, one record per step, every parameter, limits
// inclusive, out-of-limit values flagged and needing a motivo; and the shape of a recipe.
#include "domain/etapas.hpp"

#include <gtest/gtest.h>

namespace pharmasys::producao {
namespace {

Decimal D(const char* text) {
  return *Decimal::Parse(text);
}

std::vector<Etapa> Receita() {
  return {
      Etapa{1, "Pesagem", {Parametro{"massa", "kg", D("99.5"), D("100.5")}}},
      Etapa{2, "Mistura", {Parametro{"tempo", "min", D("10"), std::nullopt}, Parametro{"rpm", {}, D("50"), D("60")}}},
      Etapa{3, "Envase", {}}};
}

TEST(Etapas, TheFirstStepWithValuesInsideTheLimits) {
  auto r = CheckRegistro(Receita(), {}, 1, {{"massa", D("100")}}, false);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.fora_dos_limites.empty());
}

// proves: B8
TEST(Etapas, StepsRunInRecipeOrder) {
  auto skip = CheckRegistro(Receita(), {}, 2, {{"tempo", D("12")}, {"rpm", D("55")}}, false);
  EXPECT_EQ(skip.recusa, RegistroRecusa::ForaDeOrdem);
  EXPECT_NE(skip.detalhe.find("Pesagem"), std::string::npos);
  EXPECT_TRUE(CheckRegistro(Receita(), {1}, 2, {{"tempo", D("12")}, {"rpm", D("55")}}, false).ok());
  EXPECT_EQ(CheckRegistro(Receita(), {1}, 3, {}, false).recusa, RegistroRecusa::ForaDeOrdem);
  EXPECT_TRUE(CheckRegistro(Receita(), {1, 2}, 3, {}, false).ok());
}

// proves: B8
TEST(Etapas, AStepIsRecordedOnce) {
  EXPECT_EQ(CheckRegistro(Receita(), {1}, 1, {{"massa", D("100")}}, false).recusa, RegistroRecusa::JaRegistrada);
}

TEST(Etapas, AnUnknownStepIsRefused) {
  EXPECT_EQ(CheckRegistro(Receita(), {1, 2, 3}, 4, {}, false).recusa, RegistroRecusa::EtapaDesconhecida);
}

// proves: B8
TEST(Etapas, LimitsAreInclusive) {
  EXPECT_TRUE(CheckRegistro(Receita(), {}, 1, {{"massa", D("99.5")}}, false).fora_dos_limites.empty());
  EXPECT_TRUE(CheckRegistro(Receita(), {}, 1, {{"massa", D("100.5")}}, false).fora_dos_limites.empty());
}

// proves: B8
TEST(Etapas, AnOutOfLimitValueIsFlaggedAndNeedsAMotivo) {
  auto without = CheckRegistro(Receita(), {}, 1, {{"massa", D("100.501")}}, false);
  EXPECT_EQ(without.recusa, RegistroRecusa::MotivoAusente);
  auto with = CheckRegistro(Receita(), {}, 1, {{"massa", D("100.501")}}, true);
  ASSERT_TRUE(with.ok());
  ASSERT_EQ(with.fora_dos_limites.size(), 1u);
  EXPECT_EQ(with.fora_dos_limites[0].parametro, "massa");
  EXPECT_EQ(with.fora_dos_limites[0].valor, D("100.501"));
  // A one-sided limit bounds one side only.
  auto long_mix = CheckRegistro(Receita(), {1}, 2, {{"tempo", D("999")}, {"rpm", D("49.999")}}, true);
  ASSERT_EQ(long_mix.fora_dos_limites.size(), 1u);
  EXPECT_EQ(long_mix.fora_dos_limites[0].parametro, "rpm");
}

TEST(Etapas, MissingAndUnknownParametersAreNamed) {
  auto r = CheckRegistro(Receita(), {1}, 2, {{"tempo", D("12")}, {"temperatura", D("20")}}, false);
  EXPECT_EQ(r.recusa, RegistroRecusa::Parametros);
  ASSERT_EQ(r.erros.size(), 2u);
  EXPECT_EQ(r.erros[0].first, "parametros.rpm");
  EXPECT_EQ(r.erros[1].first, "parametros.temperatura");
}

TEST(Receitas, StepOrdersAreOneToNWithoutGaps) {
  EXPECT_TRUE(RecipeStepProblems(Receita()).empty());
  EXPECT_FALSE(RecipeStepProblems({}).empty());
  EXPECT_FALSE(RecipeStepProblems({Etapa{1, "a", {}}, Etapa{3, "c", {}}}).empty());
  EXPECT_FALSE(RecipeStepProblems({Etapa{1, "a", {}}, Etapa{1, "b", {}}}).empty());
  EXPECT_FALSE(RecipeStepProblems({Etapa{1, "a", {Parametro{"x", {}, D("2"), D("1")}}}}).empty());
  EXPECT_FALSE(RecipeStepProblems({Etapa{1, "a", {Parametro{"x", {}, {}, {}}, Parametro{"x", {}, {}, {}}}}}).empty());
}

}  // namespace
}  // namespace pharmasys::producao
