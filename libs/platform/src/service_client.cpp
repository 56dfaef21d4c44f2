#include "pharmasys/http/service_client.hpp"

#include <boost/json/value.hpp>

#include <thread>
#include <vector>

#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::http {
namespace {

bool Repeatable(const ServiceCall& call) {
  switch (call.method) {
    case Method::Get:
    case Method::Head:
    case Method::Put:
    case Method::Delete:
    case Method::Options: return true;
    default: return !call.idempotency_key.empty();
  }
}

}  // namespace

ServiceClient::ServiceClient(ServiceClientOptions options, std::shared_ptr<Client> client,
                             std::shared_ptr<auth::ServiceToken> token)
    : options_(std::move(options)), client_(std::move(client)), token_(std::move(token)) {
  while (options_.base_url.ends_with('/')) options_.base_url.pop_back();
  if (options_.title.empty()) options_.title = options_.name;
}

bool ServiceClient::Transient(const ClientResponse& response) {
  if (response.status >= 500 || response.status == 401) return true;
  return response.status == 409 && response.body.find("idempotency-key-em-uso") != std::string::npos;
}

ClientResponse ServiceClient::Call(const ServiceCall& call) const {
  const bool repeatable = Repeatable(call);
  const int attempts = std::max(1, options_.retry.attempts);
  auto backoff = options_.retry.backoff;
  for (int attempt = 1;; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
    ClientRequest request{call.method, options_.base_url + call.path, {}, call.body};
    if (!call.content_type.empty()) request.headers.Set("Content-Type", call.content_type);
    if (!call.idempotency_key.empty()) request.headers.Set("Idempotency-Key", call.idempotency_key);
    const bool own_token = !call.authorization && token_ != nullptr;
    if (call.authorization) {
      request.headers.Set("Authorization", *call.authorization);
    } else if (own_token) {
      request.headers.Set("Authorization", "Bearer " + token_->Get());
    }
    const bool last = attempt >= attempts;
    try {
      auto response = client_->Send(request, call.deadline.value_or(options_.deadline));
      // A 401 to our own token: it was refused before anything ran, so a repeat with a new
      // one is safe whatever the method.
      if (response.status == 401 && own_token) {
        token_->Invalidate();
        if (!last) continue;
        return response;
      }
      if (last || !repeatable || !Transient(response)) return response;
      log::Warn("service answered a transient failure; repeating",
                {{"service.target.name", options_.name},
                 {"url.path", call.path},
                 {"http.response.status_code", std::to_string(response.status)},
                 {"attempt", std::to_string(attempt)}});
    } catch (const UpstreamError& e) {
      if (last || !repeatable) throw;
      log::Warn("service did not answer; repeating", {{"service.target.name", options_.name},
                                                      {"url.path", call.path},
                                                      {"error.message", e.what()},
                                                      {"attempt", std::to_string(attempt)}});
    }
  }
}

Error ServiceClient::ProblemOf(const ClientResponse& response) const {
  try {
    auto problem = json::Parse(response.body).as_object();
    std::string type(problem.at("type").as_string());
    std::vector<FieldError> errors;
    if (auto* list = problem.if_contains("errors"); list != nullptr && list->is_array()) {
      for (const auto& e : list->as_array()) {
        errors.push_back({std::string(e.at("campo").as_string()), std::string(e.at("mensagem").as_string())});
      }
    }
    std::string title = problem.contains("title") ? std::string(problem.at("title").as_string()) : type;
    std::string detail = problem.contains("detail") ? std::string(problem.at("detail").as_string()) : title;
    return Error(response.status, type.substr(type.rfind('/') + 1), std::move(title), options_.title + ": " + detail,
                 std::move(errors));
  } catch (const std::exception&) {
    return Error(502, options_.name + "-indisponivel", options_.title + " indisponível",
                 "O serviço " + options_.title + " respondeu HTTP " + std::to_string(response.status) +
                     " sem um documento de problema.");
  }
}

std::optional<std::string> ServiceClient::Healthy(std::chrono::milliseconds deadline) const {
  try {
    auto answer = client_->Send({Method::Get, options_.base_url + "/healthz", {}, ""}, deadline);
    if (answer.status == 200) return std::nullopt;
    return options_.title + " /healthz respondeu HTTP " + std::to_string(answer.status);
  } catch (const UpstreamError& e) {
    return options_.title + " não respondeu: " + std::string(e.what());
  }
}

}  // namespace pharmasys::http
