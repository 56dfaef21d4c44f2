#include "problema.hpp"

namespace pharmasys::estoque {

Error Problema(const Recusa& recusa) {
  switch (recusa.motivo()) {
    case Motivo::NaoEncontrado: return NotFound(recusa.detalhe());
    case Motivo::CampoInvalido: return ValidationError(recusa.campos(), recusa.detalhe());
    case Motivo::EstoqueInsuficiente:
      return Error(409, "estoque-insuficiente", "Estoque insuficiente", recusa.detalhe());
    case Motivo::LoteNaoLiberado: return Error(422, "lote-nao-liberado", "Lote não liberado", recusa.detalhe());
    case Motivo::EstadoNaoPermite: return Conflict(recusa.detalhe());
  }
  return Conflict(recusa.detalhe());
}

}  // namespace pharmasys::estoque
