#pragma once
// The three witnesses of one service's audit trail (RULES.md A8) compared: the service's own
// chain, Relatórios' consolidated copy, and the signed checkpoints of the chain's head that
// Relatórios kept. Each chain is checked on its own elsewhere (every link re-hashed); here
// they are held against each other, which finds what re-hashing cannot: records cut from the
// end, a chain rewritten and re-hashed from some record on, a copy that was altered.
//
// A hash chain has the prefix property: two chains whose hashes agree at record k agree on
// every record up to k. So the first record where two chains differ is found by bisection,
// with a logarithmic number of lookups, and a checkpoint after it says which one changed.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pharmasys::relatorios {

struct CheckpointVisto {
  std::int64_t sequencia = 0;
  std::string hash;
  std::string em;
};

// The hash a chain holds for record `sequencia` (nullopt: it has no such record).
using HashNaSequencia = std::function<std::optional<std::string>(std::int64_t)>;
// The valid checkpoint with the greatest sequencia ≤ x, or the least ≥ x.
using CheckpointProcurado = std::function<std::optional<CheckpointVisto>(std::int64_t)>;

struct Testemunhas {
  bool servico_respondeu = true;
  std::int64_t ultima_do_servico = 0;  // the service chain's head (0: empty)
  HashNaSequencia servico;
  std::int64_t ultima_da_copia = 0;
  HashNaSequencia copia;
  CheckpointProcurado checkpoint_ate;
  CheckpointProcurado checkpoint_desde;
};

struct Achado {
  // "cauda-ausente": records witnessed by a checkpoint are missing from the end of the chain;
  // "cadeia-reescrita": the service's chain differs from a checkpoint from this record on;
  // "copia-divergente": the consolidated copy differs from the service and a checkpoint;
  // "divergencia": chain and copy differ and no checkpoint after it says which changed.
  std::string tipo;
  std::int64_t primeiro_registro = 0;  // the first record affected
  std::string descricao;
};

std::vector<Achado> CompararTestemunhas(const Testemunhas& t);

}  // namespace pharmasys::relatorios
