// The sample state machine and the rules of a laudo (four eyes, motivo, open deviations,
// every ensaio present and conforming).
#include "domain/amostra.hpp"

#include <gtest/gtest.h>

namespace pharmasys::cq {
namespace {

using S = AmostraStatus;
using A = AmostraAto;

TEST(AmostraStatusMachine, EveryAllowedAndRefusedAct) {
  EXPECT_EQ(Next(S::AguardandoColeta, A::Coleta), S::Coletada);
  EXPECT_EQ(Next(S::AguardandoColeta, A::Resultado), std::nullopt);
  EXPECT_EQ(Next(S::AguardandoColeta, A::Laudo), std::nullopt);
  EXPECT_EQ(Next(S::Coletada, A::Coleta), std::nullopt);
  EXPECT_EQ(Next(S::Coletada, A::Resultado), S::EmAnalise);
  EXPECT_EQ(Next(S::Coletada, A::Laudo), S::Concluida);
  EXPECT_EQ(Next(S::EmAnalise, A::Coleta), std::nullopt);
  EXPECT_EQ(Next(S::EmAnalise, A::Resultado), S::EmAnalise);
  EXPECT_EQ(Next(S::EmAnalise, A::Laudo), S::Concluida);
  for (auto ato : {A::Coleta, A::Resultado, A::Laudo}) EXPECT_EQ(Next(S::Concluida, ato), std::nullopt);
}

TEST(AmostraStatusMachine, NamesRoundTrip) {
  for (auto s : {S::AguardandoColeta, S::Coletada, S::EmAnalise, S::Concluida}) {
    EXPECT_EQ(ParseAmostraStatus(ToString(s)), s);
  }
  EXPECT_EQ(ParseAmostraStatus("aprovada"), std::nullopt);
}

ContextoLaudo Complete() {
  ContextoLaudo c;
  c.ensaios = {Ensaio{.codigo = "PH", .nome = "pH", .minimo = Decimal::FromInteger(6)},
               Ensaio{.codigo = "ASP", .nome = "Aspecto", .esperado = "Conforme"}};
  c.resultados = {{"PH", true}, {"ASP", true}};
  c.analistas = {"analista-1"};
  return c;
}

TEST(Laudo, ApprovesACompleteConformingSampleSignedBySomeoneElse) {
  EXPECT_TRUE(CheckLaudo(Complete(), {"aprovado", std::nullopt, "analista-2"}).ok());
}

// proves: S2
TEST(Laudo, FourEyesTheAnalystWhoEnteredResultsCannotSign) {
  for (const char* decisao : {"aprovado", "reprovado"}) {
    auto d = CheckLaudo(Complete(), {decisao, std::string("motivo ok"), "analista-1"});
    EXPECT_EQ(d.recusa, ImpedimentoDoLaudo::QuatroOlhos) << decisao;
  }
}

TEST(Laudo, AMissingResultIsOutOfSpecification) {
  auto c = Complete();
  c.resultados.pop_back();
  auto d = CheckLaudo(c, {"aprovado", std::nullopt, "analista-2"});
  EXPECT_EQ(d.recusa, ImpedimentoDoLaudo::ForaDeEspecificacao);
  EXPECT_NE(d.detalhe.find("ASP sem resultado"), std::string::npos);
}

TEST(Laudo, ANonConformingResultIsOutOfSpecification) {
  auto c = Complete();
  c.resultados[0].conforme = false;
  auto d = CheckLaudo(c, {"aprovado", std::nullopt, "analista-2"});
  EXPECT_EQ(d.recusa, ImpedimentoDoLaudo::ForaDeEspecificacao);
  EXPECT_NE(d.detalhe.find("PH fora da especificação"), std::string::npos);
}

TEST(Laudo, NoSpecificationCannotBeApproved) {
  ContextoLaudo empty;
  EXPECT_EQ(CheckLaudo(empty, {"aprovado", std::nullopt, "x"}).recusa, ImpedimentoDoLaudo::ForaDeEspecificacao);
}

// proves: B3
TEST(Laudo, AnOpenDeviationBlocksApprovalButNotRejection) {
  auto c = Complete();
  c.desvios_abertos = 2;
  EXPECT_EQ(CheckLaudo(c, {"aprovado", std::nullopt, "analista-2"}).recusa, ImpedimentoDoLaudo::DesvioAberto);
  EXPECT_TRUE(CheckLaudo(c, {"reprovado", std::string("contaminação"), "analista-2"}).ok());
}

// proves: G1
TEST(Laudo, AProducedLotIsApprovedOnlyOnceItsBatchRecordIsReviewedButRejectedAnyway) {
  auto c = Complete();
  c.registro_revisado = false;  // RULES G1
  EXPECT_EQ(CheckLaudo(c, {"aprovado", std::nullopt, "analista-2"}).recusa, ImpedimentoDoLaudo::RegistroNaoRevisado);
  EXPECT_TRUE(CheckLaudo(c, {"reprovado", std::string("contaminação"), "analista-2"}).ok());
  c.registro_revisado = true;
  EXPECT_TRUE(CheckLaudo(c, {"aprovado", std::nullopt, "analista-2"}).ok());
  c.registro_revisado.reset();  // a received lot has no batch record
  EXPECT_TRUE(CheckLaudo(c, {"aprovado", std::nullopt, "analista-2"}).ok());
}

TEST(Laudo, ARejectionNeedsAMotivoButNotCompleteResults) {
  ContextoLaudo partial = Complete();
  partial.resultados.clear();
  EXPECT_EQ(CheckLaudo(partial, {"reprovado", std::nullopt, "analista-2"}).recusa, ImpedimentoDoLaudo::MotivoAusente);
  EXPECT_EQ(CheckLaudo(partial, {"reprovado", std::string("ab"), "analista-2"}).recusa,
            ImpedimentoDoLaudo::MotivoAusente);
  EXPECT_TRUE(CheckLaudo(partial, {"reprovado", std::string("amostra derramada"), "analista-2"}).ok());
}

}  // namespace
}  // namespace pharmasys::cq
