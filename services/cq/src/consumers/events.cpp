#include "events.hpp"

#include "../storage/store.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/ids.hpp"

namespace pharmasys::cq {
void OnMaterialCadastrado(pg::Transaction& tx, const events::Event& event) {
  UpsertMaterial(tx, event.dados);
}

void OnLoteCriado(pg::Transaction& tx, const events::Event& event) {
  // The lot's id is the key: a second delivery (or a second event for the same lot) finds it
  // there and creates nothing, and amostras.lote_id is UNIQUE besides.
  if (!InsertLot(tx, event.dados)) return;
  const std::string lote_id(event.dados.at("lote_id").as_string());
  const std::string amostra_id = ids::NewUuidV7();
  InsertSample(tx, amostra_id, lote_id);
  audit::Audit(tx, events::ActorOf(event),
               {.acao = "amostra.criada",
                .entidade = "amostra",
                .entidade_id = amostra_id,
                .depois = {{"lote_id", lote_id},
                           {"lote_codigo", event.dados.at("codigo")},
                           {"material", event.dados.at("material")},
                           {"status", "aguardando_coleta"}}});
}

void OnDevolucaoRegistrada(pg::Transaction& tx, const events::Event& event) {
  InsertReturn(tx, event.dados, event.ocorrido_em);
}

}  // namespace pharmasys::cq
