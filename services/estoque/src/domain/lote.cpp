#include "lote.hpp"

namespace pharmasys::estoque {

std::string_view ToString(LotStatus status) {
  switch (status) {
    case LotStatus::Quarentena: return "quarentena";
    case LotStatus::Liberado: return "liberado";
    case LotStatus::Reprovado: return "reprovado";
    case LotStatus::Recolhido: return "recolhido";
  }
  return "quarentena";
}

std::optional<LotStatus> ParseLotStatus(std::string_view text) {
  for (auto s : {LotStatus::Quarentena, LotStatus::Liberado, LotStatus::Reprovado, LotStatus::Recolhido}) {
    if (ToString(s) == text) return s;
  }
  return std::nullopt;
}

LotTransition Apply(LotStatus current, LotFact fact) {
  auto to = [&](LotStatus next) { return LotTransition{next, next != current, {}}; };
  auto refuse = [&](std::string why) { return LotTransition{current, false, std::move(why)}; };
  switch (fact) {
    case LotFact::Recolhimento: return to(LotStatus::Recolhido);
    case LotFact::LaudoAprovado:
      if (current == LotStatus::Quarentena || current == LotStatus::Liberado) return to(LotStatus::Liberado);
      if (current == LotStatus::Reprovado) return refuse("um lote reprovado nunca volta a ficar disponível");
      return refuse("um lote recolhido não pode ser liberado");
    case LotFact::LaudoReprovado:
      if (current == LotStatus::Recolhido) return refuse("o lote já está recolhido");
      return to(LotStatus::Reprovado);
  }
  return refuse("fato desconhecido");
}

std::optional<std::string> WhyNotShippable(const ShipmentCheck& lot, Day hoje, int vida_util_minima_dias) {
  if (lot.status == LotStatus::Recolhido) return "o lote foi recolhido";
  if (lot.status == LotStatus::Reprovado) return "o lote foi reprovado pelo CQ";
  if (lot.status != LotStatus::Liberado || !lot.laudo_aprovado) return "o lote não tem laudo aprovado (quarentena)";
  if (!UsableOn(lot.validade, hoje)) return "o lote está vencido";
  if (!UsableOn(lot.validade, hoje, vida_util_minima_dias)) {
    return "o lote tem menos que os " + std::to_string(vida_util_minima_dias) +
           " dias de vida útil exigidos para expedição";
  }
  return std::nullopt;
}

}  // namespace pharmasys::estoque
