#include "problema.hpp"

namespace pharmasys::auth_service {

Error Problema(const Recusa& recusa) {
  switch (recusa.motivo()) {
    case Motivo::NaoEncontrado: return NotFound(recusa.detalhe());
    case Motivo::EstadoNaoPermite: return Conflict(recusa.detalhe());
  }
  return Conflict(recusa.detalhe());
}

}  // namespace pharmasys::auth_service
