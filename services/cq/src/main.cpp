// Composition root of the cq service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("cq", 8083);
  return service.Run(argc, argv);
}
