#pragma once
// Estoque's FEFO consumption as Produção calls it (POST /v1/estoque/consumos), through the
// platform's service client: Produção's own token, a deadline per attempt, and every attempt
// with the same Idempotency-Key, so a timeout followed by a retry takes the stock once —
// Estoque answers the retry with the result of the first attempt, or 409
// `idempotency-key-em-uso` while that one is still running, which is waited out.
#include <string>

#include <boost/json/fwd.hpp>

#include "pharmasys/decimal.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/service_client.hpp"

namespace pharmasys::producao {

// Estoque refused the consumption for good (409 estoque-insuficiente and its kind, 422): its
// problem document, unchanged, to be recorded on the intent and answered to the client.
class EstoqueRecusa : public Error {
 public:
  explicit EstoqueRecusa(Error problem) : Error(std::move(problem)) {}
};

class EstoqueClient {
 public:
  explicit EstoqueClient(http::ServiceClient service) : service_(std::move(service)) {}
  // Estoque's answer (the consumption with its lots). Estoque's refusals (409
  // estoque-insuficiente, 422) throw EstoqueRecusa, any other problem of Estoque's the same
  // problem; no answer after every attempt is 503, and the same call with the same key may be
  // repeated safely.
  boost::json::value Consume(const std::string& idempotency_key, const std::string& op_id, const std::string& material,
                             Decimal quantidade);
  std::optional<std::string> Healthy() const { return service_.Healthy(); }

 private:
  http::ServiceClient service_;
};

}  // namespace pharmasys::producao
