#include "conformidade.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace pharmasys::cq {
namespace {

std::string Normalized(std::string_view text) {
  auto begin = text.find_first_not_of(" \t\r\n");
  auto end = text.find_last_not_of(" \t\r\n");
  std::string out(begin == std::string_view::npos ? std::string_view{} : text.substr(begin, end - begin + 1));
  // Case folding of ASCII and of the Latin-1 letters Portuguese uses (UTF-8 "Ó" is C3 93, "ó" C3 B3).
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c == 0xC3 && i + 1 < out.size()) {
      const auto next = static_cast<unsigned char>(out[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    } else {
      out[i] = static_cast<char>(std::tolower(c));
    }
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SpecificationProblems(const std::vector<Ensaio>& ensaios) {
  std::vector<std::pair<std::string, std::string>> problems;
  if (ensaios.empty()) problems.emplace_back("ensaios", "uma especificação precisa de ao menos um ensaio");
  std::set<std::string> codes;
  for (std::size_t i = 0; i < ensaios.size(); ++i) {
    const auto& e = ensaios[i];
    const std::string path = "ensaios[" + std::to_string(i) + "]";
    if (!codes.insert(e.codigo).second) problems.emplace_back(path + ".codigo", "código repetido");
    const bool numeric = e.minimo || e.maximo;
    if (!numeric && !e.esperado) {
      problems.emplace_back(path, "informe minimo e/ou maximo, ou o valor esperado");
    }
    if (numeric && e.esperado) problems.emplace_back(path + ".esperado", "não se combina com limites numéricos");
    if (e.minimo && e.maximo && *e.minimo > *e.maximo) {
      problems.emplace_back(path + ".minimo", "maior que o máximo");
    }
    if (e.esperado && Normalized(*e.esperado).empty()) problems.emplace_back(path + ".esperado", "vazio");
  }
  return problems;
}

Conformidade Check(const Ensaio& ensaio, const Valor& valor) {
  if (ensaio.qualitativo()) {
    const auto* text = std::get_if<std::string>(&valor);
    if (text == nullptr) return {false, "o ensaio " + ensaio.codigo + " é qualitativo: informe o texto observado"};
    return {Normalized(*text) == Normalized(*ensaio.esperado), {}};
  }
  const auto* number = std::get_if<Decimal>(&valor);
  if (number == nullptr) return {false, "o ensaio " + ensaio.codigo + " é numérico: informe um número"};
  const bool above_min = !ensaio.minimo || *number >= *ensaio.minimo;
  const bool below_max = !ensaio.maximo || *number <= *ensaio.maximo;
  return {above_min && below_max, {}};
}

std::string ToString(const Valor& valor) {
  if (const auto* number = std::get_if<Decimal>(&valor)) return number->ToString();
  return std::get<std::string>(valor);
}

}  // namespace pharmasys::cq
