#pragma once
// One shape for calling another PharmaSys service: a configured base URL, a deadline per
// attempt, the caller's own token (client_credentials) or a forwarded Authorization, and a
// retry policy that repeats only what is safe to repeat. Produção's calls to Estoque,
// Relatórios' audit verification and the readiness checks of the gateway and of Produção go
// through it. Safe from many threads.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pharmasys/auth/service_token.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/client.hpp"

namespace pharmasys::http {

struct RetryPolicy {
  int attempts = 1;                        // 1: no retry
  std::chrono::milliseconds backoff{250};  // before the second attempt, doubled after each
};

struct ServiceClientOptions {
  std::string name;                          // who is called ("estoque"): logs, problem slugs
  std::string title;                         // "Estoque", in problem texts (default: name)
  std::string base_url;                      // http://127.0.0.1:8084
  std::chrono::milliseconds deadline{5000};  // per attempt
  RetryPolicy retry;
};

struct ServiceCall {
  Method method = Method::Get;
  std::string path;  // under the base URL: "/v1/estoque/consumos"
  std::string body;
  std::string content_type;     // with a body: "application/json"
  std::string idempotency_key;  // makes a POST safe to repeat
  // Sent as is instead of the client's own token (a user's call forwarded).
  std::optional<std::string> authorization;
  // This call's deadline per attempt instead of the configured one (what is left of a
  // larger deadline).
  std::optional<std::chrono::milliseconds> deadline;
};

class ServiceClient {
 public:
  // Without `token`, calls carry no Authorization unless the call gives one.
  ServiceClient(ServiceClientOptions options, std::shared_ptr<Client> client,
                std::shared_ptr<auth::ServiceToken> token = nullptr);

  // The service's answer, whatever its status. A call is repeated, up to the policy's
  // attempts with its backoff, only when repeating cannot make it act twice — its method is
  // idempotent or it carries an Idempotency-Key — and the outcome may change: no answer, a
  // 5xx, 409 `idempotency-key-em-uso` (the first attempt still running), or a 401 to the
  // client's own token (fetched again). Throws UpstreamError when the last attempt had no
  // answer.
  ClientResponse Call(const ServiceCall& call) const;

  // Whether an answer is one a later repeat may change (see Call): the caller's cue that
  // the service is unavailable rather than refusing.
  static bool Transient(const ClientResponse& response);
  // The service's problem document as one of ours, its detail prefixed with the service's
  // name; an answer without one is 502 `<name>-indisponivel`.
  Error ProblemOf(const ClientResponse& response) const;
  // A readiness check: GET /healthz answers 200 within `deadline`.
  std::optional<std::string> Healthy(std::chrono::milliseconds deadline = std::chrono::milliseconds(2000)) const;

  const ServiceClientOptions& options() const { return options_; }

 private:
  ServiceClientOptions options_;
  std::shared_ptr<Client> client_;
  std::shared_ptr<auth::ServiceToken> token_;
};

}  // namespace pharmasys::http
