#include "events.hpp"

#include "../storage/store.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/ids.hpp"

namespace pharmasys::cq {
void OnMaterialCadastrado(pg::Transaction& tx, const events::Event& event) {
  events::UpsertMaterial(tx, events::Read<events::MaterialCadastrado>(event));
}

void OnLoteCriado(pg::Transaction& tx, const events::Event& event) {
  const auto lote = events::Read<events::LoteCriado>(event);
  // The lot's id is the key: a second delivery (or a second event for the same lot) finds it
  // there and creates nothing, and amostras.lote_id is UNIQUE besides.
  if (!InsertLot(tx, lote)) return;
  const std::string amostra_id = ids::NewUuidV7();
  InsertSample(tx, amostra_id, lote.lote_id);
  audit::Audit(tx, events::ActorOf(event),
               {.acao = "amostra.criada",
                .entidade = "amostra",
                .entidade_id = amostra_id,
                .depois = {{"lote_id", lote.lote_id},
                           {"lote_codigo", lote.codigo},
                           {"material", lote.material},
                           {"status", "aguardando_coleta"}}});
}

void OnDevolucaoRegistrada(pg::Transaction& tx, const events::Event& event) {
  InsertReturn(tx, events::Read<events::DevolucaoRegistrada>(event), event.ocorrido_em);
}

void OnOpRevisada(pg::Transaction& tx, const events::Event& event) {
  InsertRevisao(tx, events::Read<events::OpRevisada>(event));
}

}  // namespace pharmasys::cq
