// Composition root of the Produção service: recipes, production orders and their execution
// (step records, FEFO consumption through Estoque, produced lots), blocked by open deviations.
#include "api/context.hpp"
#include "app/consumos.hpp"
#include "consumers/events.hpp"
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  using namespace pharmasys;
  using namespace pharmasys::producao;
  Service service("producao", 8082);
  service.UseDatabase(pg::ServiceMigrations());
  auto verifier = service.UseAuthentication();
  auto& env = service.env();

  auto http_client = std::make_shared<http::Client>();
  auto token = std::make_shared<auth::ServiceToken>(
      auth::ServiceTokenOptions{.token_url = env.Url("PHARMASYS_AUTH_TOKEN_URL", "http://127.0.0.1:8081/v1/auth/token"),
                                .client_id = env.String("PHARMASYS_CLIENT_ID", "producao"),
                                .client_secret = env.Optional("PHARMASYS_CLIENT_SECRET").value_or("")},
      http_client);
  // Consumption needs Estoque and Produção's own token: without them the service still serves
  // everything else, so they count as optional ("degradado"), not as "not ready".
  auto estoque = std::make_shared<EstoqueClient>(
      http::ServiceClient({.name = "estoque",
                           .title = "Estoque",
                           .base_url = env.Url("PHARMASYS_ESTOQUE_URL", "http://127.0.0.1:8084"),
                           .deadline = env.Duration("PHARMASYS_ESTOQUE_TIMEOUT", std::chrono::seconds(5)),
                           .retry = {.attempts = static_cast<int>(env.Int("PHARMASYS_ESTOQUE_ATTEMPTS", 4, 1, 20))}},
                          http_client, token));
  service.AddReadinessCheck(
      "estoque", [estoque] { return estoque->Healthy(); }, false);
  ProducaoContext ctx{.db = service.db(),
                      .estoque = estoque,
                      .verifier = verifier,
                      .fuso = env.String("PHARMASYS_PLANT_TIMEZONE", "America/Sao_Paulo"),
                      .pause_file = env.Optional("PHARMASYS_TEST_PAUSE_FILE").value_or("")};
  // RULES R5: consumptions left pendente (a crash, Estoque unreachable) are asked of Estoque
  // again with the same key and settled, once they have been idle for an interval.
  const auto recovery_interval = env.Duration("PHARMASYS_CONSUMO_RECOVERY_INTERVAL", std::chrono::seconds(30));
  BackgroundLoop recovery;
  service.OnStart([&] { recovery.Start([&] { RunConsumoRecovery(recovery, ctx, recovery_interval); }); });

  service.ExposeAuditVerification();
  AddRecipeRoutes(service.router(), ctx);
  AddOrderRoutes(service.router(), ctx);
  AddExecutionRoutes(service.router(), ctx);
  AddReviewRoutes(service.router(), ctx);

  service.OnEvent("material.cadastrado", OnMaterialCadastrado);
  service.OnEvent("desvio.aberto", OnDesvioAberto);
  service.OnEvent("desvio.encerrado", OnDesvioEncerrado);
  service.OnEvent("laudo.emitido", OnLaudoEmitido);
  service.OnEvent("lote.recolhido", OnLoteRecolhido);
  return service.Run(argc, argv);
}
