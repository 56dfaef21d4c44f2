#pragma once
// CORS for the web UI when it is served from another origin (PHARMASYS_CORS_ORIGINS). The
// gateway answers preflights itself and is the only one to set Access-Control-* headers.
#include <string>
#include <vector>

#include "pharmasys/http/message.hpp"

namespace pharmasys::gateway {

class Cors {
 public:
  // Exact origins ("https://pharmasys.example.com"); "*" allows any. Empty: CORS is off.
  explicit Cors(std::vector<std::string> allowed_origins);

  // OPTIONS with Origin and Access-Control-Request-Method.
  static bool IsPreflight(const http::Request& request);
  // 204; with the allowed methods and headers when the origin is allowed, bare otherwise (the
  // browser then refuses the call).
  http::Response Preflight(const http::Request& request) const;
  // Adds Access-Control-Allow-Origin and Access-Control-Expose-Headers to a response for an
  // allowed origin, and Vary: Origin whenever the answer depends on it.
  void Decorate(const http::Request& request, http::Response& response) const;

 private:
  bool Allowed(std::string_view origin) const;
  std::vector<std::string> allowed_;
  bool any_ = false;
};

}  // namespace pharmasys::gateway
