#pragma once
// The edge: a Produção refusal becomes the problem document API.md fixes for it.
#include <utility>

#include "../app/recusa.hpp"
#include "pharmasys/error.hpp"

namespace pharmasys::producao {

// 404 nao-encontrado, 422 validacao, 409 op-bloqueada, 409 conflito.
Error Problema(const Recusa& recusa);

// Wraps a handler so that a Recusa it throws leaves as its problem document.
template <class Handler>
auto AtTheEdge(Handler handler) {
  return RefusalsAtTheEdge<Recusa>(std::move(handler), &Problema);
}

}  // namespace pharmasys::producao
