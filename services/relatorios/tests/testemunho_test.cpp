// RULES.md A8: the service's chain, the consolidated copy and the signed checkpoints held
// against each other.
#include "domain/testemunho.hpp"

#include <gtest/gtest.h>

#include <map>

namespace pharmasys::relatorios {
namespace {

// A chain of `n` records whose hash at k is "h<k>" — or, from `changed_from` on, "x<k>".
struct Chain {
  std::int64_t n = 0;
  std::int64_t changed_from = 0;
  mutable int lookups = 0;
  HashNaSequencia At() const {
    return [this](std::int64_t k) -> std::optional<std::string> {
      ++lookups;
      if (k < 1 || k > n) return std::nullopt;
      return (changed_from > 0 && k >= changed_from ? "x" : "h") + std::to_string(k);
    };
  }
};

struct Plant {
  Chain service{.n = 1000};
  Chain copy{.n = 1000};
  std::map<std::int64_t, std::string> checkpoints;  // sequencia → hash
  Testemunhas Witnesses() const {
    Testemunhas t;
    t.ultima_do_servico = service.n;
    t.servico = service.At();
    t.ultima_da_copia = copy.n;
    t.copia = copy.At();
    t.checkpoint_ate = [this](std::int64_t x) -> std::optional<CheckpointVisto> {
      auto it = checkpoints.upper_bound(x);
      if (it == checkpoints.begin()) return std::nullopt;
      --it;
      return CheckpointVisto{it->first, it->second, "t" + std::to_string(it->first)};
    };
    t.checkpoint_desde = [this](std::int64_t x) -> std::optional<CheckpointVisto> {
      auto it = checkpoints.lower_bound(x);
      if (it == checkpoints.end()) return std::nullopt;
      return CheckpointVisto{it->first, it->second, "t" + std::to_string(it->first)};
    };
    return t;
  }
  void Witness(std::int64_t every) {
    for (std::int64_t k = every; k <= 1000; k += every) checkpoints[k] = "h" + std::to_string(k);
  }
};

// proves: A8
TEST(Testemunho, ThreeWitnessesThatAgreeHaveNothingToSay) {
  Plant p;
  p.Witness(100);
  EXPECT_TRUE(CompararTestemunhas(p.Witnesses()).empty());
}

// proves: A8
TEST(Testemunho, TheLastThreeRecordsCutFromTheChainAreNamed) {
  Plant p;
  p.Witness(100);  // the head, 1000, was witnessed
  p.service.n = 997;
  auto found = CompararTestemunhas(p.Witnesses());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tipo, "cauda-ausente");
  EXPECT_EQ(found[0].primeiro_registro, 998);
  EXPECT_NE(found[0].descricao.find("998 a 1000"), std::string::npos) << found[0].descricao;
}

// proves: A8
TEST(Testemunho, AChainRewrittenAndReHashedFromARecordOnIsFoundAtThatRecord) {
  Plant p;
  p.Witness(100);
  p.service.changed_from = 437;
  auto found = CompararTestemunhas(p.Witnesses());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tipo, "cadeia-reescrita");
  EXPECT_EQ(found[0].primeiro_registro, 437);
  EXPECT_LT(p.service.lookups, 40);  // bisection, not a walk
}

// proves: A8
TEST(Testemunho, AnAlteredCopyIsTheCopysFaultWhenTheCheckpointSidesWithTheService) {
  Plant p;
  p.Witness(100);
  p.copy.changed_from = 12;
  auto found = CompararTestemunhas(p.Witnesses());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tipo, "copia-divergente");
  EXPECT_EQ(found[0].primeiro_registro, 12);
}

// proves: A8
TEST(Testemunho, WithoutACheckpointAfterTheDifferenceNeitherSideIsBelieved) {
  Plant p;  // no checkpoint at all
  p.service.changed_from = 900;
  auto found = CompararTestemunhas(p.Witnesses());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tipo, "divergencia");
  EXPECT_EQ(found[0].primeiro_registro, 900);
}

// proves: A8
TEST(Testemunho, ARewriteBeyondTheCopyIsCaughtByTheCheckpointsAlone) {
  Plant p;
  p.Witness(100);
  p.copy.n = 250;  // the copy is behind
  p.service.changed_from = 640;
  auto found = CompararTestemunhas(p.Witnesses());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tipo, "cadeia-reescrita");
  EXPECT_EQ(found[0].primeiro_registro, 601);  // after the last checkpoint it agrees with
}

// proves: A8
TEST(Testemunho, ACopyThatIsOnlyBehindIsNotAFinding) {
  Plant p;
  p.Witness(100);
  p.copy.n = 950;
  EXPECT_TRUE(CompararTestemunhas(p.Witnesses()).empty());
}

// proves: A8
TEST(Testemunho, AnUnreachableServiceStillHasItsCopyCheckedAgainstTheCheckpoints) {
  Plant p;
  p.Witness(100);
  p.copy.changed_from = 305;
  auto t = p.Witnesses();
  t.servico_respondeu = false;
  auto found = CompararTestemunhas(t);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].tipo, "copia-divergente");
  EXPECT_EQ(found[0].primeiro_registro, 301);
}

}  // namespace
}  // namespace pharmasys::relatorios
