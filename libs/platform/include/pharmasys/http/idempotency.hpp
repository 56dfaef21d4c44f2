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
// Keys are kept at least 24 hours: each service with a database prunes older ones on a
// schedule (PHARMASYS_IDEMPOTENCY_RETENTION, see Service).
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "pharmasys/http/message.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::http {

using TransactionalHandler = std::function<Response(Request&, pg::Transaction&)>;

std::function<Response(Request&)> Idempotent(pg::Pool& pool, TransactionalHandler handler);

// The same semantics in pieces, for an act that cannot run in one transaction (a remote call
// between two, RULES R5): RequireIdempotencyKey checks the header (400); ReplayStored, in a
// transaction, takes the key's lock (409 while another transaction holds it) and answers the
// stored response (422 for another request); StoreResponse records the answer in the
// transaction that completes the act (a second store of the same key keeps the first).
struct IdempotencyKey {
  std::string usuario, chave, hash_requisicao;
};
IdempotencyKey RequireIdempotencyKey(const Request& request);
std::optional<Response> ReplayStored(pg::Transaction& tx, const IdempotencyKey& key);
void StoreResponse(pg::Transaction& tx, const IdempotencyKey& key, const Response& response);

// The shortest retention a key may have: API.md promises a repeat within 24 hours its replay.
inline constexpr std::chrono::hours kMinimumIdempotencyRetention{24};

// Deletes keys stored more than `retention` ago; returns how many.
std::int64_t PruneIdempotencyKeys(pg::Pool& pool, std::chrono::milliseconds retention);

}  // namespace pharmasys::http
