#pragma once
// Consumption into a production order (API.md Estoque; RULES.md B2, B7): a FEFO allocation of
// a material, all or nothing, booked in the ledger and audited.
#include <string>

#include "../domain/fefo.hpp"
#include "../storage/consumos.hpp"
#include "../storage/lotes.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct PedidoConsumo {
  std::string op_id;
  std::string material;
  Decimal quantidade;
};

// Takes `pedido.quantidade` of the material by FEFO on `agora.hoje`. Refused: EstoqueInsuficiente
// when the released, unexpired lots do not cover it; CampoInvalido (material) when the
// material is unknown.
Consumo Consumir(pg::Transaction& tx, const audit::Actor& actor, const PedidoConsumo& pedido, const Agora& agora);

// Refused (NaoEncontrado) when there is no such consumption.
Consumo LoadConsumo(pg::Transaction& tx, const std::string& id);

}  // namespace pharmasys::estoque
