#pragma once
// Estoque's one refusal: why an act was not done, in the domain's words. app/ and storage/
// throw it; api/problema.hpp turns it into the problem document of API.md, once, at the edge.
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/refusal.hpp"

namespace pharmasys::estoque {

enum class Motivo {
  NaoEncontrado,        // no such lot, shipment, return or consumption
  CampoInvalido,        // a field of the request names something that does not fit (campos says which)
  EstoqueInsuficiente,  // what can be allocated does not cover the quantity asked for
  LoteNaoLiberado,      // a lot the act needs is not liberado (or expired, or short of shelf life)
  EstadoNaoPermite,     // the document's state does not admit the act (a confirmed shipment, ...)
};

class Recusa : public Refusal<Motivo> {
 public:
  using Refusal::Refusal;
  static Recusa Campo(std::string campo, std::string mensagem) {
    return Recusa(Motivo::CampoInvalido, "A requisição tem campos inválidos.",
                  {{std::move(campo), std::move(mensagem)}});
  }
};

}  // namespace pharmasys::estoque
