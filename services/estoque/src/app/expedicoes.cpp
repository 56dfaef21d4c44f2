#include "expedicoes.hpp"

#include <boost/json/array.hpp>

#include "../domain/lote.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "recusa.hpp"

namespace pharmasys::estoque {
namespace {

void CheckExpedivel(const Lote& lot, Day hoje, int vida_util_minima_dias) {
  auto why = WhyNotShippable({lot.status, lot.laudo_decisao == "aprovado", lot.validade}, hoje, vida_util_minima_dias);
  if (why) ThrowNotReleased("Lote " + lot.codigo + ": " + *why + ".");
}

// The parts of an item's explicitly chosen lot: the lot must be of the item's material and
// shippable, and a motivo is required when an earlier-expiring lot is there (FEFO).
std::vector<FefoPart> ChosenLot(pg::Transaction& tx, std::int64_t item, const PedidoItem& request, Day hoje,
                                std::optional<std::string>& excecao) {
  const Material& material = request.material;
  const int minimo = static_cast<int>(material.vida_util_minima_expedicao_dias);
  const std::string campo = "itens[" + std::to_string(item - 1) + "]";
  auto lot = FindLote(tx, *request.lote_id, true);
  if (!lot || lot->material != material.codigo) {
    throw Recusa::Campo(campo + ".lote_id", "não é um lote do material " + material.codigo);
  }
  CheckExpedivel(*lot, hoje, minimo);
  const FefoRequest fefo{.quantidade = request.quantidade, .hoje = hoje, .vida_util_minima_dias = minimo};
  auto head = LockCandidates(tx, material.codigo, hoje + std::chrono::days(minimo), 1);
  if (BreaksFefo(head, lot->validade, fefo)) {
    if (!request.motivo) {
      throw Recusa::Campo(campo + ".motivo", "o lote " + lot->codigo + " vence depois do lote " + head.front().codigo +
                                                 " (FEFO); escolhê-lo exige um motivo");
    }
    excecao = request.motivo;
  }
  if (lot->Disponivel(hoje) < request.quantidade) {
    ThrowInsufficient(lot->codigo, request.quantidade, lot->Disponivel(hoje));
  }
  return {{lot->id, lot->codigo, lot->validade, request.quantidade}};
}

// Reserves one item; returns the reserved parts for the audit record.
boost::json::array ReserveItem(pg::Transaction& tx, const audit::Actor& actor, const std::string& expedicao_id,
                               std::int64_t item, const PedidoItem& request, Day hoje) {
  const Material& material = request.material;
  const int minimo = static_cast<int>(material.vida_util_minima_expedicao_dias);
  std::optional<std::string> excecao;
  std::vector<FefoPart> parts =
      request.lote_id
          ? ChosenLot(tx, item, request, hoje, excecao)
          : AllocateLocked(tx, material.codigo,
                           {.quantidade = request.quantidade, .hoje = hoje, .vida_util_minima_dias = minimo})
                .partes;
  InsertExpedicaoItem(tx, expedicao_id, {item, material.codigo, request.quantidade, request.lote_id, excecao});
  boost::json::array reserved;
  for (const auto& part : parts) {
    Move(tx, actor,
         {.lote_id = part.lote_id,
          .tipo = "reserva",
          .reservada = part.quantidade,
          .documento_tipo = "expedicao",
          .documento_id = expedicao_id});
    InsertExpedicaoLote(tx, expedicao_id, item, part.lote_id, part.quantidade);
    reserved.push_back(boost::json::object{
        {"lote_id", part.lote_id}, {"lote_codigo", part.codigo}, {"quantidade", json::ToJson(part.quantidade)}});
  }
  if (excecao) {
    audit::Audit(tx, actor,
                 {.acao = "expedicao.excecao_fefo",
                  .entidade = "expedicao",
                  .entidade_id = expedicao_id,
                  .depois = {{"item", item}, {"lote_id", *request.lote_id}},
                  .motivo = excecao});
  }
  return reserved;
}

}  // namespace

Expedicao ReservarExpedicao(pg::Transaction& tx, const audit::Actor& actor, const PedidoExpedicao& pedido, Day hoje) {
  const std::string id = ids::NewUuidV7();
  InsertExpedicao(tx, {id, pedido.cliente_nome, pedido.cliente_documento, actor.username});
  boost::json::array reserved;
  for (std::size_t i = 0; i < pedido.itens.size(); ++i) {
    const auto& item = pedido.itens[i];
    reserved.push_back(
        boost::json::object{{"material", item.material.codigo},
                            {"quantidade", json::ToJson(item.quantidade)},
                            {"lotes", ReserveItem(tx, actor, id, static_cast<std::int64_t>(i + 1), item, hoje)}});
  }
  Expedicao shipment = LoadExpedicao(tx, id);
  audit::Audit(tx, actor,
               {.acao = "expedicao.reservada",
                .entidade = "expedicao",
                .entidade_id = id,
                .depois = {{"codigo", shipment.codigo},
                           {"cliente", boost::json::object{{"nome", pedido.cliente_nome},
                                                           {"documento", pedido.cliente_documento}}},
                           {"status", "reservada"},
                           {"itens", std::move(reserved)}}});
  return shipment;
}

Expedicao ExpedicaoReservada(pg::Transaction& tx, const std::string& id,
                             const std::function<void(std::int64_t versao)>& conferir_versao) {
  Expedicao shipment = LoadExpedicao(tx, id, true);
  conferir_versao(shipment.versao);
  if (shipment.status != "reservada") {
    throw Recusa(Motivo::EstadoNaoPermite, "A expedição " + shipment.codigo + " está " + shipment.status + ".");
  }
  return shipment;
}

Expedicao ConfirmarExpedicao(pg::Transaction& tx, const audit::Actor& actor, const Expedicao& shipment, Day hoje) {
  boost::json::array itens;
  events::ExpedicaoConfirmada confirmada{
      .expedicao_id = shipment.id, .cliente = {.nome = shipment.cliente_nome, .documento = shipment.cliente_documento}};
  for (const auto& reserved : shipment.lotes) {
    Lote lot = LoadLote(tx, reserved.lote_id, true);
    auto material = FindMaterial(tx, lot.material);
    CheckExpedivel(lot, hoje, static_cast<int>(material->vida_util_minima_expedicao_dias));
    Move(tx, actor,
         {.lote_id = lot.id,
          .tipo = "expedicao",
          .quantidade = -reserved.quantidade,
          .reservada = -reserved.quantidade,
          .documento_tipo = "expedicao",
          .documento_id = shipment.id});
    confirmada.itens.push_back(
        {.lote_id = lot.id, .lote_codigo = lot.codigo, .material = lot.material, .quantidade = reserved.quantidade});
    itens.push_back(boost::json::object{{"lote_id", lot.id},
                                        {"lote_codigo", lot.codigo},
                                        {"material", lot.material},
                                        {"quantidade", json::ToJson(reserved.quantidade)}});
  }
  MarkConfirmed(tx, shipment.id);
  Expedicao confirmed = LoadExpedicao(tx, shipment.id);
  audit::Audit(tx, actor,
               {.acao = "expedicao.confirmada",
                .entidade = "expedicao",
                .entidade_id = shipment.id,
                .antes = {{"status", "reservada"}},
                .depois = {{"status", "confirmada"}, {"itens", itens}}});
  confirmada.confirmada_em = *confirmed.confirmada_em;
  events::Publish(tx, events::NewEvent("estoque", confirmada, {actor.sub, actor.username}));
  return confirmed;
}

void CancelarExpedicao(pg::Transaction& tx, const audit::Actor& actor, const Expedicao& shipment,
                       const std::string& motivo) {
  for (const auto& l : shipment.lotes) {
    Move(tx, actor,
         {.lote_id = l.lote_id,
          .tipo = "reserva_cancelada",
          .reservada = -l.quantidade,
          .documento_tipo = "expedicao",
          .documento_id = shipment.id});
  }
  MarkCancelled(tx, shipment.id, motivo);
  audit::Audit(tx, actor,
               {.acao = "expedicao.cancelada",
                .entidade = "expedicao",
                .entidade_id = shipment.id,
                .antes = {{"status", shipment.status}},
                .depois = {{"status", "cancelada"}},
                .motivo = motivo});
}

}  // namespace pharmasys::estoque
