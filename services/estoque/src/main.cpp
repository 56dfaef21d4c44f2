// Composition root of the estoque service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("estoque", 8084);
  return service.Run(argc, argv);
}
