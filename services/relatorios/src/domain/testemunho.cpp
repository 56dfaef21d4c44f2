#include "testemunho.hpp"

#include <algorithm>
#include <limits>

namespace pharmasys::relatorios {
namespace {

// The first record in [1, last] where `a` and `b` differ, given that they differ at `last`.
std::int64_t FirstDifference(const HashNaSequencia& a, const HashNaSequencia& b, std::int64_t last) {
  std::int64_t lo = 1, hi = last;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    if (a(mid) != b(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// `chain` disagrees with checkpoint `bad`: the first record affected lies after the latest
// earlier checkpoint that it still agrees with.
std::int64_t AfterLastAgreeing(const HashNaSequencia& chain, const CheckpointProcurado& at_or_before,
                               const CheckpointVisto& bad) {
  auto previous = at_or_before(bad.sequencia - 1);
  for (int steps = 0; previous && steps < 10000; ++steps) {
    if (chain(previous->sequencia) == previous->hash) return previous->sequencia + 1;
    previous = at_or_before(previous->sequencia - 1);
  }
  return 1;
}

std::string Range(std::int64_t from, std::int64_t to) {
  return from == to ? "o registro " + std::to_string(from)
                    : "os registros " + std::to_string(from) + " a " + std::to_string(to);
}

}  // namespace

std::vector<Achado> CompararTestemunhas(const Testemunhas& t) {
  std::vector<Achado> out;
  constexpr auto kAll = std::numeric_limits<std::int64_t>::max();
  bool chain_rewritten = false;
  bool copy_altered = false;
  if (t.servico_respondeu) {
    // Cut from the end: a checkpoint witnessed records the chain no longer has.
    if (auto latest = t.checkpoint_ate(kAll); latest && latest->sequencia > t.ultima_do_servico) {
      out.push_back({"cauda-ausente", t.ultima_do_servico + 1,
                     Range(t.ultima_do_servico + 1, latest->sequencia) + ", testemunhados pelo checkpoint de " +
                         latest->em + ", não estão mais na trilha do serviço"});
    }
    // The chain against the copy, up to where both reach.
    const std::int64_t both = std::min(t.ultima_do_servico, t.ultima_da_copia);
    if (both > 0 && t.servico(both) != t.copia(both)) {
      const std::int64_t first = FirstDifference(t.servico, t.copia, both);
      auto judge = t.checkpoint_desde(first);
      if (judge && judge->sequencia <= both && t.servico(judge->sequencia) == judge->hash) {
        copy_altered = true;
        out.push_back({"copia-divergente", first,
                       "a cópia consolidada difere da trilha do serviço a partir do registro " + std::to_string(first) +
                           "; o checkpoint de " + judge->em + " confirma a do serviço"});
      } else if (judge && judge->sequencia <= both && t.copia(judge->sequencia) == judge->hash) {
        chain_rewritten = true;
        out.push_back({"cadeia-reescrita", first,
                       "a trilha do serviço foi reescrita a partir do registro " + std::to_string(first) +
                           "; o checkpoint de " + judge->em + " e a cópia consolidada guardam a original"});
      } else {
        chain_rewritten = copy_altered = true;
        out.push_back(
            {"divergencia", first,
             "a trilha do serviço e a cópia consolidada diferem a partir do registro " + std::to_string(first) +
                 (judge && judge->sequencia <= both ? "; nenhuma delas confere com o checkpoint de " + judge->em
                                                    : "; nenhum checkpoint posterior decide qual foi alterada")});
      }
    }
    // The chain against the checkpoints it covers, also beyond the copy.
    if (!chain_rewritten) {
      if (auto cp = t.checkpoint_ate(t.ultima_do_servico); cp && t.servico(cp->sequencia) != cp->hash) {
        const std::int64_t first = AfterLastAgreeing(t.servico, t.checkpoint_ate, *cp);
        out.push_back({"cadeia-reescrita", first,
                       "a trilha do serviço não confere com o checkpoint de " + cp->em + " (registro " +
                           std::to_string(cp->sequencia) + "): foi alterada entre os registros " +
                           std::to_string(first) + " e " + std::to_string(cp->sequencia)});
      }
    }
  }
  // The copy against the checkpoints it covers.
  if (!copy_altered) {
    if (auto cp = t.checkpoint_ate(t.ultima_da_copia); cp && t.copia(cp->sequencia) != cp->hash) {
      const std::int64_t first = AfterLastAgreeing(t.copia, t.checkpoint_ate, *cp);
      out.push_back({"copia-divergente", first,
                     "a cópia consolidada não confere com o checkpoint de " + cp->em + " (registro " +
                         std::to_string(cp->sequencia) + "): foi alterada entre os registros " + std::to_string(first) +
                         " e " + std::to_string(cp->sequencia)});
    }
  }
  return out;
}

}  // namespace pharmasys::relatorios
