#include "laudos.hpp"

#include "../domain/amostra.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/domain/lote.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/ids.hpp"
#include "recusa.hpp"

namespace pharmasys::cq {
namespace {

[[noreturn]] void Refuse(const DecisaoLaudo& decision) {
  switch (decision.recusa) {
    case ImpedimentoDoLaudo::QuatroOlhos: throw Recusa(Motivo::QuatroOlhos, "Quatro olhos: " + decision.detalhe + ".");
    case ImpedimentoDoLaudo::MotivoAusente: throw Recusa::Campo("motivo", decision.detalhe);
    case ImpedimentoDoLaudo::DesvioAberto: throw Recusa(Motivo::EstadoNaoPermite, decision.detalhe + ".");
    case ImpedimentoDoLaudo::RegistroNaoRevisado: throw Recusa(Motivo::RegistroNaoRevisado, decision.detalhe + ".");
    case ImpedimentoDoLaudo::ForaDeEspecificacao:
    case ImpedimentoDoLaudo::Nenhuma: break;
  }
  throw Recusa(Motivo::ForaDeEspecificacao, decision.detalhe + ".");
}

}  // namespace

Laudo EmitirLaudo(pg::Transaction& tx, const audit::Actor& actor, const PedidoDeLaudo& pedido, const Assinar& assinar) {
  // Before anything else, the lock a desvio on this lot or its OP also takes: a desvio
  // committed before this laudo is counted below, one opened meanwhile waits for it.
  if (auto unlocked = FindSample(tx, pedido.amostra_id)) {
    if (auto scope = FindLot(tx, unlocked->lote_id)) LockDesvioScope(tx, scope->op_id, scope->id);
  }
  auto sample = FindSample(tx, pedido.amostra_id, true);
  if (!sample) throw Recusa::Campo("amostra_id", "amostra desconhecida");
  // The signature first: a token for another record, expired or already used is refused as
  // such whatever the state of the sample. If a rule below refuses the laudo, the transaction
  // rolls back and the token stays unused for the corrected request.
  const auto assinatura = assinar("amostra:" + sample->id, pedido.decisao == "aprovado" ? "aprovacao" : "reprovacao");
  if (!Next(*ParseAmostraStatus(sample->status), AmostraAto::Laudo)) {
    throw Recusa(Motivo::EstadoNaoPermite,
                 "A amostra " + sample->codigo + " está " + sample->status + ": não aceita laudo.");
  }
  auto lot = FindLot(tx, sample->lote_id, true);
  // The lot lifecycle decides first: a recalled lot takes no laudo, a reprovado one no approval.
  const auto transicao = Apply(lot->status, *domain::FatoDoLaudo(pedido.decisao));
  if (!transicao.aceita()) {
    throw Recusa(Motivo::EstadoNaoPermite,
                 "O lote " + lot->codigo + ": " + std::string(domain::Explain(transicao.recusa)) + ".");
  }

  ContextoLaudo contexto;
  if (sample->especificacao_versao) {
    contexto.ensaios = FindSpecification(tx, lot->material, sample->especificacao_versao)->ensaios;
  }
  auto all = ResultsOf(tx, sample->id);
  for (const auto& r : CurrentResults(all)) contexto.resultados.push_back({r.ensaio, r.conforme});
  for (const auto& r : all) contexto.analistas.insert(r.registrado_por_sub);
  contexto.desvios_abertos = static_cast<int>(OpenDesvios(tx, lot->id, lot->op_id));
  if (lot->origem == "producao" && lot->op_id) contexto.registro_revisado = RegistroDeLoteRevisado(tx, *lot->op_id);
  auto decision = CheckLaudo(contexto, {pedido.decisao, pedido.motivo, actor.sub});
  if (!decision.ok()) Refuse(decision);

  Laudo laudo{
      .id = ids::NewUuidV7(),
      .amostra_id = sample->id,
      .lote_id = lot->id,
      .decisao = pedido.decisao,
      .emitido_por_sub = actor.sub,
      .emitido_por_username = actor.username,
      .emitido_por_nome = actor.nome.empty() ? actor.username : actor.nome,
      .emitido_em = clock::NowRfc3339(),
      .observacao = pedido.observacao,
      .motivo = pedido.motivo,
      .assinatura = {{"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}}};
  InsertLaudo(tx, laudo);
  SetSampleStatus(tx, sample->id, AmostraStatus::Concluida);
  if (transicao.mudou) SetLotStatus(tx, lot->id, transicao.status);
  audit::Audit(tx, actor,
               {.acao = "laudo.emitido",
                .entidade = "laudo",
                .entidade_id = laudo.id,
                .antes = {{"lote_status", ToString(lot->status)}, {"amostra_status", sample->status}},
                .depois = {{"decisao", pedido.decisao},
                           {"amostra_id", sample->id},
                           {"lote_id", lot->id},
                           {"lote_status", ToString(transicao.status)},
                           {"amostra_status", "concluida"}},
                .motivo = pedido.motivo,
                .assinatura = assinatura});
  events::Publish(
      tx, events::NewEvent("cq",
                           events::LaudoEmitido{.laudo_id = laudo.id,
                                                .amostra_id = sample->id,
                                                .lote_id = lot->id,
                                                .lote_codigo = lot->codigo,
                                                .decisao = pedido.decisao,
                                                .emitido_por = laudo.emitido_por_nome,
                                                .emitido_em = laudo.emitido_em,
                                                .assinatura = {assinatura.nome, assinatura.significado, assinatura.em}},
                           {actor.sub, actor.username}));
  return *FindLaudo(tx, laudo.id);
}

}  // namespace pharmasys::cq
