#pragma once
// The JSON forms around the batch record's exceptions (excecoes.hpp), for the services that read
// a step record's flagged values and answer with the exceptions: Produção's review and
// Relatórios' batch record write them alike. Header-only, over Boost.JSON; the domain library
// itself stays free of JSON.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "pharmasys/domain/excecoes.hpp"

namespace pharmasys::domain {

// A step record's `fora_dos_limites` ([{parametro, valor, minimo?, maximo?}], as stored and as
// etapa.registrada carries it), each number as its JSON text.
inline std::vector<ValorForaDosLimites> ValoresForaDosLimites(const boost::json::array& fora_dos_limites) {
  std::vector<ValorForaDosLimites> out;
  for (const auto& f : fora_dos_limites) {
    const auto& o = f.as_object();
    auto text = [&](const char* key) -> std::optional<std::string> {
      const auto* v = o.if_contains(key);
      if (v == nullptr || v->is_null()) return std::nullopt;
      return v->is_string() ? std::string(v->as_string()) : boost::json::serialize(*v);
    };
    out.push_back({.parametro = text("parametro").value_or("?"),
                   .valor = text("valor").value_or("?"),
                   .minimo = text("minimo"),
                   .maximo = text("maximo")});
  }
  return out;
}

// An exception as the API answers it (producao.openapi.yaml `Excecao`).
inline boost::json::object ExcecaoJson(const Excecao& e) {
  auto nullable = [](const auto& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };
  return {{"tipo", ToString(e.tipo)},           {"etapa", nullable(e.etapa)},       {"descricao", e.descricao},
          {"registrado_por", e.registrado_por}, {"registrado_em", e.registrado_em}, {"motivo", nullable(e.motivo)},
          {"referencia", e.referencia}};
}

}  // namespace pharmasys::domain
