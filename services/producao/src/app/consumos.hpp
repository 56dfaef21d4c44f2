#pragma once
// Consuming an insumo on an OP (API.md Produção `POST /v1/ordens-producao/{id}/consumos`) as a
// recorded intent (RULES R5): no database transaction is open while Estoque is asked.
//
//   1. one transaction: the OP is checked under its row lock (status, not blocked, the
//      material an insumo of its recipe), the intent is recorded `pendente` with the
//      Idempotency-Key it sends to Estoque (derived from its id) and audited; commit;
//   2. no transaction: Estoque's FEFO allocation (`POST /v1/estoque/consumos`), idempotent per
//      Produção's client and that key, so any repeat takes the stock once;
//   3. one transaction: the intent is locked and, if still `pendente`, completed — the consumo
//      and its lots, the intent `concluida`, `insumos.consumidos` through the outbox, the
//      audit record — or, when Estoque refused for good (409, 422), marked `recusada` with the
//      problem, which is what the client gets.
//
// An intent left `pendente` (a crash, Estoque unreachable) is finished by the recovery task
// (RunConsumoRecovery), which repeats step 2 with the same key and then step 3. Step 3 runs
// once per intent whoever gets there first, so the event and the record are never doubled.
//
// What the OP's row lock used to protect across the call: an intent accepted on an OP counts
// as that OP's act from its commit on. A desvio opened afterwards does not undo it (the stock
// is taken); concluding or cancelling the OP waits until no intent of it is `pendente`
// (409 `conflito`), so no consumption lands on a closed OP.
#include <chrono>
#include <string>
#include <string_view>

#include "../api/context.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/http/message.hpp"

namespace pharmasys::producao {

// The handler of the consumption: the client's Idempotency-Key semantics as http::Idempotent
// gives them (replay, 422 for another request, 409 while in use), across the three steps.
http::Response ConsumirInsumo(ProducaoContext& ctx, http::Request& request);

// One round of recovery: every intent `pendente` for longer than `idle` is asked of Estoque
// again and completed or refused. Returns how many were settled.
int RecoverConsumos(ProducaoContext& ctx, std::chrono::milliseconds idle);

// The recovery task's loop: a round at start and then every `interval`.
void RunConsumoRecovery(BackgroundLoop& loop, ProducaoContext& ctx, std::chrono::milliseconds interval);

// Named points of the consumption where the service waits while the file named by
// PHARMASYS_TEST_PAUSE_FILE holds that name (tests kill the process there):
// "consumo.intencao-registrada" (after step 1) and "consumo.estoque-respondeu" (after step 2).
void PauseAt(const ProducaoContext& ctx, std::string_view point);

}  // namespace pharmasys::producao
