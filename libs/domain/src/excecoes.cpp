#include "pharmasys/domain/excecoes.hpp"

#include <algorithm>

namespace pharmasys::domain {
namespace {

std::string Limites(const ValorForaDosLimites& f) {
  if (f.minimo && f.maximo) return "[" + *f.minimo + ", " + *f.maximo + "]";
  if (f.minimo) return "≥ " + *f.minimo;
  if (f.maximo) return "≤ " + *f.maximo;
  return "sem limites";
}

std::string NomeDaEtapa(const std::map<int, std::string>& etapas, int ordem) {
  auto it = etapas.find(ordem);
  return "Etapa " + std::to_string(ordem) + (it == etapas.end() ? "" : " (" + it->second + ")");
}

}  // namespace

std::string_view ToString(TipoDeExcecao tipo) {
  switch (tipo) {
    case TipoDeExcecao::ParametroForaDosLimites: return "parametro_fora_dos_limites";
    case TipoDeExcecao::Desvio: return "desvio";
    case TipoDeExcecao::EtapaRegistradaAposOLote: return "etapa_registrada_apos_o_lote";
  }
  return "desvio";
}

std::vector<Excecao> ExcecoesDoRegistro(const FatosDoRegistroDeLote& fatos) {
  std::vector<Excecao> out;
  auto registros = fatos.registros;
  std::sort(registros.begin(), registros.end(),
            [](const RegistroRevisto& a, const RegistroRevisto& b) { return a.ordem < b.ordem; });
  for (const auto& r : registros) {
    const std::string etapa = NomeDaEtapa(fatos.etapas, r.ordem);
    for (const auto& f : r.fora_dos_limites) {
      out.push_back({.tipo = TipoDeExcecao::ParametroForaDosLimites,
                     .etapa = r.ordem,
                     .descricao = etapa + ": " + f.parametro + " = " + f.valor + " fora dos limites " + Limites(f),
                     .registrado_por = r.registrado_por,
                     .registrado_em = r.registrado_em,
                     .motivo = r.motivo,
                     .referencia = "registro:" + r.id});
    }
    // Both instants are RFC 3339 UTC with milliseconds: their text orders as their time.
    if (fatos.primeiro_lote_em && r.registrado_em > *fatos.primeiro_lote_em) {
      out.push_back({.tipo = TipoDeExcecao::EtapaRegistradaAposOLote,
                     .etapa = r.ordem,
                     .descricao = etapa + " registrada em " + r.registrado_em + ", depois do lote produzido em " +
                                  *fatos.primeiro_lote_em,
                     .registrado_por = r.registrado_por,
                     .registrado_em = r.registrado_em,
                     .motivo = r.motivo,
                     .referencia = "registro:" + r.id});
    }
  }
  auto desvios = fatos.desvios;
  std::stable_sort(desvios.begin(), desvios.end(), [](const DesvioRevisto& a, const DesvioRevisto& b) {
    return a.aberto_em.value_or("") < b.aberto_em.value_or("");
  });
  for (const auto& d : desvios) {
    std::string descricao = "Desvio";
    if (d.classificacao) descricao += " " + *d.classificacao;
    if (d.descricao) descricao += ": " + *d.descricao;
    descricao += d.aberto ? " — aberto"
                          : " — encerrado" + (d.encerrado_em ? " em " + *d.encerrado_em : std::string()) +
                                (d.encerrado_por ? " por " + *d.encerrado_por : std::string());
    out.push_back({.tipo = TipoDeExcecao::Desvio,
                   .descricao = std::move(descricao),
                   .registrado_por = d.aberto_por.value_or("CQ"),
                   .registrado_em = d.aberto_em.value_or(d.encerrado_em.value_or("")),
                   .referencia = "desvio:" + d.id});
  }
  return out;
}

}  // namespace pharmasys::domain
