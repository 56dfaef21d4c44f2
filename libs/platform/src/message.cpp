#include "pharmasys/http/message.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "pharmasys/error.hpp"
#include "pharmasys/http/list_page.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string_view ToString(Method method) {
  switch (method) {
    case Method::Get: return "GET";
    case Method::Head: return "HEAD";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
    case Method::Options: return "OPTIONS";
    case Method::Other: return "OTHER";
  }
  return "OTHER";
}

Method MethodFrom(std::string_view text) {
  for (Method m :
       {Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Options}) {
    if (text == ToString(m)) return m;
  }
  return Method::Other;
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (EqualsIgnoreCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view Headers::GetOr(std::string_view name, std::string_view fallback) const {
  return Get(name).value_or(fallback);
}

void Headers::Set(std::string name, std::string value) {
  Remove(name);
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return EqualsIgnoreCase(f.first, name); });
}

std::string TraceContext::ToTraceparent() const {
  return "00-" + trace_id + "-" + span_id + (sampled ? "-01" : "-00");
}

std::string_view Request::PathParam(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view{} : std::string_view(it->second);
}

std::optional<std::string> Request::Query(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    auto eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), true);
    if (key == name) return eq == std::string_view::npos ? std::string{} : PercentDecode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

boost::json::value Request::Json() const {
  auto type = headers.GetOr("Content-Type", "application/json");
  if (type.find("json") == std::string_view::npos) {
    throw Error(415, "tipo-de-midia-nao-suportado", "Tipo de mídia não suportado",
                "O corpo deve ser application/json.");
  }
  return json::Parse(body);
}

Response Response::Json(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.body = json::Serialize(body);
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.headers.Set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

Response Response::Empty(int status) {
  Response r;
  r.status = status;
  return r;
}

std::int64_t ListLimit(const Request& request) {
  auto text = request.Query("limit");
  if (!text || text->empty()) return 50;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > 500) {
    throw ValidationError(std::vector<FieldError>{{"limit", "deve ser um inteiro de 1 a 500"}});
  }
  return value;
}

std::optional<std::string> UuidCursor(const Request& request) {
  auto cursor = request.Query("cursor");
  if (!cursor || cursor->empty()) return std::nullopt;
  if (!json::IsUuid(*cursor)) throw ValidationError(std::vector<FieldError>{{"cursor", "cursor inválido"}});
  for (auto& c : *cursor) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return cursor;
}

SortOrder ListOrder(const Request& request) {
  auto text = request.Query("ordem");
  if (!text || text->empty() || *text == "asc") return SortOrder::Ascending;
  if (*text == "desc") return SortOrder::Descending;
  throw ValidationError(std::vector<FieldError>{{"ordem", "deve ser asc ou desc"}});
}

Response ListPage(boost::json::array items, std::optional<std::string> next_cursor) {
  boost::json::value next = nullptr;
  if (next_cursor) next = boost::json::string(*next_cursor);
  return Response::Json(200, boost::json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

void SetVersionTag(Response& response, std::int64_t versao) {
  response.headers.Set("ETag", "\"" + std::to_string(versao) + "\"");
}

void CheckIfMatch(const Request& request, std::int64_t versao) {
  auto match = request.headers.Get("If-Match");
  if (!match) return;
  std::string expected = "\"" + std::to_string(versao) + "\"";
  if (*match != expected && *match != "W/" + expected && *match != std::to_string(versao) && *match != "*") {
    throw Error(412, "versao-divergente", "Versão divergente",
                "O registro mudou (versão atual " + std::to_string(versao) + "); leia-o de novo.");
  }
}

std::map<std::string, std::string> ParseForm(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string value = eq == std::string_view::npos ? std::string{} : PercentDecode(pair.substr(eq + 1), true);
    out.emplace(PercentDecode(pair.substr(0, eq), true), std::move(value));
  }
  return out;
}

std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace pharmasys::http
