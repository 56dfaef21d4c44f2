#pragma once
// Shipments (API.md Estoque; RULES.md B2, B4): reservation by FEFO (or an explicitly chosen
// lot), confirmation that re-checks every rule and takes the stock out, cancellation (by the
// clerk, or by a recall of one of its lots).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "../domain/fefo.hpp"
#include "../storage/expedicoes.hpp"
#include "../storage/lotes.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct PedidoItem {
  Material material;  // the catalogue's, as the request named it
  Decimal quantidade;
  std::optional<std::string> lote_id;  // an explicitly chosen lot
  std::optional<std::string> motivo;   // required when the chosen lot breaks FEFO
};

struct PedidoExpedicao {
  std::string cliente_nome;
  std::string cliente_documento;
  std::vector<PedidoItem> itens;
};

// Reserves every item on `hoje`, by FEFO or from its chosen lot, and audits the reservation
// (and each FEFO exception). Refused: CampoInvalido (itens[i].lote_id) for a lot of another
// material, CampoInvalido (itens[i].motivo) for a FEFO exception without a motivo,
// LoteNaoLiberado when the chosen lot cannot be shipped, EstoqueInsuficiente when the stock
// does not cover an item.
Expedicao ReservarExpedicao(pg::Transaction& tx, const audit::Actor& actor, const PedidoExpedicao& pedido, Day hoje);

// The shipment, locked, for a confirmation or a cancellation: NaoEncontrado when there is no
// such shipment; then `conferir_versao` (the request's If-Match) sees its versao; then
// EstadoNaoPermite unless it is `reservada`.
Expedicao ExpedicaoReservada(pg::Transaction& tx, const std::string& id,
                             const std::function<void(std::int64_t versao)>& conferir_versao);

// Re-checks every reserved lot on `hoje` (LoteNaoLiberado), takes the stock out, audits it and
// publishes `expedicao.confirmada`.
Expedicao ConfirmarExpedicao(pg::Transaction& tx, const audit::Actor& actor, const Expedicao& reservada, Day hoje);

// Releases every reservation of a `reservada` shipment (ledger `reserva_cancelada`), marks it
// `cancelada` with `motivo`, and audits it.
void CancelarExpedicao(pg::Transaction& tx, const audit::Actor& actor, const Expedicao& shipment,
                       const std::string& motivo);

}  // namespace pharmasys::estoque
