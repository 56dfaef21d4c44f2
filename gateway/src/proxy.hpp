#pragma once
// Forwards an API request to the service that owns it, over the shared keep-alive client, with
// a deadline. Request bodies are bounded by the body limit and sent whole; responses are
// streamed to the client as they arrive (exports can be large).
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "forwarding.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/http/message.hpp"
#include "routing.hpp"

namespace pharmasys::gateway {

struct ProxyOptions {
  std::map<Upstream, std::string> upstreams;  // base URL per service, "http://127.0.0.1:8084"
  std::chrono::milliseconds timeout{30000};   // the whole exchange with the service
  TrustedProxies trusted_proxies;
};

class Proxy {
 public:
  Proxy(ProxyOptions options, std::shared_ptr<http::Client> client);

  // The service's answer, status and body as they are. Throws pharmasys::Error: 504
  // tempo-esgotado when the service does not answer in time, 502 upstream-indisponivel when
  // it cannot be reached (or is not configured) or answers with something that is not HTTP.
  http::Response Forward(const http::Request& request, Upstream upstream) const;

 private:
  ProxyOptions options_;
  std::shared_ptr<http::Client> client_;
};

}  // namespace pharmasys::gateway
