#pragma once
// Consumptions into production orders (`consumos`, `consumo_lotes`): the document of each
// FEFO allocation Produção asked for.
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct ConsumoLote {
  std::string lote_id;
  std::string lote_codigo;
  std::string validade;
  Decimal quantidade;
};

struct Consumo {
  std::string id;
  std::string op_id;
  std::string material;
  Decimal quantidade;
  std::vector<ConsumoLote> lotes;  // in allocation order
  std::string criado_por;
  std::string criado_em;
};

// Both inserts are deferred (Transaction::Defer): they travel with the next statement or the
// COMMIT. The document's criado_em is the transaction's now() (see Now in lotes.hpp).
void InsertConsumo(pg::Transaction& tx, const std::string& id, const std::string& op_id, const std::string& material,
                   Decimal quantidade, const std::string& criado_por);
void InsertConsumoLote(pg::Transaction& tx, const std::string& consumo_id, int ordem, const std::string& lote_id,
                       Decimal quantidade);
std::optional<Consumo> FindConsumo(pg::Transaction& tx, const std::string& id);

}  // namespace pharmasys::estoque
