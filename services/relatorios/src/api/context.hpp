#pragma once
// What the Relatórios handlers share.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/auth/jwt.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/http/router.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

struct RelatoriosContext {
  pg::Pool& db;
  std::shared_ptr<http::Client> client;
  // Where each service answers GET /auditoria/verificacao: (servico, base URL).
  std::vector<std::pair<std::string, std::string>> audit_sources;
  // The whole verification's deadline: every service is asked at once, and this stays below
  // the gateway's upstream timeout (30 s) so the report always arrives.
  std::chrono::milliseconds verificacao_prazo{20000};
  std::string fuso = "America/Sao_Paulo";
};

void AddTraceRoutes(http::Router& router, RelatoriosContext& ctx);   // rastreabilidade, recolhimento
void AddReportRoutes(http::Router& router, RelatoriosContext& ctx);  // batch record, vencimentos, painel
void AddAuditRoutes(http::Router& router, RelatoriosContext& ctx);   // consolidated trail, verification

}  // namespace pharmasys::relatorios
