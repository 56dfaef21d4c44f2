#pragma once
// What Produção does with the events it consumes, each in the transaction that records the
// event id (the inbox).
#include "pharmasys/events/events.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::producao {

// material.cadastrado: the catalogue recipes and lots are written against.
void OnMaterialCadastrado(pg::Transaction& tx, const events::Event& event);
// desvio.aberto / desvio.encerrado: block the OP while any desvio on it is open (B3).
void OnDesvioAberto(pg::Transaction& tx, const events::Event& event);
void OnDesvioEncerrado(pg::Transaction& tx, const events::Event& event);
// laudo.emitido: the QC outcome of a lot made here, shown on its OP.
void OnLaudoEmitido(pg::Transaction& tx, const events::Event& event);
// lote.recolhido: a recall of a lot made here, shown on its OP.
void OnLoteRecolhido(pg::Transaction& tx, const events::Event& event);

}  // namespace pharmasys::producao
