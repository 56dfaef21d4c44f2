#pragma once
// What the order and execution handlers share: the OP of the path under its row lock, and the
// OP document. The acts themselves are app/ordens.hpp.
#include <boost/json/fwd.hpp>

#include "../app/ordens.hpp"
#include "../storage/store.hpp"
#include "pharmasys/audit/actor.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/http/message.hpp"

namespace pharmasys::producao {

// The OP of the path's {id}, locked for the rest of the transaction; 404 otherwise.
Ordem LoadOrdem(pg::Transaction& tx, const http::Request& request, bool for_update);
// The OP with its steps (and their records), consumptions, lots and open deviations.
boost::json::object OrdemJson(pg::Transaction& tx, const Ordem& ordem);
http::Response OrdemResponse(pg::Transaction& tx, int status, const std::string& id);

}  // namespace pharmasys::producao
