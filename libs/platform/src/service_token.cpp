#include "pharmasys/auth/service_token.hpp"

#include <boost/json/value.hpp>

#include "pharmasys/error.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::auth {
ServiceToken::ServiceToken(ServiceTokenOptions options, std::shared_ptr<http::Client> client)
    : options_(std::move(options)), client_(std::move(client)) {}

std::string ServiceToken::Get() {
  std::lock_guard lock(mutex_);  // one fetch at a time; the others wait for its result
  const auto now = std::chrono::steady_clock::now();
  if (!token_.empty() && now < renew_at_) return token_;
  http::ClientRequest request{http::Method::Post,
                              options_.token_url,
                              {},
                              "grant_type=client_credentials&client_id=" + http::FormEncode(options_.client_id) +
                                  "&client_secret=" + http::FormEncode(options_.client_secret)};
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded");
  http::ClientResponse response;
  try {
    response = client_->Send(request, options_.timeout);
  } catch (const http::UpstreamError& e) {
    throw Unavailable("O emissor de tokens não respondeu: " + std::string(e.what()) + ".");
  }
  if (response.status != 200) {
    log::Error("client_credentials refused",
               {{"http.response.status_code", std::to_string(response.status)}, {"client_id", options_.client_id}});
    throw Unavailable("O emissor de tokens recusou as credenciais deste serviço (HTTP " +
                      std::to_string(response.status) + ").");
  }
  auto body = json::Parse(response.body);
  token_ = std::string(body.at("access_token").as_string());
  const auto expires_in = std::chrono::seconds(body.at("expires_in").to_number<std::int64_t>());
  renew_at_ = now + std::max(std::chrono::seconds(1), expires_in - options_.refresh_before);
  return token_;
}

void ServiceToken::Invalidate() {
  std::lock_guard lock(mutex_);
  token_.clear();
}

}  // namespace pharmasys::auth
