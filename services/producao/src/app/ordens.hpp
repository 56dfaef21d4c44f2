#pragma once
// The order's acts of the state machine (domain/ordem.hpp), for the handlers and the
// consumers alike: an act allowed or refused, and applied with its audit record and
// `op.status_alterado`.
#include <optional>
#include <string>

#include "../storage/store.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"

namespace pharmasys::producao {

// The acts refuse with Produção's Recusa (app/recusa.hpp).
//
// The OP, locked for the rest of the transaction when `for_update`; NaoEncontrado otherwise.
Ordem CarregarOrdem(pg::Transaction& tx, const std::string& id, bool for_update);
// `op.status_alterado`: the OP as it stands after the change — its fixed fields and its state
// — so that Relatórios builds the batch record from its events alone.
events::OpStatusAlterado StatusAlterado(pg::Transaction& tx, const Ordem& o,
                                        std::optional<std::string> status_anterior);
// The state machine's answer to `ato` on the OP, or OpBloqueada / EstadoNaoPermite when it
// refuses it. Changes nothing.
Transicao Allow(const Ordem& ordem, OpAto ato);
// Applies `ato` to the OP: OpBloqueada or EstadoNaoPermite when refused; otherwise saves the
// new state and, when the status changed, audits it and publishes `op.status_alterado`.
// Returns the new state.
OpEstado Act(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario, const Ordem& ordem,
             OpAto ato, const std::optional<std::string>& motivo = std::nullopt);
// Concludes the OP (locked by the caller): refused as Act refuses (the state machine first),
// then EstadoNaoPermite while a consumption of it is pending or a step of its recipe has no
// record.
OpEstado ConcluirOrdem(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario,
                       const Ordem& ordem);
// Cancels the OP (locked by the caller) with `motivo`: refused as Act refuses, then
// EstadoNaoPermite while a consumption of it is pending.
OpEstado CancelarOrdem(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario,
                       const Ordem& ordem, const std::string& motivo);

}  // namespace pharmasys::producao
