#pragma once
// Produção's one refusal: why an act was not done, in the domain's words. app/ throws it;
// api/problema.hpp turns it into the problem document of API.md, once, at the edge.
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/refusal.hpp"

namespace pharmasys::producao {

enum class Motivo {
  NaoEncontrado,     // no such OP, or no such step in its recipe
  CampoInvalido,     // a field of the request names something that does not fit (campos says which)
  OpBloqueada,       // the OP is blocked by an open desvio: nothing is recorded on it
  EstadoNaoPermite,  // the OP's state, its steps or a pending consumption do not admit the act
  SemPermissao,      // the actor may not do this act on this OP (segregation of duties, G1)
};

class Recusa : public Refusal<Motivo> {
 public:
  using Refusal::Refusal;
  static Recusa Campo(std::string campo, std::string mensagem) {
    return Campos({{std::move(campo), std::move(mensagem)}});
  }
  static Recusa Campos(std::vector<FieldError> campos) {
    return Recusa(Motivo::CampoInvalido, "A requisição tem campos inválidos.", std::move(campos));
  }
};

}  // namespace pharmasys::producao
