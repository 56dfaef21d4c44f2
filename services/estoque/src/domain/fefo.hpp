#pragma once
// FEFO allocation (RULES.md B2): which lots, and how much of each, serve a request. A pure
// function of the candidate lots and the day, shared by consumption, reservation and
// confirmation, so the three can never disagree about expiry.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"

namespace pharmasys::estoque {

using Day = std::chrono::sys_days;

// The one expiry rule: a lot is usable through its `validade` day (a lot expiring today is
// usable today, not tomorrow), and a shipment also needs `vida_util_minima_dias` of shelf life
// left: validade ≥ hoje + minimum.
bool UsableOn(Day validade, Day hoje, int vida_util_minima_dias = 0);

struct FefoCandidate {
  std::string lote_id;
  std::string codigo;
  Day validade;
  std::int64_t recebido_em_us = 0;  // receipt instant, microseconds since the epoch (tie-break)
  Decimal disponivel;
};

struct FefoRequest {
  Decimal quantidade;
  Day hoje;
  int vida_util_minima_dias = 0;
};

struct FefoPart {
  std::string lote_id;
  std::string codigo;
  Day validade;
  Decimal quantidade;
};

struct FefoAllocation {
  std::vector<FefoPart> partes;  // in allocation order; empty when the request is short
  Decimal alocavel;              // the most the usable candidates could give
  bool completa = false;         // all-or-nothing: partes cover the whole quantity
};

// Earliest `validade` first; ties by earliest receipt, then `codigo`. Unusable lots (expired,
// too little shelf life left, nothing available) are skipped. All-or-nothing: when the usable
// lots cannot cover the quantity, no part is returned and `alocavel` says how much there is.
FefoAllocation AllocateFefo(std::vector<FefoCandidate> candidates, const FefoRequest& request);

// Whether taking a lot expiring on `escolhido` instead of what FEFO would take breaks the rule:
// some other usable candidate expires strictly earlier (RULES.md B2, explicitly chosen lots).
// Lots with the same expiry are interchangeable.
bool BreaksFefo(const std::vector<FefoCandidate>& candidates, Day escolhido, const FefoRequest& request);

}  // namespace pharmasys::estoque
