#include "forwarding.hpp"

#include <algorithm>
#include <cctype>

namespace pharmasys::gateway {
namespace {

// `Origin` and `Sec-Fetch-Site` let Auth's sign-in form tell its own posts from another site's.
constexpr std::string_view kForwardedRequestHeaders[] = {
    "Accept",        "Accept-Language", "Authorization",  "Content-Type", "Idempotency-Key", "If-Match",
    "If-None-Match", "Origin",          "Sec-Fetch-Site", "User-Agent",   "X-Assinatura",    "tracestate",
};

constexpr std::string_view kHopByHop[] = {
    "Connection", "Keep-Alive",        "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE",
    "Trailer",    "Transfer-Encoding", "Upgrade",
};

// Set by the gateway on every response, whatever the service said.
constexpr std::string_view kGatewayOwned[] = {"Content-Length", "X-Request-Id", "traceparent"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> items;
  while (true) {
    auto comma = list.find(',');
    auto item = Trim(list.substr(0, comma));
    if (!item.empty()) items.push_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return items;
}

bool IsTrusted(std::string_view address, const TrustedProxies& trusted) {
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

}  // namespace

std::string ClientAddress(const http::Request& request, const TrustedProxies& trusted) {
  if (!IsTrusted(request.remote_address, trusted)) return request.remote_address;
  auto chain = SplitList(request.headers.GetOr("X-Forwarded-For", ""));
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!IsTrusted(*it, trusted)) return std::string(it->substr(0, 64));
  }
  return chain.empty() ? request.remote_address : std::string(chain.front().substr(0, 64));
}

http::Headers UpstreamHeaders(const http::Request& request, const TrustedProxies& trusted) {
  http::Headers out;
  for (auto name : kForwardedRequestHeaders) {
    if (auto value = request.headers.Get(name)) out.Set(std::string(name), std::string(*value));
  }
  out.Set("X-Request-Id", request.request_id);
  out.Set("traceparent", request.trace.ToTraceparent());

  const bool behind_proxy = IsTrusted(request.remote_address, trusted);
  auto given_for = request.headers.Get("X-Forwarded-For");
  out.Set("X-Forwarded-For", behind_proxy && given_for && !Trim(*given_for).empty()
                                 ? std::string(Trim(*given_for)) + ", " + request.remote_address
                                 : request.remote_address);
  auto given_proto = request.headers.Get("X-Forwarded-Proto");
  out.Set("X-Forwarded-Proto",
          behind_proxy && (given_proto == "https" || given_proto == "http") ? std::string(*given_proto) : "http");
  if (auto host = request.headers.Get("Host")) out.Set("X-Forwarded-Host", std::string(*host));
  return out;
}

http::Headers DownstreamHeaders(const http::Headers& from_upstream) {
  std::vector<std::string> dropped;
  for (auto name : kHopByHop) dropped.push_back(Lower(name));
  for (auto name : kGatewayOwned) dropped.push_back(Lower(name));
  for (const auto& [name, value] : from_upstream) {
    if (Lower(name) == "connection") {
      for (auto token : SplitList(value)) dropped.push_back(Lower(token));
    }
  }
  http::Headers out;
  for (const auto& [name, value] : from_upstream) {
    std::string lower = Lower(name);
    if (std::find(dropped.begin(), dropped.end(), lower) != dropped.end()) continue;
    if (lower.starts_with("access-control-")) continue;  // CORS is the gateway's answer alone
    out.Add(name, value);
  }
  return out;
}

}  // namespace pharmasys::gateway
