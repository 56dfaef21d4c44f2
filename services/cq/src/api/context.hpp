#pragma once
// What the CQ handlers share.
#include <memory>
#include <string_view>

#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

struct CqContext {
  pg::Pool& db;
  std::shared_ptr<auth::JwtVerifier> verifier;  // signature tokens of ✍ endpoints
};

// Everyone reads the quality records except the warehouse clerk (API.md CQ: amostras); the
// administrator reads everything and acts on nothing (PRODUCT.md, segregation of duties).
inline bool IsQualityReader(const http::Principal& principal) {
  for (std::string_view role : {"analista_cq", "gestor_producao", "auditor", "administrador"}) {
    if (principal.HasRole(role)) return true;
  }
  return false;
}
inline void RequireQualityReader(const http::Request& request) {
  if (!IsQualityReader(request.principal)) throw Forbidden("O seu papel não permite esta operação.");
}

void AddSpecificationRoutes(http::Router& router, CqContext& ctx);
void AddSampleRoutes(http::Router& router, CqContext& ctx);
void AddLaudoRoutes(http::Router& router, CqContext& ctx);
void AddDeviationRoutes(http::Router& router, CqContext& ctx);
void AddRecallRoutes(http::Router& router, CqContext& ctx);
void AddLotRoutes(http::Router& router, CqContext& ctx);

}  // namespace pharmasys::cq
