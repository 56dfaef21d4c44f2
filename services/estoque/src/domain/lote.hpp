#pragma once
// The quality status of a lot as Estoque holds it (RULES.md B1, B5): born in quarantine,
// released or rejected by a laudo, blocked by a recall. A pure state machine.
#include <optional>
#include <string>
#include <string_view>

#include "fefo.hpp"

namespace pharmasys::estoque {

enum class LotStatus { Quarentena, Liberado, Reprovado, Recolhido };
enum class LotFact { LaudoAprovado, LaudoReprovado, Recolhimento };

std::string_view ToString(LotStatus status);
std::optional<LotStatus> ParseLotStatus(std::string_view text);

struct LotTransition {
  LotStatus status;  // the status after the fact (unchanged when refused)
  bool changed = false;
  std::string recusa;  // why the fact cannot change the lot (empty when accepted)
};

// quarentena --aprovado--> liberado, --reprovado--> reprovado; liberado --reprovado-->
// reprovado (a re-analysis); any --recolhimento--> recolhido. A reprovado lot never becomes
// available and a recalled lot stays recalled: those facts are refused, never applied.
LotTransition Apply(LotStatus current, LotFact fact);

// Only a released lot moves out of stock (consumption, reservation, shipment).
inline bool CanLeaveStock(LotStatus status) {
  return status == LotStatus::Liberado;
}

// RULES.md B4: what reservation and confirmation both re-check for every lot of a shipment.
struct ShipmentCheck {
  LotStatus status;
  bool laudo_aprovado;  // an approved laudo has been applied to the lot
  Day validade;
};
// Why the lot cannot be shipped on `hoje` with `vida_util_minima_dias` of shelf life required,
// or nullopt when it can.
std::optional<std::string> WhyNotShippable(const ShipmentCheck& lot, Day hoje, int vida_util_minima_dias);

}  // namespace pharmasys::estoque
