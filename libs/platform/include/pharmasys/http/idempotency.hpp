#pragma once
// State-changing endpoints: Idempotency-Key semantics of API.md around a handler that runs
// inside one database transaction.
//
//   router.Post("/v1/recebimentos", http::Idempotent(pool, [](http::Request& r, pg::Transaction& tx) {
//     ... change state, audit, publish events through tx ...
//     return http::Response::Json(201, body);
//   }));
//
// - no or malformed key: 400 `idempotency-key-ausente`;
// - first request: the handler runs; its response and the key are committed together;
// - same user, key and request again: the stored status, headers and body, with
//   `Idempotent-Replayed: true`;
// - same key, different method/path/body: 422 `idempotency-key-reutilizada`;
// - same key while the first is still running: 409 `idempotency-key-em-uso`.
// A handler that fails changes nothing and records nothing, so its retry runs again.
// Keys are kept 48 hours (PruneIdempotencyKeys).
#include <functional>

#include "pharmasys/http/message.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::http {

using TransactionalHandler = std::function<Response(Request&, pg::Transaction&)>;

std::function<Response(Request&)> Idempotent(pg::Pool& pool, TransactionalHandler handler);

// Deletes keys older than 48 hours; returns how many.
std::int64_t PruneIdempotencyKeys(pg::Pool& pool);

}  // namespace pharmasys::http
