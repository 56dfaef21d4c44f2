#include "pharmasys/http/problem.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <exception>

#include "pharmasys/log/log.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::http {

Response ProblemResponse(const Error& error, std::string_view instance, std::string_view request_id) {
  boost::json::object body;
  body["type"] = std::string(kProblemBase) + error.slug();
  body["title"] = error.title();
  body["status"] = error.status();
  body["detail"] = error.detail();
  body["instance"] = instance;
  if (!request_id.empty()) body["request_id"] = request_id;
  if (!error.errors().empty()) {
    boost::json::array errors;
    for (const auto& e : error.errors())
      errors.push_back(boost::json::object{{"campo", e.campo}, {"mensagem", e.mensagem}});
    body["errors"] = std::move(errors);
  }
  Response response = Response::Json(error.status(), body);
  response.headers.Set("Content-Type", "application/problem+json");
  for (const auto& [name, value] : error.headers()) response.headers.Set(name, value);
  return response;
}

Response ResponseForException(const std::exception_ptr& failure, const Request& request) {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& error) {
    return ProblemResponse(error, request.path, request.request_id);
  } catch (const pg::SqlError& sql) {
    Error mapped = pg::ToHttpError(sql);
    if (mapped.status() >= 500)
      log::Error("database error", {{"db.sqlstate", sql.sqlstate()}, {"error.message", sql.what()}});
    return ProblemResponse(mapped, request.path, request.request_id);
  } catch (const std::exception& unexpected) {
    log::Error("unhandled exception in handler",
               {{"error.message", unexpected.what()}, {"http.route", request.route}, {"url.path", request.path}});
  } catch (...) {
    log::Error("unhandled non-standard exception in handler", {{"url.path", request.path}});
  }
  return ProblemResponse(
      Error(500, "erro-interno", "Erro interno", "Ocorreu um erro inesperado. Informe o request_id ao suporte."),
      request.path, request.request_id);
}

}  // namespace pharmasys::http
