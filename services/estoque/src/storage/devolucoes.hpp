#pragma once
// Returns (devoluções): what came back from a shipment into its lot, and its QC evaluation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/list_order.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct AvaliacaoDevolucao {
  std::string motivo;
  std::string avaliado_por;
  std::string avaliado_em;
  std::string assinatura;  // the signature's JSON as stored
};

struct Devolucao {
  std::string id;
  std::string codigo;
  std::string expedicao_id;
  std::string lote_id;
  std::string lote_codigo;
  Decimal quantidade;
  std::string motivo;
  std::string status;  // pendente, reintegrada, descartada
  std::string criado_por;
  std::string criado_em;
  std::optional<AvaliacaoDevolucao> avaliacao;  // once evaluated
  std::int64_t versao = 1;
};

std::optional<Devolucao> FindDevolucao(pg::Transaction& tx, const std::string& id, bool for_update = false);
// Returns beyond `cursor` (by id: after it ascending, before it descending), optionally of one status.
std::vector<Devolucao> ListDevolucoes(pg::Transaction& tx, const std::optional<std::string>& status,
                                      const std::optional<std::string>& cursor, SortOrder order, std::int64_t limit);

struct NovaDevolucao {
  std::string id;
  std::string expedicao_id;
  std::string lote_id;
  Decimal quantidade;
  std::string motivo;
  std::string criado_por;
};
// Inserts the return as `pendente`, with the next DEV-nnnnnn code.
void InsertDevolucao(pg::Transaction& tx, const NovaDevolucao& devolucao);
// Records the evaluation: the new status, its motivo, who signed and the signature's JSON.
void SetDevolucaoAvaliada(pg::Transaction& tx, const std::string& id, const std::string& status,
                          const std::string& motivo, const std::string& avaliado_por, const std::string& assinatura);

}  // namespace pharmasys::estoque
