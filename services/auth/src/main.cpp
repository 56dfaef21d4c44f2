// Composition root of the auth service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("auth", 8081);
  service.UseDatabase(pharmasys::pg::ServiceMigrations());
  return service.Run(argc, argv);
}
