#include "recolhimentos.hpp"

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/domain/lote.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/ids.hpp"
#include "recusa.hpp"

namespace pharmasys::cq {

Recall RecolherLote(pg::Transaction& tx, const audit::Actor& actor, const PedidoDeRecolhimento& pedido,
                    const Assinar& assinar) {
  auto lot = FindLot(tx, pedido.lote_id, true);
  if (!lot) throw Recusa::Campo("lote_id", "lote desconhecido no CQ");
  auto assinatura = assinar("lote:" + lot->id, "recolhimento");
  const auto transicao = Apply(lot->status, domain::LoteFato::Recolhimento);
  if (!transicao.mudou) throw Recusa(Motivo::EstadoNaoPermite, "O lote " + lot->codigo + " já foi recolhido.");
  Recall recall{
      .id = ids::NewUuidV7(),
      .lote_id = lot->id,
      .lote_codigo = lot->codigo,
      .motivo = pedido.motivo,
      .criado_por = actor.username,
      .assinatura = {{"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}}};
  InsertRecall(tx, recall);
  SetLotStatus(tx, lot->id, transicao.status);
  audit::Audit(tx, actor,
               {.acao = "lote.recolhido",
                .entidade = "lote",
                .entidade_id = lot->id,
                .antes = {{"status", ToString(lot->status)}},
                .depois = {{"status", ToString(transicao.status)}, {"recolhimento_id", recall.id}},
                .motivo = pedido.motivo,
                .assinatura = assinatura});
  events::Publish(tx, events::NewEvent("cq", events::LoteRecolhido{lot->id, lot->codigo, pedido.motivo},
                                       {actor.sub, actor.username}));
  return *FindRecall(tx, recall.id);
}

}  // namespace pharmasys::cq
