#include "problema.hpp"

namespace pharmasys::cq {

Error Problema(const Recusa& recusa) {
  switch (recusa.motivo()) {
    case Motivo::NaoEncontrado: return NotFound(recusa.detalhe());
    case Motivo::CampoInvalido: return ValidationError(recusa.campos(), recusa.detalhe());
    case Motivo::QuatroOlhos: return Forbidden(recusa.detalhe());
    case Motivo::ForaDeEspecificacao:
      return Error(422, "fora-de-especificacao", "Fora de especificação", recusa.detalhe());
    case Motivo::EstadoNaoPermite: return Conflict(recusa.detalhe());
    case Motivo::RegistroNaoRevisado:
      return Error(409, "registro-de-lote-nao-revisado", "Registro de lote não revisado", recusa.detalhe());
  }
  return Conflict(recusa.detalhe());
}

}  // namespace pharmasys::cq
