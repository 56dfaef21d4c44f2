// Composition root of the estoque service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("estoque", 8084);
  service.UseDatabase(pharmasys::pg::ServiceMigrations());
  return service.Run(argc, argv);
}
