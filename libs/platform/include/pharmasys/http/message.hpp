#pragma once
// The plain request/response types handlers see. No Beast, Asio or Boost.JSON here (only its
// forward declarations): a file that reads or writes JSON includes pharmasys/json/json.hpp.
#include <boost/json/fwd.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pharmasys/http/principal.hpp"
#include "pharmasys/list_order.hpp"

namespace pharmasys::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };
std::string_view ToString(Method method);
Method MethodFrom(std::string_view text);

// Header fields with case-insensitive names, in arrival order.
class Headers {
 public:
  std::optional<std::string_view> Get(std::string_view name) const;
  std::string_view GetOr(std::string_view name, std::string_view fallback) const;
  void Set(std::string name, std::string value);  // replaces every field of that name
  void Add(std::string name, std::string value);
  void Remove(std::string_view name);
  auto begin() const { return fields_.begin(); }
  auto end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// W3C trace context of a request: taken from `traceparent` or started here.
struct TraceContext {
  std::string trace_id;   // 32 lower-case hex
  std::string span_id;    // 16 hex: this service's span
  std::string parent_id;  // 16 hex or empty
  bool sampled = true;
  std::string ToTraceparent() const;  // the header value for calls this request makes
};

struct Request {
  Method method = Method::Get;
  std::string method_text;
  std::string target;  // as received: path and query
  std::string path;    // the path as sent, without the query (path parameters arrive decoded)
  std::string query;   // raw query string, without '?'
  Headers headers;
  std::string body;
  std::string remote_address;

  // Filled by the server and the router.
  std::string request_id;
  TraceContext trace;
  std::string route;    // the matching route's template, e.g. "/v1/ordens-producao/{id}"
  Principal principal;  // empty sub when the route is public
  std::map<std::string, std::string, std::less<>> path_params;

  std::string_view PathParam(std::string_view name) const;
  // The first value of a query parameter, percent-decoded.
  std::optional<std::string> Query(std::string_view name) const;
  // The body as JSON (400 when malformed, see json::Parse).
  boost::json::value Json() const;
};

// A body produced piece by piece (a proxied download, a large export): Next() blocks until
// the next piece is ready and returns nullopt at the end; it throws when the source fails,
// and the connection is then closed (the client sees a truncated chunked body).
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::optional<std::string> Next() = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body is streamed from here (chunked transfer coding) and `body` is ignored.
  std::shared_ptr<BodySource> stream;

  static Response Json(int status, const boost::json::value& body);
  static Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response Empty(int status);
};

std::string PercentDecode(std::string_view text, bool plus_as_space);
// A value for an application/x-www-form-urlencoded body or a query: every byte but the
// unreserved ones (RFC 3986 §2.3) percent-encoded.
std::string FormEncode(std::string_view text);
// The `limit` query parameter of a list (API.md: default 50, at most 500); 422 otherwise.
std::int64_t ListLimit(const Request& request);
// The `cursor` query parameter of a list keyed by a UUID (nullopt when absent); 422 otherwise.
std::optional<std::string> UuidCursor(const Request& request);
// The `ordem` query parameter of a list: `asc` (the default, oldest first, `cursor` continues to
// newer records) or `desc` (newest first, `cursor` continues to older ones); 422 otherwise.
SortOrder ListOrder(const Request& request);
// Optimistic concurrency (API.md): the resource's `versao` as its ETag, and a state change's
// `If-Match` checked against it (412 `versao-divergente` when it differs).
void SetVersionTag(Response& response, std::int64_t versao);
void CheckIfMatch(const Request& request, std::int64_t versao);

// application/x-www-form-urlencoded (or a query string): name → first value, decoded.
std::map<std::string, std::string> ParseForm(std::string_view text);

}  // namespace pharmasys::http
