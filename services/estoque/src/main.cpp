// Composition root of the estoque service.
#include "pharmasys/service/service.hpp"

int main() {
  pharmasys::Service service("estoque", 8084);
  return service.Run();
}
