#include "estoque.hpp"

#include <boost/json/object.hpp>

#include "pharmasys/error.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::producao {

boost::json::value EstoqueClient::Consume(const std::string& idempotency_key, const std::string& op_id,
                                          const std::string& material, Decimal quantidade) {
  http::ServiceCall call{.method = http::Method::Post,
                         .path = "/v1/estoque/consumos",
                         .body = json::Serialize(boost::json::object{
                             {"op_id", op_id}, {"material", material}, {"quantidade", json::ToJson(quantidade)}}),
                         .content_type = "application/json",
                         .idempotency_key = idempotency_key};
  std::string failure;
  try {
    auto response = service_.Call(call);
    if (response.status == 201 || response.status == 200) return json::Parse(response.body);
    if (!http::ServiceClient::Transient(response)) {
      Error problem = service_.ProblemOf(response);
      if (problem.status() == 409 || problem.status() == 422) throw EstoqueRecusa(std::move(problem));
      throw problem;
    }
    failure = response.status == 401 ? "token recusado" : "HTTP " + std::to_string(response.status);
  } catch (const http::UpstreamError& e) {
    failure = e.what();
  }
  throw Unavailable("O estoque não concluiu o consumo (" + failure +
                    "); repita o pedido com a mesma Idempotency-Key: nada será consumido duas vezes.");
}

}  // namespace pharmasys::producao
