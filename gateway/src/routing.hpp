#pragma once
// Which service owns a path: the routing table of API.md's Gateway section, and the
// endpoints anyone may call without a token. Pure functions, no I/O.
#include <optional>
#include <string_view>

#include "pharmasys/http/message.hpp"

namespace pharmasys::gateway {

enum class Upstream { Auth, Producao, Cq, Estoque, Relatorios };
inline constexpr Upstream kUpstreams[] = {Upstream::Auth, Upstream::Producao, Upstream::Cq, Upstream::Estoque,
                                          Upstream::Relatorios};

std::string_view NameOf(Upstream upstream);      // "auth", "producao", ...
std::string_view VariableOf(Upstream upstream);  // "PHARMASYS_UPSTREAM_AUTH", ...

struct RouteMatch {
  Upstream upstream;
  std::string_view pattern;  // the table's entry, e.g. "/v1/ordens-producao*" (a bounded metrics label)
};

// True for the API's paths (`/v1` and below), which go to the services; every other path is
// the web UI's.
bool IsApiPath(std::string_view path);

// A path the web UI may route in the browser (`/lotes/abc`, `/cq/amostras/`), which the
// gateway answers with its index.html when no file has that name (static_files.hpp). Decided
// on the decoded path: not the API nor the gateway's own endpoints (`/healthz`, `/readyz`,
// `/metrics`, or below them), no `.` or `..` segment, no NUL or backslash, and a last segment
// without a dot: a missing `/assets/x.js`, `/favicon.ico` or `/.env` is a missing file.
bool IsWebUiRoute(std::string_view path);

// The owner of an API path. `/v1/<name>*` matches `/v1/<name>` and everything below it;
// `/v1/<name>/*` only what is below it. Nothing else matches.
std::optional<RouteMatch> Route(std::string_view path);

// A segment that is `.` or `..`, also percent-encoded (`%2e%2E`): such a path could mean
// another resource to a server that normalises it than to the gateway, which decides on the
// raw path whether a token is needed.
bool HasDotSegment(std::string_view path);

// The endpoints that need no token: the token endpoint, revocation, the authorization endpoint
// (sign-in page and form), OIDC discovery and the JWKS.
bool IsPublicEndpoint(http::Method method, std::string_view path);

}  // namespace pharmasys::gateway
