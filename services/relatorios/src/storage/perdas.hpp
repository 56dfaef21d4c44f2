#pragma once
// Loss control (GET /v1/relatorios/perdas), read from Relatórios' read models: what was lost
// by material, cause and month, and the released lots that will expire before FEFO reaches
// them (domain/perdas.hpp).
//
// A lot is lost whole, with what it still has in stock (`lotes.saldo`, V005), once: `recolhido`
// on the day of its recall, `reprovado` on the day of its laudo reprovado, `vencido` on the day
// after its `validade` while still in quarantine or released. A customer return QC discards is
// a loss `descartado` of the returned quantity on the day of the evaluation. Days and months
// are the plant's (`fuso`).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

struct FiltroDePerdas {
  std::string de, ate;  // yyyy-mm-dd, both inclusive
  std::optional<std::string> material;
};

struct PerdaDoMes {
  std::string material;
  std::optional<std::string> material_nome;
  std::string unidade;
  std::string causa;  // vencido, reprovado, descartado, recolhido
  std::string mes;    // yyyy-mm
  Decimal quantidade;
  std::int64_t lotes = 0;
};

// By material, then month, then cause.
std::vector<PerdaDoMes> LerPerdas(pg::Transaction& tx, const std::string& fuso, const FiltroDePerdas& filtro);

struct LoteEmRisco {
  std::string lote_id, lote_codigo, material;
  std::optional<std::string> material_nome;
  std::string unidade, validade;  // yyyy-mm-dd
  Decimal saldo, em_risco, uso_por_dia;
  std::optional<std::string> alcancado_em;  // the day FEFO starts on it (none: not in use)
};

// Every released lot with stock that will partly or wholly expire unused at its material's
// use of the last kDiasDoUsoRecente days; by material, then FEFO order.
std::vector<LoteEmRisco> LerPerdasEvitaveis(pg::Transaction& tx, const std::string& fuso,
                                            const std::optional<std::string>& material);

inline constexpr std::int64_t kDiasDoUsoRecente = 90;

}  // namespace pharmasys::relatorios
