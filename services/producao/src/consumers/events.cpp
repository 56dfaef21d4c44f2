#include "events.hpp"

#include "../api/ordens.hpp"
#include "../storage/store.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::producao {
namespace {

void OnDesvio(pg::Transaction& tx, const events::Event& event, bool aberto) {
  const std::string op_id(event.dados.at("op_id").as_string());
  // The OP first: its row lock orders this against any act running on it.
  auto ordem = FindOrdem(tx, op_id, true);
  if (!RecordDesvio(tx, event.dados, aberto, event.ocorrido_em)) return;
  if (!ordem) {
    log::Warn("desvio de uma OP desconhecida", {{"op_id", op_id}, {"tipo", event.tipo}});
    return;
  }
  Act(tx, events::ActorOf(event), event.usuario, *ordem, aberto ? OpAto::DesvioAberto : OpAto::DesvioEncerrado);
}

}  // namespace

void OnMaterialCadastrado(pg::Transaction& tx, const events::Event& event) {
  UpsertMaterial(tx, event.dados);
}

void OnDesvioAberto(pg::Transaction& tx, const events::Event& event) {
  OnDesvio(tx, event, true);
}

void OnDesvioEncerrado(pg::Transaction& tx, const events::Event& event) {
  OnDesvio(tx, event, false);
}

void OnLaudoEmitido(pg::Transaction& tx, const events::Event& event) {
  ApplyLaudoToLote(tx, event.dados);
}

void OnLoteRecolhido(pg::Transaction& tx, const events::Event& event) {
  ApplyRecallToLote(tx, event.dados);
}

}  // namespace pharmasys::producao
