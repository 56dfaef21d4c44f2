#include "events.hpp"

#include "../app/ordens.hpp"
#include "../storage/store.hpp"
#include "pharmasys/domain/lote.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::producao {
namespace {

template <typename Fato>
void OnDesvio(pg::Transaction& tx, const events::Event& event, OpAto ato) {
  const auto desvio = events::Read<Fato>(event);
  // The OP first: its row lock orders this against any act running on it.
  auto ordem = FindOrdem(tx, desvio.op_id, true);
  if (!RecordDesvio(tx, desvio, event.ocorrido_em, event.usuario.username)) return;
  if (!ordem) {
    log::Warn("desvio de uma OP desconhecida", {{"op_id", desvio.op_id}, {"tipo", event.tipo}});
    return;
  }
  Act(tx, events::ActorOf(event), event.usuario, *ordem, ato);
}

}  // namespace

void OnMaterialCadastrado(pg::Transaction& tx, const events::Event& event) {
  events::UpsertMaterial(tx, events::Read<events::MaterialCadastrado>(event));
}

void OnDesvioAberto(pg::Transaction& tx, const events::Event& event) {
  OnDesvio<events::DesvioAberto>(tx, event, OpAto::DesvioAberto);
}

void OnDesvioEncerrado(pg::Transaction& tx, const events::Event& event) {
  OnDesvio<events::DesvioEncerrado>(tx, event, OpAto::DesvioEncerrado);
}

void OnLaudoEmitido(pg::Transaction& tx, const events::Event& event) {
  const auto laudo = events::Read<events::LaudoEmitido>(event);
  const auto fato = domain::FatoDoLaudo(laudo.decisao);
  if (!fato) throw events::PoisonMessage("decisao inválida");
  auto status = LockLoteStatus(tx, laudo.lote_id);
  if (!status) return;  // a received lot, not made here
  const auto transicao = Apply(*status, *fato);
  if (!transicao.aceita()) {
    log::Warn("laudo recusado pelo estado do lote",
              {{"lote_id", laudo.lote_id}, {"motivo", std::string(domain::Explain(transicao.recusa))}});
    return;
  }
  SetLoteLaudo(tx, laudo.lote_id, transicao.status, laudo.laudo_id, laudo.emitido_em);
}

void OnLoteRecolhido(pg::Transaction& tx, const events::Event& event) {
  const auto recall = events::Read<events::LoteRecolhido>(event);
  auto status = LockLoteStatus(tx, recall.lote_id);
  if (!status || !Apply(*status, domain::LoteFato::Recolhimento).mudou) return;
  SetLoteRecolhido(tx, recall.lote_id, recall.motivo);
}

}  // namespace pharmasys::producao
