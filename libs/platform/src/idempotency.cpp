#include "pharmasys/http/idempotency.hpp"

#include <boost/json/object.hpp>

#include "pharmasys/crypto.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::http {
namespace {

constexpr pg::Query kLock{"idempotency_lock", "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7206130927))"};
constexpr pg::Query kFind{"idempotency_find",
                          "SELECT hash_requisicao, status, cabecalhos, corpo FROM idempotencia"
                          " WHERE usuario = $1 AND chave = $2"};
constexpr pg::Query kStore{"idempotency_store",
                           "INSERT INTO idempotencia (usuario, chave, hash_requisicao, status, cabecalhos, corpo)"
                           " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING"};
constexpr pg::Query kPrune{"idempotency_prune",
                           "DELETE FROM idempotencia WHERE criado_em < now() - $1::bigint * interval '1 second'"};

// The headers a replay must carry again.
constexpr std::string_view kReplayedHeaders[] = {"Content-Type", "Location", "ETag"};

bool IsValidKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

}  // namespace

IdempotencyKey RequireIdempotencyKey(const Request& request) {
  auto key_header = request.headers.Get("Idempotency-Key");
  if (!key_header || !IsValidKey(*key_header)) {
    throw Error(400, "idempotency-key-ausente", "Idempotency-Key ausente",
                "Esta operação exige o cabeçalho Idempotency-Key (1 a 255 caracteres ASCII visíveis).");
  }
  return {request.principal.sub, std::string(*key_header),
          crypto::Sha256Hex(request.method_text + "\n" + request.path + "\n" + request.body)};
}

std::optional<Response> ReplayStored(pg::Transaction& tx, const IdempotencyKey& key) {
  // Held until COMMIT: a concurrent request with this key is told so at once instead of
  // waiting and running twice. The lookup is sent with the lock in one round trip; it still
  // runs after the lock is taken (its snapshot too), and its answer is only read if it was.
  auto results =
      tx.ExecAll({{kLock, pg::Params(key.usuario + "\n" + key.chave)}, {kFind, pg::Params(key.usuario, key.chave)}});
  if (!results[0].Single().Bool(0)) {
    throw Error(409, "idempotency-key-em-uso", "Idempotency-Key em uso",
                "Uma requisição com esta Idempotency-Key ainda está em andamento.");
  }
  const auto& stored = results[1];
  if (stored.empty()) return std::nullopt;
  auto row = stored.Single();
  if (row.String(0) != key.hash_requisicao) {
    throw Error(422, "idempotency-key-reutilizada", "Idempotency-Key reutilizada",
                "Esta Idempotency-Key já foi usada com outra requisição.");
  }
  Response replay;
  replay.status = static_cast<int>(row.Int(1));
  const auto headers = json::Parse(row.Text(2));
  for (const auto& [name, value] : headers.as_object()) {
    replay.headers.Set(std::string(name), std::string(value.as_string()));
  }
  replay.body = row.String(3);
  replay.headers.Set("Idempotent-Replayed", "true");
  return replay;
}

void StoreResponse(pg::Transaction& tx, const IdempotencyKey& key, const Response& response) {
  boost::json::object headers;
  for (auto name : kReplayedHeaders) {
    if (auto v = response.headers.Get(name)) headers[name] = *v;
  }
  // Written just before the COMMIT, with whatever else was deferred (nothing reads its answer).
  tx.Defer(kStore, pg::Params(key.usuario, key.chave, key.hash_requisicao, response.status, json::Serialize(headers),
                              response.body));
}

std::function<Response(Request&)> Idempotent(pg::Pool& pool, TransactionalHandler handler) {
  return [&pool, handler = std::move(handler)](Request& request) -> Response {
    const IdempotencyKey key = RequireIdempotencyKey(request);
    return pool.Transact([&](pg::Transaction& tx) -> Response {
      if (auto replay = ReplayStored(tx, key)) return std::move(*replay);
      Response response = handler(request, tx);
      StoreResponse(tx, key, response);
      return response;
    });
  };
}

std::int64_t PruneIdempotencyKeys(pg::Pool& pool, std::chrono::milliseconds retention) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(retention).count();
  return pool.Exec(kPrune, pg::Params(static_cast<std::int64_t>(seconds))).affected();
}

}  // namespace pharmasys::http
