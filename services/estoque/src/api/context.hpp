#pragma once
// What the Estoque handlers and consumers share.
#include <memory>
#include <string>

#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct EstoqueContext {
  pg::Pool& db;
  std::shared_ptr<auth::JwtVerifier> verifier;  // signature tokens of ✍ endpoints
  std::string fuso = "America/Sao_Paulo";       // the plant's time zone: what "today" is for expiry
};

void AddMaterialRoutes(http::Router& router, EstoqueContext& ctx);
void AddLoteRoutes(http::Router& router, EstoqueContext& ctx);  // receipts, balances, ledger
void AddConsumoRoutes(http::Router& router, EstoqueContext& ctx);
void AddExpedicaoRoutes(http::Router& router, EstoqueContext& ctx);
void AddDevolucaoRoutes(http::Router& router, EstoqueContext& ctx);

}  // namespace pharmasys::estoque
