#pragma once
// What the order and execution handlers share: loading an OP under its row lock, applying an
// act of the state machine (domain/ordem.hpp) with its audit record and `op.status_alterado`,
// and the OP document.
#include <boost/json/object.hpp>

#include "../storage/store.hpp"
#include "pharmasys/audit/audit.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/message.hpp"

namespace pharmasys::producao {

// The OP of the path's {id}, locked for the rest of the transaction; 404 otherwise.
Ordem LoadOrdem(pg::Transaction& tx, const http::Request& request, bool for_update);
// The state machine's answer to `ato` on the OP, or 409 `op-bloqueada` / `conflito` when it
// refuses it. Changes nothing.
Transicao Allow(const Ordem& ordem, OpAto ato);
// Applies `ato` to the OP: 409 `op-bloqueada` or `conflito` when refused; otherwise saves the
// new state and, when the status changed, audits it and publishes `op.status_alterado`.
// Returns the new state.
OpEstado Act(pg::Transaction& tx, const audit::Actor& actor, const events::Usuario& usuario, const Ordem& ordem,
             OpAto ato, const std::optional<std::string>& motivo = std::nullopt);
// The OP with its steps (and their records), consumptions, lots and open deviations.
boost::json::object OrdemJson(pg::Transaction& tx, const Ordem& ordem);
http::Response OrdemResponse(pg::Transaction& tx, int status, const std::string& id);

}  // namespace pharmasys::producao
