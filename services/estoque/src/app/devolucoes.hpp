#pragma once
// Returns (API.md Estoque; RULES.md B6): a returned quantity comes back into its lot as
// quarantined stock (`devolvida`, never available) and leaves quarantine only through a QC
// evaluation signed by an analyst: reintegrated into usable stock, or discarded.
#include <functional>
#include <string>
#include <string_view>

#include "../storage/devolucoes.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/decimal.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::estoque {

struct PedidoDevolucao {
  std::string expedicao_id;
  std::string lote_id;
  Decimal quantidade;
  std::string motivo;
};

// Registers the return against a confirmed shipment, books it into the lot as `devolvida`,
// audits it and publishes `devolucao.registrada`. Refused: CampoInvalido (expedicao_id) for an
// unknown shipment, EstadoNaoPermite when it is not confirmed, CampoInvalido (quantidade) when
// more would come back of the lot than the shipment took, net of earlier returns.
Devolucao RegistrarDevolucao(pg::Transaction& tx, const audit::Actor& actor, const PedidoDevolucao& pedido);

// Refused (NaoEncontrado) when there is no such return; locked when `for_update`.
Devolucao CarregarDevolucao(pg::Transaction& tx, const std::string& id, bool for_update = false);

struct PedidoAvaliacao {
  std::string decisao;  // reintegrar | descartar
  std::string motivo;
};

// The electronic signature of the act, bound to `registro` with `significado` (the caller's
// signature token, consumed in the same transaction).
using Assinar = std::function<audit::Signature(const std::string& registro, std::string_view significado)>;

// Evaluates a return read with CarregarDevolucao(for_update): the signature first (liberacao
// to reintegrate, reprovacao to discard), then EstadoNaoPermite when it was already evaluated,
// LoteNaoLiberado when reintegrating into a lot that is not liberado. Moves the quantity out
// of quarantine (into usable stock, or out of the lot), records and audits the evaluation.
Devolucao AvaliarDevolucao(pg::Transaction& tx, const audit::Actor& actor, const Devolucao& devolucao,
                           const PedidoAvaliacao& pedido, const Assinar& assinar);

}  // namespace pharmasys::estoque
