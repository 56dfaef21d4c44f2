#pragma once
// A service's own access token for calls to other services (OAuth2 client_credentials at the
// issuer's token endpoint), reused until shortly before it expires and fetched again after a
// 401. Safe from many threads; concurrent callers share one fetch.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "pharmasys/http/client.hpp"

namespace pharmasys::auth {

struct ServiceTokenOptions {
  std::string token_url;  // e.g. http://auth:8081/v1/auth/token
  std::string client_id;
  std::string client_secret;
  std::chrono::milliseconds timeout{5000};
  std::chrono::seconds refresh_before{30};  // fetch a new one this long before `exp`
};

class ServiceToken {
 public:
  ServiceToken(ServiceTokenOptions options, std::shared_ptr<http::Client> client);
  // A valid access token; throws Unavailable (503) when the issuer cannot give one.
  std::string Get();
  // Forgets the cached token (the callee answered 401).
  void Invalidate();

 private:
  ServiceTokenOptions options_;
  std::shared_ptr<http::Client> client_;
  std::mutex mutex_;
  std::string token_;
  std::chrono::steady_clock::time_point renew_at_{};
};

}  // namespace pharmasys::auth
