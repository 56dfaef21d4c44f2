#pragma once
// What the CQ handlers share.
#include <memory>

#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

struct CqContext {
  pg::Pool& db;
  std::shared_ptr<auth::JwtVerifier> verifier;  // signature tokens of ✍ endpoints
};

// Everyone reads the quality records except the warehouse clerk (API.md CQ: amostras).
inline void RequireQualityReader(const http::Request& request) {
  auth::RequireRole(request, {"analista_cq", "gestor_producao", "auditor"});
}

void AddSpecificationRoutes(http::Router& router, CqContext& ctx);
void AddSampleRoutes(http::Router& router, CqContext& ctx);
void AddLaudoRoutes(http::Router& router, CqContext& ctx);
void AddDeviationRoutes(http::Router& router, CqContext& ctx);
void AddRecallRoutes(http::Router& router, CqContext& ctx);
void AddLotRoutes(http::Router& router, CqContext& ctx);

}  // namespace pharmasys::cq
