#pragma once
// Auth's one refusal for the acts of user administration: why an act was not done, in the
// domain's words. app/ throws it; api/problema.hpp turns it into the problem document of
// API.md, once, at the edge. (The token and authorization endpoints answer in RFC 6749's own
// shape and do not use it.)
#include <stdexcept>
#include <string>
#include <utility>

namespace pharmasys::auth_service {

enum class Motivo {
  NaoEncontrado,     // no such user
  EstadoNaoPermite,  // the state does not admit the act (a username that exists or existed, ...)
};

class Recusa : public std::runtime_error {
 public:
  Recusa(Motivo motivo, std::string detalhe)
      : std::runtime_error(detalhe), motivo_(motivo), detalhe_(std::move(detalhe)) {}

  Motivo motivo() const noexcept { return motivo_; }
  const std::string& detalhe() const noexcept { return detalhe_; }

 private:
  Motivo motivo_;
  std::string detalhe_;
};

}  // namespace pharmasys::auth_service
