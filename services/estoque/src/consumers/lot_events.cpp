#include <boost/json/array.hpp>

#include <algorithm>

#include "../app/expedicoes.hpp"
#include "../domain/lote.hpp"
#include "../storage/lotes.hpp"
#include "pending.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::estoque {
namespace {

constexpr pg::Query kKeep{"evento_pendente_insert",
                          "INSERT INTO eventos_lote_pendentes (evento_id, lote_id, tipo, envelope, ocorrido_em)"
                          " VALUES ($1::uuid, $2::uuid, $3, $4::jsonb, $5::timestamptz) ON CONFLICT DO NOTHING"};
constexpr pg::Query kTakePending{"eventos_pendentes_take",
                                 "DELETE FROM eventos_lote_pendentes WHERE lote_id = $1::uuid"
                                 " RETURNING envelope::text, (extract(epoch FROM ocorrido_em) * 1000000)::bigint"};
constexpr pg::Query kRecordLaudo{
    "lote_laudo_insert",
    "INSERT INTO lote_laudos (laudo_id, lote_id, amostra_id, decisao, emitido_por, emitido_em, assinatura, aplicado)"
    " VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::timestamptz, $7::jsonb, $8) ON CONFLICT DO NOTHING"};

// Keeps the event when its lot is not here yet; true when it did.
bool KeptForLater(pg::Transaction& tx, const std::string& lote_id, const events::Event& event) {
  if (FindLote(tx, lote_id)) return false;
  tx.Exec(kKeep, pg::Params(event.id, lote_id, event.tipo, json::Serialize(event.ToJson()), event.ocorrido_em));
  log::Info("evento guardado até o lote chegar", {{"evento_id", event.id}, {"tipo", event.tipo}, {"lote_id", lote_id}});
  return true;
}

}  // namespace

void ApplyLaudo(pg::Transaction& tx, const events::Event& event) {
  const auto d = events::Read<events::LaudoEmitido>(event);
  const std::string& lote_id = d.lote_id;
  if (KeptForLater(tx, lote_id, event)) return;
  Lote lot = LoadLote(tx, lote_id, true);
  const std::string& decisao = d.decisao;
  const auto fato = domain::FatoDoLaudo(decisao);
  if (!fato) throw events::PoisonMessage("decisao inválida: " + decisao);
  const auto transition = Apply(lot.status, *fato);
  const bool aplicado = transition.aceita();
  const std::string recusa(domain::Explain(transition.recusa));
  tx.Exec(kRecordLaudo, pg::Params(d.laudo_id, lote_id, d.amostra_id, decisao, d.emitido_por, d.emitido_em,
                                   json::Serialize(d.assinatura.ToJson()), aplicado));
  const auto actor = events::ActorOf(event);
  if (!aplicado) {
    log::Warn("laudo recusado pelo estado do lote",
              {{"laudo_id", d.laudo_id}, {"lote_id", lote_id}, {"motivo", recusa}});
    audit::Audit(tx, actor,
                 {.acao = "lote.laudo_recusado",
                  .entidade = "lote",
                  .entidade_id = lote_id,
                  .depois = {{"laudo_id", d.laudo_id}, {"decisao", decisao}},
                  .motivo = recusa});
    return;
  }
  SetLoteLaudo(tx, lote_id, d.laudo_id, decisao, d.emitido_em);
  if (transition.mudou) SetLoteStatus(tx, lote_id, transition.status);
  audit::Audit(tx, actor,
               {.acao = "lote.laudo_aplicado",
                .entidade = "lote",
                .entidade_id = lote_id,
                .antes = {{"status", ToString(lot.status)}},
                .depois = {{"status", ToString(transition.status)}, {"laudo_id", d.laudo_id}, {"decisao", decisao}},
                .assinatura = audit::Signature{d.assinatura.nome, d.assinatura.significado, d.assinatura.em}});
}

void ApplyRecall(pg::Transaction& tx, const events::Event& event) {
  const auto d = events::Read<events::LoteRecolhido>(event);
  const std::string& lote_id = d.lote_id;
  if (KeptForLater(tx, lote_id, event)) return;
  Lote lot = LoadLote(tx, lote_id, true);
  const std::string& motivo = d.motivo;
  const auto actor = events::ActorOf(event);
  // Open reservations on the lot are cancelled at once: the whole shipment goes back to the
  // clerk, who ships the other items anew, rather than a shipment silently short of an item.
  for (const auto& id : OpenExpedicoesWithLote(tx, lote_id)) {
    Expedicao shipment = LoadExpedicao(tx, id, true);
    if (shipment.status != "reservada") continue;
    CancelarExpedicao(tx, actor, shipment, "lote " + lot.codigo + " recolhido: " + motivo);
  }
  auto transition = Apply(lot.status, domain::LoteFato::Recolhimento);
  if (!transition.mudou) return;  // already recalled: a second recall changes nothing
  SetLoteStatus(tx, lote_id, transition.status);
  SetLoteRecolhido(tx, lote_id, motivo);
  audit::Audit(tx, actor,
               {.acao = "lote.recolhido",
                .entidade = "lote",
                .entidade_id = lote_id,
                .antes = {{"status", ToString(lot.status)}},
                .depois = {{"status", "recolhido"}},
                .motivo = motivo});
}

void ApplyLoteCriado(pg::Transaction& tx, const events::Event& event) {
  const auto d = events::Read<events::LoteCriado>(event);
  // Receipts are created here and come back on our own queue: nothing to do.
  if (d.origem != "producao") return;
  const std::string& lote_id = d.lote_id;
  if (FindLote(tx, lote_id)) return;
  const std::string& material = d.material;
  if (!FindMaterial(tx, material)) {
    throw events::RetryLater("material " + material + " ainda desconhecido no estoque");
  }
  NovoLote lot{.id = lote_id,
               .codigo = d.codigo,
               .material = material,
               .unidade = d.unidade,
               .origem = "producao",
               .validade = ParseDay(d.validade)};
  lot.data_fabricacao = d.data_fabricacao;
  lot.op_id = d.op_id;
  InsertLote(tx, lot);
  if (!d.quantidade.IsPositive()) throw events::PoisonMessage("quantidade inválida");
  const auto actor = events::ActorOf(event);
  Move(tx, actor,
       {.lote_id = lote_id,
        .tipo = "entrada",
        .quantidade = d.quantidade,
        .documento_tipo = "ordem_producao",
        .documento_id = lot.op_id.value_or(event.id)});
  audit::Audit(tx, actor,
               {.acao = "lote.entrada_producao",
                .entidade = "lote",
                .entidade_id = lote_id,
                .depois = {{"codigo", lot.codigo},
                           {"material", material},
                           {"quantidade", json::ToJson(d.quantidade)},
                           {"validade", FormatDay(lot.validade)},
                           {"status", "quarentena"}}});
  ApplyPendingEvents(tx, lote_id);
}

void ApplyPendingEvents(pg::Transaction& tx, const std::string& lote_id) {
  auto rows = tx.Exec(kTakePending, pg::Params(lote_id));
  std::vector<std::pair<std::int64_t, events::Event>> kept;
  for (int i = 0; i < rows.size(); ++i) {
    kept.emplace_back(rows[i].Int(1), events::Event::FromJson(json::Parse(rows[i].Text(0))));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [when, event] : kept) {
    if (event.tipo == "laudo.emitido") ApplyLaudo(tx, event);
    if (event.tipo == "lote.recolhido") ApplyRecall(tx, event);
  }
}

}  // namespace pharmasys::estoque
