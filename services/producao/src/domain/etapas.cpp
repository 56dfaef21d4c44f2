#include "etapas.hpp"

#include <algorithm>

namespace pharmasys::producao {

std::vector<std::pair<std::string, std::string>> RecipeStepProblems(const std::vector<Etapa>& etapas) {
  std::vector<std::pair<std::string, std::string>> problems;
  if (etapas.empty()) problems.emplace_back("etapas", "uma receita precisa de ao menos uma etapa");
  std::set<int> ordens;
  for (std::size_t i = 0; i < etapas.size(); ++i) {
    const auto& e = etapas[i];
    const std::string path = "etapas[" + std::to_string(i) + "]";
    if (!ordens.insert(e.ordem).second) problems.emplace_back(path + ".ordem", "ordem repetida");
    std::set<std::string> nomes;
    for (std::size_t j = 0; j < e.parametros.size(); ++j) {
      const auto& p = e.parametros[j];
      const std::string ppath = path + ".parametros[" + std::to_string(j) + "]";
      if (!nomes.insert(p.nome).second) problems.emplace_back(ppath + ".nome", "nome repetido na etapa");
      if (p.minimo && p.maximo && *p.minimo > *p.maximo) problems.emplace_back(ppath + ".minimo", "maior que o máximo");
    }
  }
  int expected = 1;
  for (int ordem : ordens) {
    if (ordem != expected) {
      problems.emplace_back("etapas", "as ordens devem ser 1, 2, 3, ... sem lacunas");
      break;
    }
    ++expected;
  }
  return problems;
}

RegistroVerificado CheckRegistro(const std::vector<Etapa>& etapas, const std::set<int>& registradas, int ordem,
                                 const std::map<std::string, Decimal>& valores, bool tem_motivo) {
  RegistroVerificado out;
  auto etapa = std::find_if(etapas.begin(), etapas.end(), [&](const Etapa& e) { return e.ordem == ordem; });
  if (etapa == etapas.end()) {
    return {RegistroRecusa::EtapaDesconhecida, "a receita não tem a etapa " + std::to_string(ordem)};
  }
  if (registradas.count(ordem) != 0) {
    return {RegistroRecusa::JaRegistrada, "a etapa " + std::to_string(ordem) + " já foi registrada"};
  }
  for (const auto& e : etapas) {
    if (e.ordem < ordem && registradas.count(e.ordem) == 0) {
      return {RegistroRecusa::ForaDeOrdem, "a etapa " + std::to_string(e.ordem) + " (" + e.nome +
                                               ") ainda não foi registrada: as etapas seguem a ordem da receita"};
    }
  }
  for (const auto& p : etapa->parametros) {
    auto v = valores.find(p.nome);
    if (v == valores.end()) {
      out.erros.emplace_back("parametros." + p.nome, "é obrigatório nesta etapa");
      continue;
    }
    const bool abaixo = p.minimo && v->second < *p.minimo;
    const bool acima = p.maximo && v->second > *p.maximo;
    if (abaixo || acima) out.fora_dos_limites.push_back({p.nome, v->second, p.minimo, p.maximo});
  }
  for (const auto& [nome, valor] : valores) {
    if (std::none_of(etapa->parametros.begin(), etapa->parametros.end(),
                     [&](const Parametro& p) { return p.nome == nome; })) {
      out.erros.emplace_back("parametros." + nome, "não é um parâmetro desta etapa");
    }
  }
  if (!out.erros.empty()) {
    out.recusa = RegistroRecusa::Parametros;
    out.detalhe = "parâmetros inválidos";
    return out;
  }
  if (!out.fora_dos_limites.empty() && !tem_motivo) {
    out.recusa = RegistroRecusa::MotivoAusente;
    out.detalhe = "há valores fora dos limites da receita: informe o motivo";
  }
  return out;
}

}  // namespace pharmasys::producao
