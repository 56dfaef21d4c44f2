#include "estoque.hpp"

#include <boost/json/object.hpp>

#include <thread>

#include "pharmasys/error.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::producao {
namespace {

// Estoque's problem document, as one of ours.
Error AsError(const http::ClientResponse& response) {
  try {
    auto problem = json::Parse(response.body).as_object();
    std::string type(problem.at("type").as_string());
    std::vector<FieldError> errors;
    if (auto* list = problem.if_contains("errors"); list != nullptr && list->is_array()) {
      for (const auto& e : list->as_array()) {
        errors.push_back({std::string(e.at("campo").as_string()), std::string(e.at("mensagem").as_string())});
      }
    }
    return Error(response.status, type.substr(type.rfind('/') + 1), std::string(problem.at("title").as_string()),
                 "Estoque: " + std::string(problem.at("detail").as_string()), std::move(errors));
  } catch (const std::exception&) {
    return Error(502, "estoque-indisponivel", "Estoque indisponível",
                 "O estoque respondeu HTTP " + std::to_string(response.status) + " sem um documento de problema.");
  }
}

bool KeyInUse(const http::ClientResponse& response) {
  return response.status == 409 && response.body.find("idempotency-key-em-uso") != std::string::npos;
}

}  // namespace

EstoqueClient::EstoqueClient(EstoqueOptions options, std::shared_ptr<auth::ServiceToken> token,
                             std::shared_ptr<http::Client> client)
    : options_(std::move(options)), token_(std::move(token)), client_(std::move(client)) {}

boost::json::value EstoqueClient::Consume(const std::string& idempotency_key, const std::string& op_id,
                                          const std::string& material, Decimal quantidade) {
  const std::string body = json::Serialize(
      boost::json::object{{"op_id", op_id}, {"material", material}, {"quantidade", json::ToJson(quantidade)}});
  auto backoff = options_.backoff;
  std::string last_failure;
  for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
    http::ClientRequest request{http::Method::Post, options_.base_url + "/v1/estoque/consumos", {}, body};
    request.headers.Set("Content-Type", "application/json");
    request.headers.Set("Idempotency-Key", idempotency_key);
    request.headers.Set("Authorization", "Bearer " + token_->Get());
    http::ClientResponse response;
    try {
      response = client_->Send(request, options_.timeout);
    } catch (const http::UpstreamError& e) {
      last_failure = e.what();
      log::Warn("estoque did not answer the consumption; retrying with the same key",
                {{"attempt", std::to_string(attempt)}, {"error.message", e.what()}, {"op_id", op_id}});
      continue;
    }
    if (response.status == 201 || response.status == 200) return json::Parse(response.body);
    if (response.status == 401) {
      token_->Invalidate();
      last_failure = "token recusado";
      continue;
    }
    if (KeyInUse(response) || response.status >= 500) {
      last_failure = "HTTP " + std::to_string(response.status);
      continue;
    }
    Error problem = AsError(response);
    if (problem.status() == 409 || problem.status() == 422) throw EstoqueRecusa(std::move(problem));
    throw problem;
  }
  throw Unavailable("O estoque não concluiu o consumo (" + last_failure +
                    "); repita o pedido com a mesma Idempotency-Key: nada será consumido duas vezes.");
}

}  // namespace pharmasys::producao
