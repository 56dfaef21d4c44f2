#pragma once
// Specifications and conformity (API.md CQ): an ensaio has numeric limits (either or both,
// inclusive) or an expected qualitative value; a result is checked against it when it is
// entered, so an out-of-specification value is flagged at once. Pure functions.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "pharmasys/decimal.hpp"

namespace pharmasys::cq {

struct Ensaio {
  std::string codigo;
  std::string nome;
  std::optional<std::string> unidade;
  std::optional<Decimal> minimo;        // inclusive
  std::optional<Decimal> maximo;        // inclusive
  std::optional<std::string> esperado;  // qualitative: the expected text

  bool qualitativo() const { return esperado.has_value(); }
};

// A measured value: a number, or text for a qualitative ensaio.
using Valor = std::variant<Decimal, std::string>;

// Problems of a specification, as (field path, message) pairs: no ensaios, repeated codes,
// an ensaio with neither limits nor an expected value, limits and an expected value together,
// minimo above maximo.
std::vector<std::pair<std::string, std::string>> SpecificationProblems(const std::vector<Ensaio>& ensaios);

struct Conformidade {
  bool conforme = false;
  std::string recusa;  // non-empty when the value does not fit the ensaio's kind (a 422)
};

// Numeric: minimo ≤ valor ≤ maximo, a missing limit bounding nothing. Qualitative: the text
// equals the expected one, ignoring case and surrounding spaces.
Conformidade Check(const Ensaio& ensaio, const Valor& valor);

std::string ToString(const Valor& valor);

}  // namespace pharmasys::cq
