#include "devolucoes.hpp"

#include <boost/json/object.hpp>

#include "../storage/expedicoes.hpp"
#include "../storage/lotes.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "recusa.hpp"

namespace pharmasys::estoque {

Devolucao RegistrarDevolucao(pg::Transaction& tx, const audit::Actor& actor, const PedidoDevolucao& pedido) {
  auto shipment = FindExpedicao(tx, pedido.expedicao_id, true);
  if (!shipment) throw Recusa::Campo("expedicao_id", "expedição desconhecida");
  if (shipment->status != "confirmada") {
    throw Recusa(Motivo::EstadoNaoPermite,
                 "Só volta o que foi expedido: a expedição " + shipment->codigo + " está " + shipment->status + ".");
  }
  if (!AddReturned(tx, pedido.expedicao_id, pedido.lote_id, pedido.quantidade)) {
    throw Recusa::Campo("quantidade", "maior que o expedido deste lote nesta expedição, descontadas as devoluções");
  }
  const std::string id = ids::NewUuidV7();
  InsertDevolucao(tx, {.id = id,
                       .expedicao_id = pedido.expedicao_id,
                       .lote_id = pedido.lote_id,
                       .quantidade = pedido.quantidade,
                       .motivo = pedido.motivo,
                       .criado_por = actor.username});
  Move(tx, actor,
       {.lote_id = pedido.lote_id,
        .tipo = "devolucao",
        .quantidade = pedido.quantidade,
        .devolvida = pedido.quantidade,
        .documento_tipo = "devolucao",
        .documento_id = id});
  Devolucao created = CarregarDevolucao(tx, id);
  audit::Audit(tx, actor,
               {.acao = "devolucao.registrada",
                .entidade = "devolucao",
                .entidade_id = id,
                .depois = {{"expedicao_id", pedido.expedicao_id},
                           {"lote_id", pedido.lote_id},
                           {"quantidade", json::ToJson(pedido.quantidade)},
                           {"status", "pendente"}},
                .motivo = pedido.motivo});
  events::Publish(tx, events::NewEvent("estoque",
                                       events::DevolucaoRegistrada{.devolucao_id = id,
                                                                   .expedicao_id = pedido.expedicao_id,
                                                                   .lote_id = pedido.lote_id,
                                                                   .quantidade = pedido.quantidade,
                                                                   .motivo = pedido.motivo},
                                       {actor.sub, actor.username}));
  return created;
}

Devolucao CarregarDevolucao(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto devolucao = FindDevolucao(tx, id, for_update);
  if (!devolucao) throw Recusa(Motivo::NaoEncontrado, "Devolução " + id + " não encontrada.");
  return std::move(*devolucao);
}

Devolucao AvaliarDevolucao(pg::Transaction& tx, const audit::Actor& actor, const Devolucao& devolucao,
                           const PedidoAvaliacao& pedido, const Assinar& assinar) {
  const bool reintegrar = pedido.decisao == "reintegrar";
  auto assinatura = assinar("devolucao:" + devolucao.id, reintegrar ? "liberacao" : "reprovacao");
  if (devolucao.status != "pendente") {
    throw Recusa(Motivo::EstadoNaoPermite, "A devolução já foi avaliada (" + devolucao.status + ").");
  }
  Lote lot = LoadLote(tx, devolucao.lote_id, true);
  if (reintegrar) {
    if (lot.status != domain::LoteStatus::Liberado) {
      ThrowNotReleased("Lote " + lot.codigo + " está " + std::string(ToString(lot.status)) +
                       ": a devolução só pode ser descartada.");
    }
    Move(tx, actor,
         {.lote_id = lot.id,
          .tipo = "reintegracao",
          .devolvida = -devolucao.quantidade,
          .documento_tipo = "devolucao",
          .documento_id = devolucao.id});
  } else {
    Move(tx, actor,
         {.lote_id = lot.id,
          .tipo = "descarte",
          .quantidade = -devolucao.quantidade,
          .devolvida = -devolucao.quantidade,
          .documento_tipo = "devolucao",
          .documento_id = devolucao.id});
  }
  const std::string status = reintegrar ? "reintegrada" : "descartada";
  boost::json::object signature{
      {"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}};
  SetDevolucaoAvaliada(tx, devolucao.id, status, pedido.motivo, actor.username, json::Serialize(signature));
  audit::Audit(tx, actor,
               {.acao = "devolucao.avaliada",
                .entidade = "devolucao",
                .entidade_id = devolucao.id,
                .antes = {{"status", "pendente"}},
                .depois = {{"status", status}, {"decisao", pedido.decisao}},
                .motivo = pedido.motivo,
                .assinatura = assinatura});
  events::Publish(tx, events::NewEvent("estoque",
                                       events::DevolucaoAvaliada{.devolucao_id = devolucao.id,
                                                                 .lote_id = lot.id,
                                                                 .lote_codigo = lot.codigo,
                                                                 .decisao = pedido.decisao,
                                                                 .quantidade = devolucao.quantidade,
                                                                 .motivo = pedido.motivo,
                                                                 .avaliado_por = actor.username,
                                                                 .avaliado_em = assinatura.em},
                                       {actor.sub, actor.username}));
  return CarregarDevolucao(tx, devolucao.id);
}

}  // namespace pharmasys::estoque
