#include "perdas.hpp"

#include <algorithm>

namespace pharmasys::relatorios {
namespace {
constexpr std::int64_t kCemAnos = 36525;  // a horizon no shelf life reaches; keeps the budget in range
}  // namespace

std::vector<PerdaPrevista> PerdasEvitaveis(const std::vector<LoteUsavel>& lotes, Decimal uso_por_dia) {
  std::vector<PerdaPrevista> out;
  const std::int64_t rate = std::max<std::int64_t>(uso_por_dia.units(), 0);  // thousandths per day
  std::int64_t used = 0;  // what FEFO will have taken from the lots before this one
  for (const auto& lot : lotes) {
    const std::int64_t saldo = std::max<std::int64_t>(lot.saldo.units(), 0);
    const std::int64_t budget = rate * std::clamp<std::int64_t>(lot.dias_de_uso, 0, kCemAnos);
    const std::int64_t taken = std::clamp<std::int64_t>(budget - used, 0, saldo);
    std::optional<std::int64_t> reached;
    if (rate > 0) reached = (used + rate - 1) / rate;
    if (taken < saldo) {
      out.push_back(
          {.lote_id = lot.lote_id, .em_risco = Decimal::FromUnits(saldo - taken), .alcancado_em_dias = reached});
    }
    used += taken;
  }
  return out;
}

}  // namespace pharmasys::relatorios
