#pragma once
// CQ's one refusal: why an act was not done, in the domain's words. app/ throws it;
// api/problema.hpp turns it into the problem document of API.md, once, at the edge.
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/refusal.hpp"

namespace pharmasys::cq {

enum class Motivo {
  NaoEncontrado,        // no such sample or desvio
  CampoInvalido,        // a field of the request names something that does not fit (campos says which)
  QuatroOlhos,          // the signer entered results of this sample (RULES S2)
  ForaDeEspecificacao,  // an approval of a sample with a result out of its specification, or missing
  EstadoNaoPermite,     // the sample's, the lot's or an open desvio's state does not admit the act
  RegistroNaoRevisado,  // an approval of a produced lot whose OP's batch record is not reviewed (G1)
};

class Recusa : public Refusal<Motivo> {
 public:
  using Refusal::Refusal;
  static Recusa Campo(std::string campo, std::string mensagem) {
    return Recusa(Motivo::CampoInvalido, "A requisição tem campos inválidos.",
                  {{std::move(campo), std::move(mensagem)}});
  }
};

}  // namespace pharmasys::cq
