#pragma once
// Step records (RULES.md B8): steps are recorded in recipe order, each once, with every
// parameter of the recipe; a value outside the recipe's limits (inclusive) is flagged and
// needs a motivo. Pure functions.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"

namespace pharmasys::producao {

struct Parametro {
  std::string nome;
  std::optional<std::string> unidade;
  std::optional<Decimal> minimo;
  std::optional<Decimal> maximo;
};

struct Etapa {
  int ordem = 0;
  std::string nome;
  std::vector<Parametro> parametros;
};

// Problems of a recipe's steps, as (field path, message): orders must be 1..n without gaps or
// repeats, parameter names unique within a step, minimo ≤ maximo.
std::vector<std::pair<std::string, std::string>> RecipeStepProblems(const std::vector<Etapa>& etapas);

struct ForaDoLimite {
  std::string parametro;
  Decimal valor;
  std::optional<Decimal> minimo, maximo;
};

enum class RegistroRecusa { Nenhuma, EtapaDesconhecida, ForaDeOrdem, JaRegistrada, Parametros, MotivoAusente };

struct RegistroVerificado {
  RegistroRecusa recusa = RegistroRecusa::Nenhuma;
  std::string detalhe;
  std::vector<std::pair<std::string, std::string>> erros;  // (parametros.<nome>, message) for Parametros
  std::vector<ForaDoLimite> fora_dos_limites;              // flagged values
  bool ok() const { return recusa == RegistroRecusa::Nenhuma; }
};

// Checks a record of step `ordem` with `valores` against the recipe, given the steps already
// recorded.
RegistroVerificado CheckRegistro(const std::vector<Etapa>& etapas, const std::set<int>& registradas, int ordem,
                                 const std::map<std::string, Decimal>& valores, bool tem_motivo);

}  // namespace pharmasys::producao
