// Composition root of the gateway: the single entry point on port 8080.
#include "pharmasys/service/service.hpp"

int main(int argc, char** argv) {
  pharmasys::Service service("gateway", 8080);
  // Ready only when every upstream service accepts connections.
  for (const char* upstream : {"AUTH", "PRODUCAO", "CQ", "ESTOQUE", "RELATORIOS"}) {
    std::string variable = std::string("PHARMASYS_UPSTREAM_") + upstream;
    std::string url = service.env().Url(variable, "");
    if (!url.empty()) service.AddReadinessCheck(variable, pharmasys::TcpReachable(url));
  }
  return service.Run(argc, argv);
}
