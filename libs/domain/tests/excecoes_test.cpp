// Review by exception (RULES.md G1): every out-of-limit value with its motivo, every desvio with
// its closure and every step recorded after the lot was produced is an exception; a batch
// recorded as the recipe demands has none.
#include "pharmasys/domain/excecoes.hpp"

#include <gtest/gtest.h>

namespace pharmasys::domain {
namespace {

FatosDoRegistroDeLote Limpo() {
  FatosDoRegistroDeLote f;
  f.etapas = {{1, "Pesagem"}, {2, "Envase"}};
  f.registros = {{.id = "r1", .ordem = 1, .registrado_por = "gestor", .registrado_em = "2026-12-01T10:00:00.000Z"},
                 {.id = "r2", .ordem = 2, .registrado_por = "gestor", .registrado_em = "2026-12-01T11:00:00.000Z"}};
  f.primeiro_lote_em = "2026-12-01T12:00:00.000Z";
  return f;
}

// proves: G1
TEST(Excecoes, ABatchRecordedAsTheRecipeDemandsHasNone) {
  EXPECT_TRUE(ExcecoesDoRegistro(Limpo()).empty());
  auto sem_lote = Limpo();
  sem_lote.primeiro_lote_em.reset();
  EXPECT_TRUE(ExcecoesDoRegistro(sem_lote).empty());
}

// proves: G1 B8
TEST(Excecoes, AValueOutOfLimitsIsOneWithItsStepLimitsAndMotivo) {
  auto f = Limpo();
  f.registros[0].fora_dos_limites = {{.parametro = "massa", .valor = "101", .minimo = "99.5", .maximo = "100.5"}};
  f.registros[0].motivo = "balança recalibrada";
  auto e = ExcecoesDoRegistro(f);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].tipo, TipoDeExcecao::ParametroForaDosLimites);
  EXPECT_EQ(ToString(e[0].tipo), "parametro_fora_dos_limites");
  EXPECT_EQ(e[0].etapa, 1);
  EXPECT_NE(e[0].descricao.find("Pesagem"), std::string::npos) << e[0].descricao;
  EXPECT_NE(e[0].descricao.find("massa = 101"), std::string::npos) << e[0].descricao;
  EXPECT_NE(e[0].descricao.find("[99.5, 100.5]"), std::string::npos) << e[0].descricao;
  EXPECT_EQ(e[0].motivo, "balança recalibrada");
  EXPECT_EQ(e[0].registrado_por, "gestor");
  EXPECT_EQ(e[0].referencia, "registro:r1");
}

// proves: G1
TEST(Excecoes, AStepRecordedAfterTheLotWasProducedIsOne) {
  auto f = Limpo();
  f.registros[1].registrado_em = "2026-12-01T12:00:00.001Z";
  auto e = ExcecoesDoRegistro(f);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].tipo, TipoDeExcecao::EtapaRegistradaAposOLote);
  EXPECT_EQ(e[0].etapa, 2);
  EXPECT_EQ(e[0].referencia, "registro:r2");
}

// proves: G1
TEST(Excecoes, EveryDesvioIsOneWithItsClosureInTheOrderTheyOpened) {
  auto f = Limpo();
  f.desvios = {{.id = "d2",
                .classificacao = "menor",
                .descricao = "Rótulo",
                .aberto = true,
                .aberto_em = "2026-12-01T10:30:00.000Z",
                .aberto_por = "analista"},
               {.id = "d1",
                .classificacao = "maior",
                .descricao = "Temperatura",
                .aberto = false,
                .aberto_em = "2026-12-01T10:10:00.000Z",
                .encerrado_em = "2026-12-01T10:20:00.000Z",
                .aberto_por = "analista",
                .encerrado_por = "analista2"}};
  auto e = ExcecoesDoRegistro(f);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].referencia, "desvio:d1");
  EXPECT_NE(e[0].descricao.find("encerrado em 2026-12-01T10:20:00.000Z por analista2"), std::string::npos)
      << e[0].descricao;
  EXPECT_EQ(e[0].registrado_por, "analista");
  EXPECT_EQ(e[1].referencia, "desvio:d2");
  EXPECT_NE(e[1].descricao.find("aberto"), std::string::npos);
  EXPECT_EQ(e[1].tipo, TipoDeExcecao::Desvio);
}

// proves: G1
TEST(Excecoes, StepExceptionsComeInStepOrderBeforeTheDesvios) {
  auto f = Limpo();
  std::swap(f.registros[0], f.registros[1]);
  f.registros[0].fora_dos_limites = {{.parametro = "x", .valor = "1", .maximo = "0"}};         // step 2
  f.registros[1].fora_dos_limites = {{.parametro = "massa", .valor = "1", .minimo = "99.5"}};  // step 1
  f.desvios = {{.id = "d", .aberto = false, .encerrado_em = "2026-12-01T10:20:00.000Z"}};
  auto e = ExcecoesDoRegistro(f);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].etapa, 1);
  EXPECT_NE(e[0].descricao.find("≥ 99.5"), std::string::npos) << e[0].descricao;
  EXPECT_EQ(e[1].etapa, 2);
  EXPECT_NE(e[1].descricao.find("≤ 0"), std::string::npos) << e[1].descricao;
  EXPECT_EQ(e[2].tipo, TipoDeExcecao::Desvio);
}

}  // namespace
}  // namespace pharmasys::domain
