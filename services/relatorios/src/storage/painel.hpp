#pragma once
// The plant at a glance and the lots about to expire, read from Relatórios' read models.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

struct LoteVencendo {
  std::string lote_id, lote_codigo, material;
  std::optional<std::string> material_nome;
  std::string status, validade;  // validade: yyyy-mm-dd
  Decimal quantidade;
  std::string unidade;
  std::int64_t dias_restantes = 0;
};

// Lots in quarantine or released expiring within `dias` of today in the plant's time zone
// (`fuso`), soonest first; after the lot `depois_de` (the list's cursor), at most `limite`.
std::vector<LoteVencendo> LotesVencendo(pg::Pool& db, const std::string& fuso, std::int64_t dias,
                                        const std::optional<std::string>& depois_de, std::int64_t limite);

struct Painel {
  std::map<std::string, std::int64_t> lotes_por_status, ops_por_status;  // only the statuses seen
  std::int64_t desvios_abertos = 0, lotes_vencendo_30_dias = 0, lotes_vencendo_90_dias = 0;
  std::int64_t perdas_30_dias = 0;    // losses (a lot and its cause) of the last 30 days, today included
  std::int64_t perdas_evitaveis = 0;  // released lots that will expire before FEFO reaches them
};

Painel LerPainel(pg::Transaction& tx, const std::string& fuso);

}  // namespace pharmasys::relatorios
