// Composition root of the cq service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("cq", 8083);
  service.UseDatabase(pharmasys::pg::ServiceMigrations());
  return service.Run(argc, argv);
}
