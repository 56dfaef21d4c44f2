#pragma once
// What CQ does with the events it consumes. Each runs in the transaction that records the
// event id (the inbox), so a redelivery has no second effect.
#include "pharmasys/events/events.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

// material.cadastrado: the catalogue specifications are written against.
void OnMaterialCadastrado(pg::Transaction& tx, const events::Event& event);
// lote.criado: the lot, in quarantine, and exactly one sample awaiting collection.
void OnLoteCriado(pg::Transaction& tx, const events::Event& event);
// devolucao.registrada: the return shows up for evaluation.
void OnDevolucaoRegistrada(pg::Transaction& tx, const events::Event& event);
// op.revisada: the OP's batch record was reviewed; its produced lots may now be approved (G1).
void OnOpRevisada(pg::Transaction& tx, const events::Event& event);

}  // namespace pharmasys::cq
