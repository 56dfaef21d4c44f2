#pragma once
// Electronic signatures on ✍ endpoints (API.md Conventions; RULES.md S1–S3): the
// `X-Assinatura` token must be valid, issued to the caller, for this `recurso`, with a
// meaning that fits the act, and unused; it is then recorded as used in the caller's
// transaction. Anything else: 403 `assinatura-invalida`.
//
//   auto assinatura = auth::ConsumeSignature(tx, *verifier, request, "amostra:" + id, {"aprovacao"});
//   audit::Audit(tx, actor, {..., .assinatura = assinatura});
#include <initializer_list>
#include <string>
#include <string_view>

#include "pharmasys/audit/actor.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::auth {

audit::Signature ConsumeSignature(pg::Transaction& tx, JwtVerifier& verifier, const http::Request& request,
                                  const std::string& recurso, std::initializer_list<std::string_view> significados);

}  // namespace pharmasys::auth
