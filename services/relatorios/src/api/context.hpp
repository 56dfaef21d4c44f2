#pragma once
// What the Relatórios handlers share.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/http/service_client.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

struct RelatoriosContext {
  pg::Pool& db;
  // Each service whose chain is verified (GET /auditoria/verificacao), named as in the
  // report; called with the auditor's own Authorization.
  std::vector<http::ServiceClient> audit_sources;
  // The whole verification's deadline: every service is asked at once, and this stays below
  // the gateway's upstream timeout (30 s) so the report always arrives.
  std::chrono::milliseconds verificacao_prazo{20000};
  std::string fuso = "America/Sao_Paulo";
};

void AddTraceRoutes(http::Router& router, RelatoriosContext& ctx);   // rastreabilidade, recolhimento
void AddReportRoutes(http::Router& router, RelatoriosContext& ctx);  // batch record, vencimentos, painel
void AddAuditRoutes(http::Router& router, RelatoriosContext& ctx);   // consolidated trail, verification
void AddLossRoutes(http::Router& router, RelatoriosContext& ctx);    // perdas

}  // namespace pharmasys::relatorios
