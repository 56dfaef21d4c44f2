#pragma once
// A service's one refusal (its app/recusa.hpp): why an act was not done, as a reason of the
// service's own enum, a detail for people and the request's fields it names. app/ throws it,
// with no HTTP status; the service's api/problema turns it into the problem document API.md
// fixes for it, once, at the edge (AtTheEdge).
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/error.hpp"

namespace pharmasys {

template <class Motivo>
class Refusal : public std::runtime_error {
 public:
  Refusal(Motivo motivo, std::string detalhe, std::vector<FieldError> campos = {})
      : std::runtime_error(detalhe), motivo_(motivo), detalhe_(std::move(detalhe)), campos_(std::move(campos)) {}

  Motivo motivo() const noexcept { return motivo_; }
  const std::string& detalhe() const noexcept { return detalhe_; }
  const std::vector<FieldError>& campos() const noexcept { return campos_; }

 private:
  Motivo motivo_;
  std::string detalhe_;
  std::vector<FieldError> campos_;
};

// Wraps a handler so that a refusal of type R it throws leaves as `problem(refusal)`.
template <class R, class Problem, class Handler>
auto RefusalsAtTheEdge(Handler handler, Problem problem) {
  return [handler = std::move(handler), problem](auto&... args) {
    try {
      return handler(args...);
    } catch (const R& refusal) {
      throw problem(refusal);
    }
  };
}

}  // namespace pharmasys
