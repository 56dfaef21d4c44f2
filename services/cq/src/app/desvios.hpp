#pragma once
// Deviations (API.md CQ; RULES.md B3): opened by QC or production and published as
// `desvio.aberto`, which blocks the OP in Produção; closed with a signed review and published
// as `desvio.encerrado`. Each act is audited in the caller's transaction and refuses with
// CQ's Recusa (recusa.hpp).
#include <optional>
#include <string>

#include "../storage/store.hpp"
#include "assinar.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::cq {

// The desvio, locked for the rest of the transaction when `for_update`; NaoEncontrado otherwise.
Desvio CarregarDesvio(pg::Transaction& tx, const std::string& id, bool for_update);

struct PedidoDeDesvio {
  std::string op_id;
  std::optional<std::string> lote_id;
  std::string classificacao;  // menor | maior | critico
  std::string descricao;
};

// Opens the desvio on the OP (and the lot), under the lock a laudo of an affected lot takes
// before it counts the open desvios, and publishes `desvio.aberto`; returns it.
Desvio AbrirDesvio(pg::Transaction& tx, const audit::Actor& actor, const PedidoDeDesvio& pedido);

struct PedidoDeEncerramento {
  std::string conclusao, acao_corretiva;
};

// Closes the desvio (locked by the caller) with the review signed for it, and publishes
// `desvio.encerrado`; returns it as it is now. The signature first, so a desvio already
// closed (EstadoNaoPermite) is refused only for a valid token, which then stays unused.
Desvio EncerrarDesvio(pg::Transaction& tx, const audit::Actor& actor, const Desvio& desvio,
                      const PedidoDeEncerramento& pedido, const Assinar& assinar);

}  // namespace pharmasys::cq
