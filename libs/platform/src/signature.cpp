#include "pharmasys/auth/signature.hpp"

#include <algorithm>

#include "pharmasys/error.hpp"

namespace pharmasys::auth {
namespace {

constexpr pg::Query kUse{"assinatura_use",
                         "INSERT INTO assinaturas_usadas (jti, usuario, recurso, significado) VALUES ($1, $2, $3, $4)"
                         " ON CONFLICT (jti) DO NOTHING"};

Error Invalid(const std::string& why) {
  return Error(403, "assinatura-invalida", "Assinatura inválida", "Assinatura eletrônica inválida: " + why + ".");
}

}  // namespace

audit::Signature ConsumeSignature(pg::Transaction& tx, JwtVerifier& verifier, const http::Request& request,
                                  const std::string& recurso, std::initializer_list<std::string_view> significados) {
  auto header = request.headers.Get("X-Assinatura");
  if (!header || header->empty()) throw Invalid("esta operação exige o cabeçalho X-Assinatura");
  SignatureClaims claims = verifier.VerifySignatureToken(*header);
  if (claims.sub != request.principal.sub) throw Invalid("emitida para outro usuário");
  if (claims.recurso != recurso) throw Invalid("emitida para outro registro");
  if (std::find(significados.begin(), significados.end(), claims.significado) == significados.end()) {
    throw Invalid("o significado '" + claims.significado + "' não corresponde a este ato");
  }
  if (tx.Exec(kUse, pg::Params(claims.jti, claims.sub, claims.recurso, claims.significado)).affected() == 0) {
    throw Invalid("já foi usada");
  }
  return {claims.nome, claims.significado, claims.em};
}

}  // namespace pharmasys::auth
