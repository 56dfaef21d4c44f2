#pragma once
// Recalls (API.md CQ; RULES.md B5): signed by an analyst for `lote:<id>` with the meaning
// `recolhimento`; the lot is blocked at once here and `lote.recolhido` blocks it in Estoque.
#include <string>

#include "../storage/store.hpp"
#include "assinar.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

struct PedidoDeRecolhimento {
  std::string lote_id, motivo;
};

// Recalls the lot, audited with its signature, and publishes `lote.recolhido`; returns the
// recall. Refused, in this order: CampoInvalido (lote_id) for a lot CQ does not know; then the
// signature must be valid for the lot; EstadoNaoPermite for a lot already recalled.
Recall RecolherLote(pg::Transaction& tx, const audit::Actor& actor, const PedidoDeRecolhimento& pedido,
                    const Assinar& assinar);

}  // namespace pharmasys::cq
