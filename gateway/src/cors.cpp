#include "cors.hpp"

#include <algorithm>

namespace pharmasys::gateway {
namespace {

constexpr std::string_view kAllowMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr std::string_view kAllowHeaders =
    "Authorization, Content-Type, Accept, Idempotency-Key, If-Match, X-Assinatura, X-Request-Id, traceparent";
constexpr std::string_view kExposeHeaders =
    "Location, ETag, X-Request-Id, Idempotent-Replayed, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
    "RateLimit-Reset, traceparent";
constexpr std::string_view kMaxAge = "600";

void AddVary(http::Response& response, std::string_view value) {
  auto existing = response.headers.Get("Vary");
  if (!existing) {
    response.headers.Set("Vary", std::string(value));
  } else if (existing->find(value) == std::string_view::npos) {
    response.headers.Set("Vary", std::string(*existing) + ", " + std::string(value));
  }
}

}  // namespace

Cors::Cors(std::vector<std::string> allowed_origins) : allowed_(std::move(allowed_origins)) {
  any_ = std::find(allowed_.begin(), allowed_.end(), "*") != allowed_.end();
}

bool Cors::IsPreflight(const http::Request& request) {
  return request.method == http::Method::Options && request.headers.Get("Origin") &&
         request.headers.Get("Access-Control-Request-Method");
}

bool Cors::Allowed(std::string_view origin) const {
  return any_ || std::find(allowed_.begin(), allowed_.end(), origin) != allowed_.end();
}

http::Response Cors::Preflight(const http::Request& request) const {
  http::Response response = http::Response::Empty(204);
  if (Allowed(request.headers.GetOr("Origin", ""))) {
    response.headers.Set("Access-Control-Allow-Methods", std::string(kAllowMethods));
    response.headers.Set("Access-Control-Allow-Headers", std::string(kAllowHeaders));
    response.headers.Set("Access-Control-Max-Age", std::string(kMaxAge));
  }
  AddVary(response, "Access-Control-Request-Method, Access-Control-Request-Headers");
  return response;
}

void Cors::Decorate(const http::Request& request, http::Response& response) const {
  if (allowed_.empty()) return;
  AddVary(response, "Origin");
  auto origin = request.headers.Get("Origin");
  if (!origin || !Allowed(*origin)) return;
  response.headers.Set("Access-Control-Allow-Origin", any_ ? "*" : std::string(*origin));
  if (!Cors::IsPreflight(request)) response.headers.Set("Access-Control-Expose-Headers", std::string(kExposeHeaders));
}

}  // namespace pharmasys::gateway
