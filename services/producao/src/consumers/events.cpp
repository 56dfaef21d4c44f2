#include "events.hpp"

#include "../api/ordens.hpp"
#include "../storage/store.hpp"
#include "pharmasys/domain/lote.hpp"
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
  const auto& d = event.dados;
  const std::string lote_id(d.at("lote_id").as_string());
  const auto fato = domain::FatoDoLaudo(d.at("decisao").as_string());
  if (!fato) throw events::PoisonMessage("decisao inválida");
  auto status = LockLoteStatus(tx, lote_id);
  if (!status) return;  // a received lot, not made here
  const auto transicao = Apply(*status, *fato);
  if (!transicao.aceita()) {
    log::Warn("laudo recusado pelo estado do lote",
              {{"lote_id", lote_id}, {"motivo", std::string(domain::Explain(transicao.recusa))}});
    return;
  }
  SetLoteLaudo(tx, lote_id, transicao.status, std::string(d.at("laudo_id").as_string()),
               std::string(d.at("emitido_em").as_string()));
}

void OnLoteRecolhido(pg::Transaction& tx, const events::Event& event) {
  const std::string lote_id(event.dados.at("lote_id").as_string());
  auto status = LockLoteStatus(tx, lote_id);
  if (!status || !Apply(*status, domain::LoteFato::Recolhimento).mudou) return;
  SetLoteRecolhido(tx, lote_id, std::string(event.dados.at("motivo").as_string()));
}

}  // namespace pharmasys::producao
