// Composition root of the CQ service: specifications, samples and results, signed laudos with
// their certificate of analysis, deviations, recalls.
#include "api/context.hpp"
#include "consumers/events.hpp"
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  using namespace pharmasys;
  using namespace pharmasys::cq;
  Service service("cq", 8083);
  service.UseDatabase(pg::ServiceMigrations());
  CqContext ctx{.db = service.db(), .verifier = service.UseAuthentication()};

  service.ExposeAuditVerification();
  AddSpecificationRoutes(service.router(), ctx);
  AddSampleRoutes(service.router(), ctx);
  AddLaudoRoutes(service.router(), ctx);
  AddDeviationRoutes(service.router(), ctx);
  AddRecallRoutes(service.router(), ctx);
  AddLotRoutes(service.router(), ctx);

  service.OnEvent("material.cadastrado", OnMaterialCadastrado);
  service.OnEvent("lote.criado", OnLoteCriado);
  service.OnEvent("devolucao.registrada", OnDevolucaoRegistrada);
  service.OnEvent("op.revisada", OnOpRevisada);
  return service.Run(argc, argv);
}
