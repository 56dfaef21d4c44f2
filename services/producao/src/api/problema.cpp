#include "problema.hpp"

namespace pharmasys::producao {

Error Problema(const Recusa& recusa) {
  switch (recusa.motivo()) {
    case Motivo::NaoEncontrado: return NotFound(recusa.detalhe());
    case Motivo::CampoInvalido: return ValidationError(recusa.campos(), recusa.detalhe());
    case Motivo::OpBloqueada: return Error(409, "op-bloqueada", "OP bloqueada", recusa.detalhe());
    case Motivo::EstadoNaoPermite: return Conflict(recusa.detalhe());
    case Motivo::SemPermissao: return Forbidden(recusa.detalhe());
  }
  return Conflict(recusa.detalhe());
}

}  // namespace pharmasys::producao
