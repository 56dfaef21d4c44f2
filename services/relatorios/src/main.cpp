// Composition root of the relatorios service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("relatorios", 8085);
  service.UseDatabase(pharmasys::pg::ServiceMigrations());
  return service.Run(argc, argv);
}
