// The lot lifecycle (PRODUCT.md; RULES.md B1, B5): every status × every fact, and the order
// independence the consumers of out-of-order events rely on.
#include "pharmasys/domain/lote.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace pharmasys::domain {
namespace {

using S = LoteStatus;
using F = LoteFato;
using R = LoteRecusa;

struct Row {
  S atual;
  F fato;
  S depois;
  bool mudou;
  R recusa;
};

// The whole table, written out: a change to the rule must change a line here.
constexpr Row kTable[] = {
    {S::Quarentena, F::LaudoAprovado, S::Liberado, true, R::Nenhuma},
    {S::Quarentena, F::LaudoReprovado, S::Reprovado, true, R::Nenhuma},
    {S::Quarentena, F::Recolhimento, S::Recolhido, true, R::Nenhuma},
    {S::Liberado, F::LaudoAprovado, S::Liberado, false, R::Nenhuma},
    {S::Liberado, F::LaudoReprovado, S::Reprovado, true, R::Nenhuma},
    {S::Liberado, F::Recolhimento, S::Recolhido, true, R::Nenhuma},
    {S::Reprovado, F::LaudoAprovado, S::Reprovado, false, R::ReprovadoNaoVoltaADisponivel},
    {S::Reprovado, F::LaudoReprovado, S::Reprovado, false, R::Nenhuma},
    {S::Reprovado, F::Recolhimento, S::Recolhido, true, R::Nenhuma},
    {S::Recolhido, F::LaudoAprovado, S::Recolhido, false, R::Recolhido},
    {S::Recolhido, F::LaudoReprovado, S::Recolhido, false, R::Recolhido},
    {S::Recolhido, F::Recolhimento, S::Recolhido, false, R::Nenhuma},
};

// proves: B1
TEST(LoteLifecycle, EveryStatusTimesEveryFact) {
  int covered = 0;
  for (auto atual : kLoteStatuses) {
    for (auto fato : kLoteFatos) {
      auto row = std::find_if(std::begin(kTable), std::end(kTable),
                              [&](const Row& r) { return r.atual == atual && r.fato == fato; });
      ASSERT_NE(row, std::end(kTable)) << ToString(atual) << " × fato " << static_cast<int>(fato);
      auto t = Apply(atual, fato);
      SCOPED_TRACE(std::string(ToString(atual)) + " × fato " + std::to_string(static_cast<int>(fato)));
      EXPECT_EQ(t.status, row->depois);
      EXPECT_EQ(t.mudou, row->mudou);
      EXPECT_EQ(t.recusa, row->recusa);
      EXPECT_EQ(t.aceita(), row->recusa == R::Nenhuma);
      EXPECT_EQ(t.mudou, t.status != atual);
      if (!t.aceita()) {
        EXPECT_EQ(t.status, atual) << "a refused fact changes nothing";
        EXPECT_FALSE(Explain(t.recusa).empty());
      }
      ++covered;
    }
  }
  EXPECT_EQ(covered, std::size(kTable));
}

// proves: B1
TEST(LoteLifecycle, AReprovadoLotNeverBecomesAvailableWhateverComesAfter) {
  // B1: after a laudo reprovado, no sequence of facts makes the lot leave stock.
  std::vector<F> seq{F::LaudoReprovado};
  for (auto a : kLoteFatos) {
    for (auto b : kLoteFatos) {
      std::vector<F> fatos{F::LaudoReprovado, a, b};
      EXPECT_FALSE(CanLeaveStock(DerivedStatus(fatos)));
    }
  }
}

// Every sequence of up to four facts, in every order, derives the same status: the greatest
// fact (recall, else any reprovado, else any aprovado, else quarantine).
// proves: B1
TEST(LoteLifecycle, TheStatusDoesNotDependOnTheOrderOfTheFacts) {
  int sequences = 0;
  for (int length = 0; length <= 4; ++length) {
    int total = 1;
    for (int i = 0; i < length; ++i) total *= 3;
    for (int code = 0; code < total; ++code) {
      std::vector<F> fatos;
      for (int i = 0, c = code; i < length; ++i, c /= 3) fatos.push_back(kLoteFatos[c % 3]);
      auto has = [&](F f) { return std::find(fatos.begin(), fatos.end(), f) != fatos.end(); };
      const S expected = has(F::Recolhimento)     ? S::Recolhido
                         : has(F::LaudoReprovado) ? S::Reprovado
                         : has(F::LaudoAprovado)  ? S::Liberado
                                                  : S::Quarentena;
      std::sort(fatos.begin(), fatos.end());
      do {
        EXPECT_EQ(DerivedStatus(fatos), expected);
        ++sequences;
      } while (std::next_permutation(fatos.begin(), fatos.end()));
    }
  }
  EXPECT_GT(sequences, 100);
}

// proves: B1
TEST(LoteLifecycle, ALaterApprovalDoesNotUndoARejection) {
  const std::vector<F> reprovado_then_aprovado{F::LaudoReprovado, F::LaudoAprovado};
  EXPECT_EQ(DerivedStatus(reprovado_then_aprovado), S::Reprovado);
  const std::vector<F> aprovado_then_reprovado{F::LaudoAprovado, F::LaudoReprovado};
  EXPECT_EQ(DerivedStatus(aprovado_then_reprovado), S::Reprovado);
  EXPECT_EQ(DerivedStatus({}), S::Quarentena);
}

// proves: B1
TEST(LoteLifecycle, OnlyALiberadoLotLeavesStock) {
  EXPECT_TRUE(CanLeaveStock(S::Liberado));
  EXPECT_FALSE(CanLeaveStock(S::Quarentena));
  EXPECT_FALSE(CanLeaveStock(S::Reprovado));
  EXPECT_FALSE(CanLeaveStock(S::Recolhido));
}

TEST(LoteLifecycle, TheWordsRoundTrip) {
  for (auto s : kLoteStatuses) EXPECT_EQ(ParseLoteStatus(ToString(s)), s);
  EXPECT_EQ(ToString(S::Quarentena), "quarentena");
  EXPECT_EQ(ToString(S::Liberado), "liberado");
  EXPECT_EQ(ToString(S::Reprovado), "reprovado");
  EXPECT_EQ(ToString(S::Recolhido), "recolhido");
  EXPECT_EQ(ParseLoteStatus("vencido"), std::nullopt);
  EXPECT_EQ(FatoDoLaudo("aprovado"), F::LaudoAprovado);
  EXPECT_EQ(FatoDoLaudo("reprovado"), F::LaudoReprovado);
  EXPECT_EQ(FatoDoLaudo("APROVADO"), std::nullopt);
  EXPECT_TRUE(Explain(R::Nenhuma).empty());
}

}  // namespace
}  // namespace pharmasys::domain
