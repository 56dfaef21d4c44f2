#include "pharmasys/http/router.hpp"

#include <stdexcept>

#include "pharmasys/error.hpp"

namespace pharmasys::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path.empty() || path.front() != '/') return parts;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

struct Segment {
  std::string text;  // literal text, or the parameter's name
  bool is_param = false;
};

struct Route {
  Method method;
  std::string path_template;
  std::vector<Segment> segments;
  Handler handler;

  bool Matches(const std::vector<std::string_view>& parts) const {
    if (parts.size() != segments.size()) return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (segments[i].is_param ? parts[i].empty() : segments[i].text != parts[i]) return false;
    }
    return true;
  }
};

}  // namespace

struct Router::Impl {
  std::vector<Route> routes;
  std::vector<Middleware> middleware;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;

void Router::Add(Method method, std::string_view path_template, Handler handler) {
  Route route{method, std::string(path_template), {}, std::move(handler)};
  auto parts = Split(path_template);
  if (parts.empty()) throw std::invalid_argument("route must start with '/': " + std::string(path_template));
  for (auto part : parts) {
    if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      route.segments.push_back({std::string(part.substr(1, part.size() - 2)), true});
    } else {
      route.segments.push_back({std::string(part), false});
    }
  }
  for (const auto& existing : impl_->routes) {
    if (existing.method == method && existing.path_template == route.path_template) {
      throw std::invalid_argument("duplicate route: " + std::string(ToString(method)) + " " + route.path_template);
    }
  }
  impl_->routes.push_back(std::move(route));
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& route : impl_->routes) out.push_back({route.method, route.path_template});
  return out;
}

void Router::Use(Middleware middleware) {
  impl_->middleware.push_back(std::move(middleware));
}

Response Router::Dispatch(Request& request) const {
  auto parts = Split(request.path);
  const Route* found = nullptr;
  std::string allow;
  const Method wanted = request.method == Method::Head ? Method::Get : request.method;
  for (const auto& route : impl_->routes) {
    if (!route.Matches(parts)) continue;
    if (route.method == wanted) {
      found = &route;
      break;
    }
    std::string_view name = ToString(route.method);
    if (allow.find(name) == std::string::npos) allow += (allow.empty() ? "" : ", ") + std::string(name);
  }
  if (found == nullptr && !allow.empty()) {
    Error error(405, "metodo-nao-permitido", "Método não permitido",
                "O recurso não aceita " + request.method_text + "; aceita " + allow + ".");
    error.WithHeader("Allow", allow);
    throw error;
  }
  if (found == nullptr) throw NotFound("Nenhum recurso em " + request.path + ".");

  request.route = found->path_template;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (found->segments[i].is_param) request.path_params[found->segments[i].text] = PercentDecode(parts[i], false);
  }
  // Run the middleware chain, outermost first, ending in the handler.
  const auto& chain = impl_->middleware;
  std::function<Response(Request&, std::size_t)> step = [&](Request& r, std::size_t i) -> Response {
    if (i == chain.size()) return found->handler(r);
    return chain[i](r, [&step, i](Request& next) { return step(next, i + 1); });
  };
  return step(request, 0);
}

}  // namespace pharmasys::http
