#pragma once
// Receipts of insumo lots (API.md Estoque; RULES.md B1): a lot is born in quarantine with its
// `entrada` in the ledger, and announced as `lote.criado` so CQ samples it.
#include <chrono>
#include <optional>
#include <string>

#include "../storage/lotes.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct PedidoRecebimento {
  Material material;  // the catalogue's, as the request named it
  Decimal quantidade;
  Day validade;
  std::optional<std::chrono::year_month_day> data_fabricacao;
  std::string fornecedor;
  std::string lote_fornecedor;
  std::string nota_fiscal;
};

// Creates the lot in quarantine with the next receipt code, books its `entrada`, audits it and
// publishes `lote.criado`. Returns the lot as stored.
Lote ReceberLote(pg::Transaction& tx, const audit::Actor& actor, const PedidoRecebimento& pedido);

}  // namespace pharmasys::estoque
