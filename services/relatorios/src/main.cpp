// Composition root of the Relatórios service: read models fed by every event, traceability,
// recall impact, batch records, expiring lots, the dashboard, and the consolidated audit trail
// with its verification across services.
#include "api/context.hpp"
#include "consumers/events.hpp"
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  using namespace pharmasys;
  using namespace pharmasys::relatorios;
  // Its requests are reads of the read model: handled where they are read (bench/trace.sh).
  Service service("relatorios", 8085, http::Dispatch::Inline);
  service.UseDatabase(pg::ServiceMigrations());
  service.UseAuthentication();
  auto& env = service.env();
  RelatoriosContext ctx{.db = service.db(),
                        .audit_sources = {},
                        .verificacao_prazo = env.Duration("PHARMASYS_AUDIT_VERIFY_TIMEOUT", std::chrono::seconds(20)),
                        .fuso = env.String("PHARMASYS_PLANT_TIMEZONE", "America/Sao_Paulo")};
  // PHARMASYS_AUDIT_SOURCES: servico=url pairs, comma-separated.
  const std::string sources = env.String("PHARMASYS_AUDIT_SOURCES",
                                         "auth=http://127.0.0.1:8081,producao=http://127.0.0.1:8082,"
                                         "cq=http://127.0.0.1:8083,estoque=http://127.0.0.1:8084");
  auto client = std::make_shared<http::Client>();
  for (std::size_t start = 0; start < sources.size();) {
    auto end = sources.find(',', start);
    std::string item = sources.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto eq = item.find('=');
    if (eq != std::string::npos) {
      ctx.audit_sources.emplace_back(
          http::ServiceClientOptions{.name = item.substr(0, eq), .base_url = item.substr(eq + 1)}, client);
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }

  service.ExposeAuditVerification();
  AddTraceRoutes(service.router(), ctx);
  AddReportRoutes(service.router(), ctx);
  AddAuditRoutes(service.router(), ctx);
  AddLossRoutes(service.router(), ctx);
  auto on = [&](const std::string& tipo, events::Handler handler) { service.OnEvent(tipo, std::move(handler)); };
  RegisterConsumers(on);
  // The public halves of every service's checkpoint signing keys: <dir>/<servico>/<chave_id>.pub.
  RegisterCheckpoints(on, std::make_shared<audit::TrustedKeys>(env.String("PHARMASYS_AUDIT_TRUSTED_KEYS", "")));
  return service.Run(argc, argv);
}
