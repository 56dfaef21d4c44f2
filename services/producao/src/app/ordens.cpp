#include "ordens.hpp"

#include <algorithm>

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "recusa.hpp"

namespace pharmasys::producao {
namespace {

// A consumption accepted on the OP (its intent committed) and not yet settled with Estoque
// keeps the OP open: it will be recorded on it (RULES R5, app/consumos.hpp). The OP's row lock,
// held by the caller, orders this check against the intent's own check of the OP.
void RequireNoPendingConsumption(pg::Transaction& tx, const Ordem& ordem) {
  if (HasPendingIntencao(tx, ordem.id)) {
    throw Recusa(
        Motivo::EstadoNaoPermite,
        "A OP " + ordem.codigo + " tem um consumo em andamento no estoque; repita quando ele estiver registrado.");
  }
}

}  // namespace

// `op.status_alterado`: the OP as it stands after the change — its fixed fields (quantity,
// recipe and its steps, who created it and when) and its state — so that Relatórios builds
// the batch record from its events alone.
events::OpStatusAlterado StatusAlterado(pg::Transaction& tx, const Ordem& o,
                                        std::optional<std::string> status_anterior) {
  auto receita = FindReceita(tx, o.receita_id);
  std::optional<std::string> antes;
  if (o.estado.antes_do_bloqueio) antes = std::string(ToString(*o.estado.antes_do_bloqueio));
  return {.op_id = o.id,
          .codigo = o.codigo,
          .produto = o.produto,
          .status = std::string(ToString(o.estado.status)),
          .status_anterior = std::move(status_anterior),
          .quantidade = o.quantidade,
          .receita_id = o.receita_id,
          .receita_versao = receita->versao,
          .etapas = receita->ToJson().at("etapas").as_array(),
          .criado_por = o.criado_por,
          .criado_em = o.criado_em,
          .status_antes_do_bloqueio = std::move(antes),
          .desvios_abertos = o.estado.desvios_abertos,
          .motivo_cancelamento = o.motivo_cancelamento,
          .iniciada_em = o.iniciada_em,
          .concluida_em = o.concluida_em,
          .cancelada_em = o.cancelada_em,
          .versao = o.versao};
}

Ordem CarregarOrdem(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto ordem = FindOrdem(tx, id, for_update);
  if (!ordem) throw Recusa(Motivo::NaoEncontrado, "Ordem de produção " + id + " não encontrada.");
  return std::move(*ordem);
}

Transicao Allow(const Ordem& ordem, OpAto ato) {
  auto t = Aplicar(ordem.estado, ato);
  if (t.recusa == ImpedimentoDaOp::OpBloqueada) {
    throw Recusa(Motivo::OpBloqueada, "A OP " + ordem.codigo +
                                          " está bloqueada: " + std::to_string(ordem.estado.desvios_abertos) +
                                          " desvio(s) aberto(s). Nada é registrado até o último ser encerrado.");
  }
  if (t.recusa == ImpedimentoDaOp::Conflito) {
    throw Recusa(Motivo::EstadoNaoPermite, "OP " + ordem.codigo + ": " + t.motivo + ".");
  }
  return t;
}

OpEstado Act(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario, const Ordem& ordem,
             OpAto ato, const std::optional<std::string>& motivo) {
  const auto t = Allow(ordem, ato);
  const bool status_changed = t.estado.status != ordem.estado.status;
  const bool count_changed = t.estado.desvios_abertos != ordem.estado.desvios_abertos;
  if (!status_changed && !count_changed) return t.estado;
  SaveEstado(tx, ordem.id, t.estado, ato, motivo);
  if (!status_changed) return t.estado;
  const std::string de(ToString(ordem.estado.status));
  const std::string para(ToString(t.estado.status));
  audit::Audit(tx, actor,
               {.acao = "ordem_producao.status_alterado",
                .entidade = "ordem_producao",
                .entidade_id = ordem.id,
                .antes = {{"status", de}},
                .depois = {{"status", para}, {"desvios_abertos", t.estado.desvios_abertos}},
                .motivo = motivo});
  events::Publish(tx, events::NewEvent("producao", StatusAlterado(tx, *FindOrdem(tx, ordem.id), de), usuario));
  return t.estado;
}

OpEstado ConcluirOrdem(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario,
                       const Ordem& ordem) {
  // The state machine first (a blocked OP answers op-bloqueada), then the steps.
  Allow(ordem, OpAto::Concluir);
  RequireNoPendingConsumption(tx, ordem);
  auto receita = FindReceita(tx, ordem.receita_id);
  auto registros = RegistrosOf(tx, ordem.id);
  std::string faltam;
  for (const auto& e : receita->etapas) {
    if (std::none_of(registros.begin(), registros.end(), [&](const Registro& r) { return r.ordem == e.ordem; })) {
      faltam += (faltam.empty() ? "" : ", ") + std::to_string(e.ordem) + " (" + e.nome + ")";
    }
  }
  if (!faltam.empty()) {
    throw Recusa(Motivo::EstadoNaoPermite, "A OP " + ordem.codigo + " tem etapas sem registro: " + faltam + ".");
  }
  return Act(tx, actor, usuario, ordem, OpAto::Concluir);
}

OpEstado CancelarOrdem(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario,
                       const Ordem& ordem, const std::string& motivo) {
  Allow(ordem, OpAto::Cancelar);
  RequireNoPendingConsumption(tx, ordem);
  return Act(tx, actor, usuario, ordem, OpAto::Cancelar, motivo);
}

}  // namespace pharmasys::producao
