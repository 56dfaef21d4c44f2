#include "materiais.hpp"

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "recusa.hpp"

namespace pharmasys::estoque {

boost::json::object MaterialJson(const Material& m) {
  return {{"codigo", m.codigo},
          {"nome", m.nome},
          {"tipo", m.tipo},
          {"unidade", m.unidade},
          {"prazo_validade_dias", m.prazo_validade_dias},
          {"vida_util_minima_expedicao_dias", m.vida_util_minima_expedicao_dias},
          {"versao", m.versao},
          {"criado_em", m.criado_em}};
}

Material CadastrarMaterial(pg::Transaction& tx, const audit::Actor& actor, const Material& pedido) {
  if (!InsertMaterial(tx, pedido)) {
    throw Recusa(Motivo::EstadoNaoPermite, "O material '" + pedido.codigo + "' já existe.");
  }
  Material created = *FindMaterial(tx, pedido.codigo);
  boost::json::object dados = MaterialJson(created);
  dados.erase("versao");
  dados.erase("criado_em");
  audit::Audit(tx, actor,
               {.acao = "material.cadastrado", .entidade = "material", .entidade_id = pedido.codigo, .depois = dados});
  events::Publish(tx, events::NewEvent("estoque",
                                       events::MaterialCadastrado{
                                           .codigo = created.codigo,
                                           .nome = created.nome,
                                           .tipo = created.tipo,
                                           .unidade = created.unidade,
                                           .prazo_validade_dias = created.prazo_validade_dias,
                                           .vida_util_minima_expedicao_dias = created.vida_util_minima_expedicao_dias},
                                       {actor.sub, actor.username}));
  return created;
}

}  // namespace pharmasys::estoque
