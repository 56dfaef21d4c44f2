// Composition root of the producao service.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("producao", 8082);
  return service.Run(argc, argv);
}
