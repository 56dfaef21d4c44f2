#pragma once
// Routes by method and path template ("/v1/ordens-producao/{id}/etapas/{ordem}/registros").
// An unknown path is a 404 problem; a known path with another method is a 405 with `Allow`.
// Middleware wraps every routed call in the order added (first added is outermost).
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

using Handler = std::function<Response(Request&)>;
using Next = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Next&)>;

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void Add(Method method, std::string_view path_template, Handler handler);
  void Get(std::string_view path, Handler h) { Add(Method::Get, path, std::move(h)); }
  void Post(std::string_view path, Handler h) { Add(Method::Post, path, std::move(h)); }
  void Put(std::string_view path, Handler h) { Add(Method::Put, path, std::move(h)); }
  void Patch(std::string_view path, Handler h) { Add(Method::Patch, path, std::move(h)); }
  void Delete(std::string_view path, Handler h) { Add(Method::Delete, path, std::move(h)); }
  void Use(Middleware middleware);

  struct RouteInfo {
    Method method;
    std::string path_template;
  };
  // Every registered route, in registration order (the contract test compares them with
  // docs/apis/<service>.openapi.yaml).
  std::vector<RouteInfo> Routes() const;

  // Finds the route, fills path_params and route, runs middleware and handler.
  // Throws pharmasys::Error (404, 405, or whatever the handler throws).
  Response Dispatch(Request& request) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pharmasys::http
