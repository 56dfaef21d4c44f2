#include "lote.hpp"

namespace pharmasys::estoque {

using domain::LoteStatus;

std::optional<std::string> WhyNotShippable(const ExpedicaoCheck& lot, Day hoje, int vida_util_minima_dias) {
  if (lot.status == LoteStatus::Recolhido) return "o lote foi recolhido";
  if (lot.status == LoteStatus::Reprovado) return "o lote foi reprovado pelo CQ";
  if (!CanLeaveStock(lot.status) || !lot.laudo_aprovado) return "o lote não tem laudo aprovado (quarentena)";
  if (!UsableOn(lot.validade, hoje)) return "o lote está vencido";
  if (!UsableOn(lot.validade, hoje, vida_util_minima_dias)) {
    return "o lote tem menos que os " + std::to_string(vida_util_minima_dias) +
           " dias de vida útil exigidos para expedição";
  }
  return std::nullopt;
}

}  // namespace pharmasys::estoque
