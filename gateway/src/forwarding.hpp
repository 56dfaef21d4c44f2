#pragma once
// What crosses the gateway in each direction: the request headers a service gets, the
// response headers a client gets back, and who the client is. Pure functions, no I/O.
#include <string>
#include <string_view>
#include <vector>

#include "pharmasys/http/message.hpp"

namespace pharmasys::gateway {

// Addresses of the proxies in front of the gateway (a load balancer, an ingress) whose
// X-Forwarded-For and X-Forwarded-Proto are believed. Exact addresses, no ranges.
using TrustedProxies = std::vector<std::string>;

// The client's address: the TCP peer, or — when the peer is a trusted proxy — the nearest
// address in X-Forwarded-For that is not a trusted proxy. A client cannot choose its own
// address (and so its rate-limit bucket) by sending X-Forwarded-For.
std::string ClientAddress(const http::Request& request, const TrustedProxies& trusted);

// The headers sent to the service: an allow-list of the end-to-end headers the API uses
// (Authorization with the original token, Content-Type, Accept, Idempotency-Key, If-Match,
// X-Assinatura, Origin and Sec-Fetch-Site, ...), the request's X-Request-Id, a traceparent naming the gateway's span as
// parent, and X-Forwarded-For/-Proto/-Host. Hop-by-hop headers and anything else stay here.
http::Headers UpstreamHeaders(const http::Request& request, const TrustedProxies& trusted);

// The service's response headers without the hop-by-hop ones (Connection and the fields it
// names, Keep-Alive, Transfer-Encoding, ...), without Content-Length (the body is re-framed),
// without the ones the gateway sets itself (X-Request-Id, traceparent, CORS).
http::Headers DownstreamHeaders(const http::Headers& from_upstream);

}  // namespace pharmasys::gateway
