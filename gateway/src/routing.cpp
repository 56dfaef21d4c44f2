#include "routing.hpp"

#include <algorithm>

namespace pharmasys::gateway {
namespace {

struct Entry {
  std::string_view name;  // the first segment after /v1/
  bool needs_subpath;     // "/v1/cq/*" rather than "/v1/materiais*"
  Upstream upstream;
  std::string_view pattern;
};

// API.md, "Gateway".
constexpr Entry kTable[] = {
    {"auth", true, Upstream::Auth, "/v1/auth/*"},
    {"usuarios", false, Upstream::Auth, "/v1/usuarios*"},
    {"receitas", false, Upstream::Producao, "/v1/receitas*"},
    {"ordens-producao", false, Upstream::Producao, "/v1/ordens-producao*"},
    {"especificacoes", false, Upstream::Cq, "/v1/especificacoes*"},
    {"amostras", false, Upstream::Cq, "/v1/amostras*"},
    {"laudos", false, Upstream::Cq, "/v1/laudos*"},
    {"desvios", false, Upstream::Cq, "/v1/desvios*"},
    {"recolhimentos", false, Upstream::Cq, "/v1/recolhimentos*"},
    {"cq", true, Upstream::Cq, "/v1/cq/*"},
    {"materiais", false, Upstream::Estoque, "/v1/materiais*"},
    {"recebimentos", false, Upstream::Estoque, "/v1/recebimentos*"},
    {"estoque", true, Upstream::Estoque, "/v1/estoque/*"},
    {"expedicoes", false, Upstream::Estoque, "/v1/expedicoes*"},
    {"devolucoes", false, Upstream::Estoque, "/v1/devolucoes*"},
    {"relatorios", true, Upstream::Relatorios, "/v1/relatorios/*"},
};

bool IsDot(std::string_view segment) {
  // ".", "..", and their percent-encoded spellings.
  std::size_t dots = 0;
  for (std::size_t i = 0; i < segment.size(); ++dots) {
    if (segment[i] == '.') {
      i += 1;
    } else if (segment.substr(i, 3) == "%2e" || segment.substr(i, 3) == "%2E") {
      i += 3;
    } else {
      return false;
    }
  }
  return dots == 1 || dots == 2;
}

}  // namespace

std::string_view NameOf(Upstream upstream) {
  switch (upstream) {
    case Upstream::Auth: return "auth";
    case Upstream::Producao: return "producao";
    case Upstream::Cq: return "cq";
    case Upstream::Estoque: return "estoque";
    case Upstream::Relatorios: return "relatorios";
  }
  return "desconhecido";
}

std::string_view VariableOf(Upstream upstream) {
  switch (upstream) {
    case Upstream::Auth: return "PHARMASYS_UPSTREAM_AUTH";
    case Upstream::Producao: return "PHARMASYS_UPSTREAM_PRODUCAO";
    case Upstream::Cq: return "PHARMASYS_UPSTREAM_CQ";
    case Upstream::Estoque: return "PHARMASYS_UPSTREAM_ESTOQUE";
    case Upstream::Relatorios: return "PHARMASYS_UPSTREAM_RELATORIOS";
  }
  return "";
}

bool IsApiPath(std::string_view path) {
  return path == "/v1" || path.starts_with("/v1/");
}

bool IsWebUiRoute(std::string_view path) {
  const std::string decoded = http::PercentDecode(path, false);
  if (!decoded.starts_with('/') || decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) {
    return false;
  }
  for (std::string_view own : {"/v1", "/healthz", "/readyz", "/metrics"}) {
    if (decoded == own || (decoded.starts_with(own) && decoded[own.size()] == '/')) return false;
  }
  std::string_view rest = std::string_view(decoded).substr(1);
  std::string_view last;
  while (true) {
    auto slash = rest.find('/');
    last = rest.substr(0, slash);
    if (last == "." || last == "..") return false;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return last.find('.') == std::string_view::npos;  // `.env` too: a name with a dot is a file's
}

std::optional<RouteMatch> Route(std::string_view path) {
  if (!path.starts_with("/v1/")) return std::nullopt;
  std::string_view rest = path.substr(4);
  auto slash = rest.find('/');
  std::string_view name = rest.substr(0, slash);
  const bool has_subpath = slash != std::string_view::npos && slash + 1 < rest.size();
  const bool bare = slash == std::string_view::npos;
  for (const auto& e : kTable) {
    if (e.name != name) continue;
    if (e.needs_subpath ? !has_subpath : !(bare || has_subpath)) return std::nullopt;
    return RouteMatch{e.upstream, e.pattern};
  }
  return std::nullopt;
}

bool HasDotSegment(std::string_view path) {
  while (!path.empty()) {
    if (path.front() == '/') path.remove_prefix(1);
    auto slash = path.find('/');
    if (IsDot(path.substr(0, slash))) return true;
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return false;
}

bool IsPublicEndpoint(http::Method method, std::string_view path) {
  // The authorization endpoint is where a person without a token gets one: its page (GET) and
  // its sign-in form (POST).
  if (method == http::Method::Post) {
    return path == "/v1/auth/token" || path == "/v1/auth/revogar" || path == "/v1/auth/autorizar";
  }
  if (method == http::Method::Get || method == http::Method::Head) {
    return path == "/v1/auth/.well-known/openid-configuration" || path == "/v1/auth/jwks" ||
           path == "/v1/auth/autorizar";
  }
  return false;
}

}  // namespace pharmasys::gateway
