#include "desvios.hpp"

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "recusa.hpp"

namespace pharmasys::cq {

Desvio CarregarDesvio(pg::Transaction& tx, const std::string& id, bool for_update) {
  auto d = FindDesvio(tx, id, for_update);
  if (!d) throw Recusa(Motivo::NaoEncontrado, "Desvio " + id + " não encontrado.");
  return std::move(*d);
}

Desvio AbrirDesvio(pg::Transaction& tx, const audit::Actor& actor, const PedidoDeDesvio& pedido) {
  // The lock a laudo of an affected lot takes before counting open desvios (RULES B3):
  // while one is being approved, this desvio waits for it to commit.
  LockDesvioScope(tx, pedido.op_id, pedido.lote_id);
  Desvio d = InsertDesvio(tx, pedido.op_id, pedido.lote_id, pedido.classificacao, pedido.descricao, actor.username);
  boost::json::object depois = d.ToJson();
  for (const char* k :
       {"versao", "aberto_em", "conclusao", "acao_corretiva", "encerrado_por", "encerrado_em", "assinatura"}) {
    depois.erase(k);
  }
  audit::Audit(tx, actor, {.acao = "desvio.aberto", .entidade = "desvio", .entidade_id = d.id, .depois = depois});
  events::Publish(tx, events::NewEvent("cq",
                                       events::DesvioAberto{.desvio_id = d.id,
                                                            .op_id = d.op_id,
                                                            .lote_id = d.lote_id,
                                                            .classificacao = pedido.classificacao,
                                                            .descricao = pedido.descricao},
                                       {actor.sub, actor.username}));
  return d;
}

Desvio EncerrarDesvio(pg::Transaction& tx, const audit::Actor& actor, const Desvio& d,
                      const PedidoDeEncerramento& pedido, const Assinar& assinar) {
  auto assinatura = assinar("desvio:" + d.id, "revisao");
  if (d.status != "aberto") throw Recusa(Motivo::EstadoNaoPermite, "O desvio " + d.codigo + " já está encerrado.");
  CloseDesvio(tx, d.id, pedido.conclusao, pedido.acao_corretiva, actor.username,
              {{"nome", assinatura.nome}, {"significado", assinatura.significado}, {"em", assinatura.em}});
  audit::Audit(
      tx, actor,
      {.acao = "desvio.encerrado",
       .entidade = "desvio",
       .entidade_id = d.id,
       .antes = {{"status", "aberto"}},
       .depois = {{"status", "encerrado"}, {"conclusao", pedido.conclusao}, {"acao_corretiva", pedido.acao_corretiva}},
       .assinatura = assinatura});
  events::Publish(
      tx, events::NewEvent("cq", events::DesvioEncerrado{.desvio_id = d.id, .op_id = d.op_id, .lote_id = d.lote_id},
                           {actor.sub, actor.username}));
  return *FindDesvio(tx, d.id);
}

}  // namespace pharmasys::cq
