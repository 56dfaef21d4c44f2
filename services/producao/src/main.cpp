// Composition root of the producao service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("producao", 8082);
  service.UseDatabase(pharmasys::pg::ServiceMigrations());
  return service.Run(argc, argv);
}
