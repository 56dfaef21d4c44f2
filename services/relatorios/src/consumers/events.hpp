#pragma once
// The read models, fed by every event of the catalogue. Each handler runs in the transaction
// that records the event id (the inbox) and writes idempotently besides (ON CONFLICT), so a
// redelivery changes nothing; events about a lot may arrive before the lot itself.
#include <memory>

#include "pharmasys/audit/checkpoint.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::relatorios {

// Registers a handler for every event type Relatórios consumes.
void RegisterConsumers(const std::function<void(const std::string&, events::Handler)>& on);

// `auditoria.checkpoint`: every checkpoint is kept, with whether its signature checks against
// the service's trusted public key (RULES.md A8).
void RegisterCheckpoints(const std::function<void(const std::string&, events::Handler)>& on,
                         std::shared_ptr<audit::TrustedKeys> keys);

}  // namespace pharmasys::relatorios
