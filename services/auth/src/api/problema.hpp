#pragma once
// The edge: an Auth refusal becomes the problem document API.md fixes for it.
#include <utility>

#include "../app/recusa.hpp"
#include "pharmasys/error.hpp"

namespace pharmasys::auth_service {

// 404 nao-encontrado, 409 conflito.
Error Problema(const Recusa& recusa);

// Wraps a handler so that a Recusa it throws leaves as its problem document.
template <class Handler>
auto AtTheEdge(Handler handler) {
  return [handler = std::move(handler)](auto&... args) {
    try {
      return handler(args...);
    } catch (const Recusa& recusa) {
      throw Problema(recusa);
    }
  };
}

}  // namespace pharmasys::auth_service
