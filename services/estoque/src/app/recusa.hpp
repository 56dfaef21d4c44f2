#pragma once
// Estoque's one refusal: why an act was not done, in the domain's words. app/ and storage/
// throw it; api/problema.hpp turns it into the problem document of API.md, once, at the edge.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/error.hpp"

namespace pharmasys::estoque {

enum class Motivo {
  NaoEncontrado,        // no such lot, shipment, return or consumption
  CampoInvalido,        // a field of the request names something that does not fit (campos says which)
  EstoqueInsuficiente,  // what can be allocated does not cover the quantity asked for
  LoteNaoLiberado,      // a lot the act needs is not liberado (or expired, or short of shelf life)
  EstadoNaoPermite,     // the document's state does not admit the act (a confirmed shipment, ...)
};

class Recusa : public std::runtime_error {
 public:
  Recusa(Motivo motivo, std::string detalhe, std::vector<FieldError> campos = {})
      : std::runtime_error(detalhe), motivo_(motivo), detalhe_(std::move(detalhe)), campos_(std::move(campos)) {}
  static Recusa Campo(std::string campo, std::string mensagem) {
    return Recusa(Motivo::CampoInvalido, "A requisição tem campos inválidos.",
                  {{std::move(campo), std::move(mensagem)}});
  }

  Motivo motivo() const noexcept { return motivo_; }
  const std::string& detalhe() const noexcept { return detalhe_; }
  const std::vector<FieldError>& campos() const noexcept { return campos_; }

 private:
  Motivo motivo_;
  std::string detalhe_;
  std::vector<FieldError> campos_;
};

}  // namespace pharmasys::estoque
