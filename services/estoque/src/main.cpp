// Composition root of the Estoque service: materials, receipts, stock and its ledger, FEFO
// consumption, shipments and returns.
#include "api/context.hpp"
#include "consumers/pending.hpp"
#include "pharmasys/service/service.hpp"
#include "storage/lotes.hpp"

int main(int argc, char** argv) {
  using namespace pharmasys;
  using namespace pharmasys::estoque;
  Service service("estoque", 8084);
  service.UseDatabase(pg::ServiceMigrations());
  EstoqueContext ctx{.db = service.db(), .verifier = service.UseAuthentication()};
  ctx.fuso = service.env().String("PHARMASYS_PLANT_TIMEZONE", "America/Sao_Paulo");

  service.ExposeAuditVerification();
  AddMaterialRoutes(service.router(), ctx);
  AddLoteRoutes(service.router(), ctx);
  AddConsumoRoutes(service.router(), ctx);
  AddExpedicaoRoutes(service.router(), ctx);
  AddDevolucaoRoutes(service.router(), ctx);

  service.OnEvent("lote.criado", ApplyLoteCriado);
  service.OnEvent("laudo.emitido", ApplyLaudo);
  service.OnEvent("lote.recolhido", ApplyRecall);

  service.OnStart([&] {
    // An unknown zone fails here, at start, instead of on the first allocation.
    ctx.db.Transact([&](pg::Transaction& tx) { Today(tx, ctx.fuso); });
  });
  return service.Run(argc, argv);
}
