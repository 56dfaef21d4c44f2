#include "recebimentos.hpp"

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::estoque {

Lote ReceberLote(pg::Transaction& tx, const audit::Actor& actor, const PedidoRecebimento& pedido) {
  NovoLote lot{.id = ids::NewUuidV7(),
               .codigo = {},
               .material = pedido.material.codigo,
               .unidade = pedido.material.unidade,
               .origem = "recebimento",
               .validade = pedido.validade,
               .fornecedor = pedido.fornecedor,
               .lote_fornecedor = pedido.lote_fornecedor,
               .nota_fiscal = pedido.nota_fiscal};
  if (pedido.data_fabricacao) lot.data_fabricacao = json::FormatDate(*pedido.data_fabricacao);
  InsertLote(tx, lot);
  Move(tx, actor,
       {.lote_id = lot.id,
        .tipo = "entrada",
        .quantidade = pedido.quantidade,
        .documento_tipo = "recebimento",
        .documento_id = pedido.nota_fiscal});
  Lote created = LoadLote(tx, lot.id);
  audit::Audit(tx, actor,
               {.acao = "lote.recebido",
                .entidade = "lote",
                .entidade_id = lot.id,
                .depois = {{"codigo", created.codigo},
                           {"material", created.material},
                           {"quantidade", json::ToJson(pedido.quantidade)},
                           {"validade", FormatDay(created.validade)},
                           {"status", "quarentena"},
                           {"fornecedor", pedido.fornecedor},
                           {"lote_fornecedor", pedido.lote_fornecedor},
                           {"nota_fiscal", pedido.nota_fiscal}}});
  events::Publish(tx, events::NewEvent("estoque",
                                       events::LoteCriado{.lote_id = lot.id,
                                                          .codigo = created.codigo,
                                                          .material = created.material,
                                                          .quantidade = pedido.quantidade,
                                                          .unidade = created.unidade,
                                                          .validade = FormatDay(created.validade),
                                                          .data_fabricacao = lot.data_fabricacao,
                                                          .origem = "recebimento",
                                                          .fornecedor = pedido.fornecedor,
                                                          .lote_fornecedor = pedido.lote_fornecedor},
                                       {actor.sub, actor.username}));
  // No event can be waiting for this lot: its id was made just now.
  return created;
}

}  // namespace pharmasys::estoque
