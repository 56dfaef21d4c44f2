// The production order's state machine: every allowed and refused act, blocking with several
// open deviations, and returning to the status it had.
#include "domain/ordem.hpp"

#include <gtest/gtest.h>

namespace pharmasys::producao {
namespace {

using S = OpStatus;
using A = OpAto;

OpEstado In(S status) {
  return {status, std::nullopt, 0};
}

TEST(OpStateMachine, TheHappyPath) {
  auto started = Aplicar(In(S::Planejada), A::Iniciar);
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started.estado.status, S::EmExecucao);
  for (auto ato : {A::Registrar, A::Consumir, A::CriarLote}) {
    auto t = Aplicar(started.estado, ato);
    EXPECT_TRUE(t.ok());
    EXPECT_EQ(t.estado.status, S::EmExecucao);
  }
  auto done = Aplicar(started.estado, A::Concluir);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done.estado.status, S::Concluida);
}

TEST(OpStateMachine, EveryActRefusedOutsideItsStatus) {
  // Work needs em_execucao.
  for (auto s : {S::Planejada, S::Concluida, S::Cancelada}) {
    for (auto ato : {A::Registrar, A::Consumir, A::CriarLote, A::Concluir}) {
      auto t = Aplicar(In(s), ato);
      EXPECT_EQ(t.recusa, ImpedimentoDaOp::Conflito) << ToString(s);
      EXPECT_EQ(t.estado.status, s);
    }
  }
  for (auto s : {S::EmExecucao, S::Concluida, S::Cancelada})
    EXPECT_EQ(Aplicar(In(s), A::Iniciar).recusa, ImpedimentoDaOp::Conflito);
  for (auto s : {S::Concluida, S::Cancelada}) EXPECT_EQ(Aplicar(In(s), A::Cancelar).recusa, ImpedimentoDaOp::Conflito);
  for (auto s : {S::Planejada, S::EmExecucao}) EXPECT_EQ(Aplicar(In(s), A::Cancelar).estado.status, S::Cancelada);
}

// proves: B3
TEST(OpStateMachine, AnOpenDeviationBlocksEveryWorkActWithOpBloqueada) {
  auto blocked = Aplicar(In(S::EmExecucao), A::DesvioAberto).estado;
  EXPECT_EQ(blocked.status, S::Bloqueada);
  EXPECT_EQ(blocked.antes_do_bloqueio, S::EmExecucao);
  EXPECT_EQ(blocked.desvios_abertos, 1);
  for (auto ato : {A::Registrar, A::Consumir, A::CriarLote, A::Concluir, A::Iniciar}) {
    auto t = Aplicar(blocked, ato);
    EXPECT_EQ(t.recusa, ImpedimentoDaOp::OpBloqueada);
    EXPECT_EQ(t.estado.status, S::Bloqueada);
  }
  // Cancelling a blocked OP is allowed (it makes nothing more).
  EXPECT_EQ(Aplicar(blocked, A::Cancelar).estado.status, S::Cancelada);
}

// proves: B3
TEST(OpStateMachine, SeveralDeviationsUnblockOnlyWhenTheLastCloses) {
  auto s = Aplicar(In(S::Planejada), A::DesvioAberto).estado;
  s = Aplicar(s, A::DesvioAberto).estado;
  s = Aplicar(s, A::DesvioAberto).estado;
  EXPECT_EQ(s.desvios_abertos, 3);
  EXPECT_EQ(s.status, S::Bloqueada);
  s = Aplicar(s, A::DesvioEncerrado).estado;
  s = Aplicar(s, A::DesvioEncerrado).estado;
  EXPECT_EQ(s.status, S::Bloqueada);
  EXPECT_EQ(s.desvios_abertos, 1);
  s = Aplicar(s, A::DesvioEncerrado).estado;
  EXPECT_EQ(s.status, S::Planejada);  // back to what it was
  EXPECT_EQ(s.antes_do_bloqueio, std::nullopt);
  EXPECT_EQ(s.desvios_abertos, 0);
}

TEST(OpStateMachine, DeviationsOnAFinishedOpAreCountedButChangeNoStatus) {
  for (auto st : {S::Concluida, S::Cancelada}) {
    auto t = Aplicar(In(st), A::DesvioAberto);
    EXPECT_EQ(t.estado.status, st);
    EXPECT_EQ(t.estado.desvios_abertos, 1);
    EXPECT_EQ(Aplicar(t.estado, A::DesvioEncerrado).estado.desvios_abertos, 0);
  }
}

TEST(OpStateMachine, AClosingWithoutAnOpenDeviationNeverGoesNegative) {
  auto t = Aplicar(In(S::EmExecucao), A::DesvioEncerrado);
  EXPECT_EQ(t.estado.desvios_abertos, 0);
  EXPECT_EQ(t.estado.status, S::EmExecucao);
}

TEST(OpStateMachine, StatusNamesRoundTrip) {
  for (auto s : {S::Planejada, S::EmExecucao, S::Bloqueada, S::Concluida, S::Cancelada}) {
    EXPECT_EQ(ParseOpStatus(ToString(s)), s);
  }
  EXPECT_EQ(ParseOpStatus("pausada"), std::nullopt);
}

}  // namespace
}  // namespace pharmasys::producao
