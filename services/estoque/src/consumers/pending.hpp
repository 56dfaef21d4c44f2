#pragma once
// Events about lots (EVENTS.md: order is guaranteed only per aggregate, and a consumer must
// tolerate an event arriving before one it logically follows). An event about a lot Estoque
// has not seen yet is kept in `eventos_lote_pendentes` and applied, in the order the facts
// happened, in the transaction that brings the lot in.
#include <string>

#include "pharmasys/events/events.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

// laudo.emitido: aprovado releases the lot, reprovado rejects it (domain/lote.hpp).
void ApplyLaudo(pg::Transaction& tx, const events::Event& event);
// lote.recolhido: the lot is blocked and every open reservation on it is cancelled.
void ApplyRecall(pg::Transaction& tx, const events::Event& event);
// lote.criado from Produção: the produced lot enters stock in quarantine.
void ApplyLoteCriado(pg::Transaction& tx, const events::Event& event);

// Applies the kept events of a lot that has just arrived.
void ApplyPendingEvents(pg::Transaction& tx, const std::string& lote_id);

}  // namespace pharmasys::estoque
