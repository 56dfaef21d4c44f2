#pragma once
// What Estoque adds to the lot lifecycle (pharmasys/domain/lote.hpp, shared by every service):
// the checks a shipment makes of each of its lots (RULES.md B4).
#include <optional>
#include <string>

#include "fefo.hpp"
#include "pharmasys/domain/lote.hpp"

namespace pharmasys::estoque {

// RULES.md B4: what reservation and confirmation both re-check for every lot of a shipment.
struct ExpedicaoCheck {
  domain::LoteStatus status;
  bool laudo_aprovado;  // an approved laudo has been applied to the lot
  Day validade;
};
// Why the lot cannot be shipped on `hoje` with `vida_util_minima_dias` of shelf life required,
// or nullopt when it can.
std::optional<std::string> WhyNotShippable(const ExpedicaoCheck& lot, Day hoje, int vida_util_minima_dias);

}  // namespace pharmasys::estoque
