#pragma once
// The one error type of PharmaSys. Code anywhere throws one of these; the HTTP edge turns it
// into an RFC 9457 problem document exactly once (see http/problem.hpp).
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pharmasys {

struct FieldError {
  std::string campo;
  std::string mensagem;
  bool operator==(const FieldError&) const = default;
};

class Error : public std::runtime_error {
 public:
  Error(int status, std::string slug, std::string title, std::string detail, std::vector<FieldError> errors = {})
      : std::runtime_error(detail),
        status_(status),
        slug_(std::move(slug)),
        title_(std::move(title)),
        detail_(std::move(detail)),
        errors_(std::move(errors)) {}

  int status() const noexcept { return status_; }
  const std::string& slug() const noexcept { return slug_; }
  const std::string& title() const noexcept { return title_; }
  const std::string& detail() const noexcept { return detail_; }
  const std::vector<FieldError>& errors() const noexcept { return errors_; }
  // Extra response headers the problem needs (Allow on 405, Retry-After on 429, ...).
  const std::vector<std::pair<std::string, std::string>>& headers() const noexcept { return headers_; }
  Error& WithHeader(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

 private:
  int status_;
  std::string slug_;
  std::string title_;
  std::string detail_;
  std::vector<FieldError> errors_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

struct ValidationError : Error {
  explicit ValidationError(std::vector<FieldError> errors, std::string detail = "A requisição tem campos inválidos.")
      : Error(422, "validacao", "Dados inválidos", std::move(detail), std::move(errors)) {}
};
struct BadRequest : Error {
  explicit BadRequest(std::string detail)
      : Error(400, "requisicao-malformada", "Requisição malformada", std::move(detail)) {}
};
struct NotFound : Error {
  explicit NotFound(std::string detail) : Error(404, "nao-encontrado", "Recurso não encontrado", std::move(detail)) {}
};
struct Unauthenticated : Error {
  explicit Unauthenticated(std::string detail) : Error(401, "nao-autenticado", "Não autenticado", std::move(detail)) {}
};
struct Forbidden : Error {
  explicit Forbidden(std::string detail) : Error(403, "sem-permissao", "Sem permissão", std::move(detail)) {}
};
struct Conflict : Error {
  explicit Conflict(std::string detail) : Error(409, "conflito", "Conflito com o estado atual", std::move(detail)) {}
};
struct PayloadTooLarge : Error {
  explicit PayloadTooLarge(std::string detail)
      : Error(413, "corpo-muito-grande", "Corpo da requisição muito grande", std::move(detail)) {}
};
struct Unavailable : Error {
  explicit Unavailable(std::string detail) : Error(503, "indisponivel", "Serviço indisponível", std::move(detail)) {}
};

}  // namespace pharmasys
