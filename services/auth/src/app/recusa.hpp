#pragma once
// Auth's one refusal for the acts of user administration: why an act was not done, in the
// domain's words. app/ throws it; api/problema.hpp turns it into the problem document of
// API.md, once, at the edge. (The token and authorization endpoints answer in RFC 6749's own
// shape and do not use it.)
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/refusal.hpp"
namespace pharmasys::auth_service {

enum class Motivo {
  NaoEncontrado,     // no such user
  EstadoNaoPermite,  // the state does not admit the act (a username that exists or existed, ...)
};

class Recusa : public Refusal<Motivo> {
 public:
  using Refusal::Refusal;
};

}  // namespace pharmasys::auth_service
