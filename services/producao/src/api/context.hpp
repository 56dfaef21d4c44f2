#pragma once
// What the Produção handlers share.
#include <memory>
#include <string>

#include "../clients/estoque.hpp"
#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::producao {

struct ProducaoContext {
  pg::Pool& db;
  std::shared_ptr<EstoqueClient> estoque;
  std::shared_ptr<auth::JwtVerifier> verifier;  // signature tokens of ✍ endpoints
  std::string fuso = "America/Sao_Paulo";       // the plant's calendar, for fabrication dates
  std::string pause_file;                       // PHARMASYS_TEST_PAUSE_FILE (app/consumos.hpp), empty: none
};

inline void RequireReader(const http::Request& request) {
  // Recipes are read by everyone but the warehouse clerk (API.md Produção); the administrator
  // reads everything and acts on nothing (PRODUCT.md, segregation of duties).
  auth::RequireRole(request, {"gestor_producao", "analista_cq", "auditor", "administrador"});
}

void AddRecipeRoutes(http::Router& router, ProducaoContext& ctx);
void AddOrderRoutes(http::Router& router, ProducaoContext& ctx);
void AddExecutionRoutes(http::Router& router, ProducaoContext& ctx);
void AddReviewRoutes(http::Router& router, ProducaoContext& ctx);

}  // namespace pharmasys::producao
