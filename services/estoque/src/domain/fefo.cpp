#include "fefo.hpp"

#include <algorithm>
#include <tuple>

namespace pharmasys::estoque {

bool UsableOn(Day validade, Day hoje, int vida_util_minima_dias) {
  return validade >= hoje + std::chrono::days(vida_util_minima_dias);
}

namespace {

bool Usable(const FefoCandidate& c, const FefoRequest& request) {
  return c.disponivel.IsPositive() && UsableOn(c.validade, request.hoje, request.vida_util_minima_dias);
}

bool FefoBefore(const FefoCandidate& a, const FefoCandidate& b) {
  return std::tie(a.validade, a.recebido_em_us, a.codigo) < std::tie(b.validade, b.recebido_em_us, b.codigo);
}

}  // namespace

FefoAllocation AllocateFefo(std::vector<FefoCandidate> candidates, const FefoRequest& request) {
  std::erase_if(candidates, [&](const FefoCandidate& c) { return !Usable(c, request); });
  std::sort(candidates.begin(), candidates.end(), FefoBefore);
  FefoAllocation out;
  Decimal falta = request.quantidade;
  for (const auto& c : candidates) {
    out.alocavel += c.disponivel;
    if (!falta.IsPositive()) continue;
    Decimal take = std::min(falta, c.disponivel);
    out.partes.push_back({c.lote_id, c.codigo, c.validade, take});
    falta -= take;
  }
  out.completa = request.quantidade.IsPositive() && !falta.IsPositive();
  if (!out.completa) out.partes.clear();
  return out;
}

bool BreaksFefo(const std::vector<FefoCandidate>& candidates, Day escolhido, const FefoRequest& request) {
  return std::any_of(candidates.begin(), candidates.end(),
                     [&](const FefoCandidate& c) { return Usable(c, request) && c.validade < escolhido; });
}

}  // namespace pharmasys::estoque
