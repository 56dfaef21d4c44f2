#pragma once
// Produção's one refusal: why an act was not done, in the domain's words. app/ throws it;
// api/problema.hpp turns it into the problem document of API.md, once, at the edge.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/error.hpp"

namespace pharmasys::producao {

enum class Motivo {
  NaoEncontrado,     // no such OP, or no such step in its recipe
  CampoInvalido,     // a field of the request names something that does not fit (campos says which)
  OpBloqueada,       // the OP is blocked by an open desvio: nothing is recorded on it
  EstadoNaoPermite,  // the OP's state, its steps or a pending consumption do not admit the act
};

class Recusa : public std::runtime_error {
 public:
  Recusa(Motivo motivo, std::string detalhe, std::vector<FieldError> campos = {})
      : std::runtime_error(detalhe), motivo_(motivo), detalhe_(std::move(detalhe)), campos_(std::move(campos)) {}
  static Recusa Campo(std::string campo, std::string mensagem) {
    return Campos({{std::move(campo), std::move(mensagem)}});
  }
  static Recusa Campos(std::vector<FieldError> campos) {
    return Recusa(Motivo::CampoInvalido, "A requisição tem campos inválidos.", std::move(campos));
  }

  Motivo motivo() const noexcept { return motivo_; }
  const std::string& detalhe() const noexcept { return detalhe_; }
  const std::vector<FieldError>& campos() const noexcept { return campos_; }

 private:
  Motivo motivo_;
  std::string detalhe_;
  std::vector<FieldError> campos_;
};

}  // namespace pharmasys::producao
