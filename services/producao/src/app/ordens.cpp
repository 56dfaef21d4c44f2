#include "ordens.hpp"

#include "pharmasys/events/contracts.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/event.hpp"

namespace pharmasys::producao {

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
  if (!ordem) throw NotFound("Ordem de produção " + id + " não encontrada.");
  return std::move(*ordem);
}

Transicao Allow(const Ordem& ordem, OpAto ato) {
  auto t = Aplicar(ordem.estado, ato);
  if (t.recusa == Recusa::OpBloqueada) {
    throw Error(409, "op-bloqueada", "OP bloqueada",
                "A OP " + ordem.codigo + " está bloqueada: " + std::to_string(ordem.estado.desvios_abertos) +
                    " desvio(s) aberto(s). Nada é registrado até o último ser encerrado.");
  }
  if (t.recusa == Recusa::Conflito) throw Conflict("OP " + ordem.codigo + ": " + t.motivo + ".");
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

}  // namespace pharmasys::producao
