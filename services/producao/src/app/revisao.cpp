#include "revisao.hpp"

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/json/json.hpp"
#include "recusa.hpp"

namespace pharmasys::producao {

std::vector<domain::Excecao> ExcecoesDaOrdem(pg::Transaction& tx, const Ordem& ordem) {
  return domain::ExcecoesDoRegistro(FatosDaRevisao(tx, ordem));
}

Revisao RevisarRegistro(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario,
                        const Ordem& ordem, const PedidoDeRevisao& pedido, const Assinar& assinar) {
  // The signature first: a token for another record, expired or used is refused as such; if a
  // rule below refuses, the transaction rolls back and the token stays unused.
  const auto assinatura = assinar("op:" + ordem.id, "revisao");
  if (ExecutoresDaOrdem(tx, ordem.id).count(actor.sub) != 0) {
    throw Recusa(Motivo::SemPermissao, "Quem registrou etapas da OP " + ordem.codigo +
                                           " não pode revisar o seu registro de lote (segregação de funções).");
  }
  if (ordem.estado.status != OpStatus::Concluida) {
    throw Recusa(Motivo::EstadoNaoPermite, "A OP " + ordem.codigo + " está " +
                                               std::string(ToString(ordem.estado.status)) +
                                               ": o registro de lote é revisado depois de concluída a OP.");
  }
  if (FindRevisao(tx, ordem.id)) {
    throw Recusa(Motivo::EstadoNaoPermite, "O registro de lote da OP " + ordem.codigo + " já foi revisado.");
  }
  const auto fatos = FatosDaRevisao(tx, ordem);
  for (const auto& d : fatos.desvios) {
    if (d.aberto) {
      throw Recusa(
          Motivo::EstadoNaoPermite,
          "A OP " + ordem.codigo + " tem um desvio aberto: o registro de lote é revisado depois de encerrá-lo.");
    }
  }
  const auto excecoes = domain::ExcecoesDoRegistro(fatos);
  auto revisao = InsertRevisao(
      tx,
      {.op_id = ordem.id,
       .revisado_por = actor.username,
       .revisado_por_nome = actor.nome.empty() ? actor.username : actor.nome,
       .excecoes = static_cast<std::int64_t>(excecoes.size()),
       .observacao = pedido.observacao,
       .assinatura = {{"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}}},
      actor.sub);
  boost::json::array referencias;
  for (const auto& e : excecoes) referencias.push_back(boost::json::string(e.referencia));
  audit::Audit(tx, actor,
               {.acao = "ordem_producao.revisada",
                .entidade = "ordem_producao",
                .entidade_id = ordem.id,
                .depois = {{"codigo", ordem.codigo},
                           {"excecoes", revisao.excecoes},
                           {"referencias", std::move(referencias)},
                           {"observacao", json::ToJson(pedido.observacao)}},
                .assinatura = assinatura});
  events::Publish(
      tx, events::NewEvent("producao",
                           events::OpRevisada{.op_id = ordem.id,
                                              .codigo = ordem.codigo,
                                              .revisado_por = revisao.revisado_por_nome,
                                              .revisado_em = revisao.revisado_em,
                                              .excecoes = revisao.excecoes,
                                              .assinatura = {assinatura.nome, assinatura.significado, assinatura.em}},
                           usuario));
  return revisao;
}

}  // namespace pharmasys::producao
