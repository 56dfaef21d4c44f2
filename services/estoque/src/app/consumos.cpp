#include "consumos.hpp"

#include <boost/json/array.hpp>

#include "../storage/lotes.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"
#include "recusa.hpp"

namespace pharmasys::estoque {

Consumo Consumir(pg::Transaction& tx, const audit::Actor& actor, const PedidoConsumo& pedido, const Agora& agora) {
  // The hot path takes no extra round trip for the material: it is looked up only when
  // nothing could be allocated, to tell an unknown material from a short one.
  FefoAllocation allocation;
  try {
    allocation = AllocateLocked(tx, pedido.material, {.quantidade = pedido.quantidade, .hoje = agora.hoje});
  } catch (const Recusa& recusa) {
    if (recusa.motivo() == Motivo::EstoqueInsuficiente && !FindMaterial(tx, pedido.material)) {
      throw Recusa::Campo("material", "material desconhecido");
    }
    throw;
  }
  Consumo consumo{.id = ids::NewUuidV7(),
                  .op_id = pedido.op_id,
                  .material = pedido.material,
                  .quantidade = pedido.quantidade,
                  .criado_por = actor.username,
                  .criado_em = agora.instante};
  // No round trip of their own: the document travels with the first balance change, each
  // lot line with the next change or with the COMMIT.
  InsertConsumo(tx, consumo.id, pedido.op_id, pedido.material, pedido.quantidade, actor.username);
  boost::json::array audited;
  int ordem = 0;
  for (const auto& part : allocation.partes) {
    Move(tx, actor,
         {.lote_id = part.lote_id,
          .tipo = "consumo",
          .quantidade = -part.quantidade,
          .documento_tipo = "ordem_producao",
          .documento_id = pedido.op_id});
    InsertConsumoLote(tx, consumo.id, ++ordem, part.lote_id, part.quantidade);
    audited.push_back(boost::json::object{
        {"lote_id", part.lote_id}, {"lote_codigo", part.codigo}, {"quantidade", json::ToJson(part.quantidade)}});
    consumo.lotes.push_back({part.lote_id, part.codigo, FormatDay(part.validade), part.quantidade});
  }
  audit::Audit(tx, actor,
               {.acao = "estoque.consumido",
                .entidade = "consumo",
                .entidade_id = consumo.id,
                .depois = {{"op_id", pedido.op_id},
                           {"material", pedido.material},
                           {"quantidade", json::ToJson(pedido.quantidade)},
                           {"lotes", std::move(audited)}}});
  return consumo;
}

Consumo LoadConsumo(pg::Transaction& tx, const std::string& id) {
  auto consumo = json::IsUuid(id) ? FindConsumo(tx, id) : std::nullopt;
  if (!consumo) throw Recusa(Motivo::NaoEncontrado, "Consumo " + id + " não encontrado.");
  return std::move(*consumo);
}

}  // namespace pharmasys::estoque
