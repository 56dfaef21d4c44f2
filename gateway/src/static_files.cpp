#include "static_files.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "pharmasys/error.hpp"
#include "routing.hpp"

namespace pharmasys::gateway {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxFileSize = 32 * 1024 * 1024;
// Vite names everything under assets/ after its content: a changed file is a new name.
constexpr std::string_view kAssetsFolder = "assets";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

struct Type {
  std::string_view extension;
  std::string_view content_type;
};
constexpr Type kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
    {".xml", "application/xml"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
    {".wasm", "application/wasm"},
    {".pdf", "application/pdf"},
};

bool Inside(const fs::path& root, const fs::path& candidate) {
  auto [r, c] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return r == root.end();
}

NotFound Missing(std::string_view path) {
  return NotFound("Nenhum arquivo em " + std::string(path) + ".");
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// A weight (`q=`) of zero: "0", "0.", "0.0", ... up to three decimals.
bool IsZeroWeight(std::string_view q) {
  if (q.empty() || q.front() != '0') return false;
  q.remove_prefix(1);
  if (q.empty()) return true;
  if (q.front() != '.' || q.size() > 4) return false;
  return std::all_of(q.begin() + 1, q.end(), [](char c) { return c == '0'; });
}

// An error answer from the web root: it carries the security headers too.
Error WithHeaders(Error error, const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) error.WithHeader(name, value);
  return error;
}

std::optional<std::string> ReadWhole(const fs::path& file) {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec || size > kMaxFileSize) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return std::move(content).str();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SecurityHeaders(std::string_view content_security_policy) {
  return {{"Content-Security-Policy", std::string(content_security_policy)},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"X-Frame-Options", "DENY"},
          {"Permissions-Policy", "camera=(), microphone=(), geolocation=()"}};
}

bool AcceptsGzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  while (!accept_encoding.empty()) {
    auto comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding.remove_prefix(comma == std::string_view::npos ? accept_encoding.size() : comma + 1);
    auto semicolon = item.find(';');
    std::string_view coding = Trim(item.substr(0, semicolon));
    bool accepted = true;
    while (semicolon != std::string_view::npos) {
      item.remove_prefix(semicolon + 1);
      semicolon = item.find(';');
      std::string_view parameter = Trim(item.substr(0, semicolon));
      auto equals = parameter.find('=');
      if (equals != std::string_view::npos && EqualsIgnoreCase(Trim(parameter.substr(0, equals)), "q")) {
        accepted = !IsZeroWeight(Trim(parameter.substr(equals + 1)));
      }
    }
    if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
      gzip = gzip.value_or(false) || accepted;
    } else if (coding == "*") {
      any = any.value_or(false) || accepted;
    }
  }
  if (gzip) return *gzip;
  return any.value_or(false);
}

std::string_view ContentTypeFor(const fs::path& file) {
  std::string extension = file.extension().string();
  for (auto& ch : extension) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const auto& t : kTypes) {
    if (t.extension == extension) return t.content_type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::optional<fs::path> root, std::string content_security_policy)
    : security_headers_(SecurityHeaders(content_security_policy)) {
  if (root) root_ = fs::weakly_canonical(*root);
}

std::optional<fs::path> StaticFiles::File(std::string_view request_path) const {
  if (!root_) return std::nullopt;
  // Decide on the decoded path: "%2e%2e" is "..", "%2f" a separator.
  std::string decoded = http::PercentDecode(request_path, false);
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) return std::nullopt;
  fs::path relative;
  std::string_view rest = decoded;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (segment == "..") return std::nullopt;
    if (!segment.empty() && segment != ".") relative /= std::string(segment);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  std::error_code ec;
  fs::path candidate = fs::weakly_canonical(*root_ / relative, ec);
  if (ec || !Inside(*root_, candidate)) return std::nullopt;
  if (fs::is_directory(candidate, ec)) candidate = fs::weakly_canonical(candidate / "index.html", ec);
  if (ec || !Inside(*root_, candidate) || !fs::is_regular_file(candidate, ec)) return std::nullopt;
  return candidate;
}

std::optional<fs::path> StaticFiles::Precompressed(const fs::path& file) const {
  fs::path gzip = file;
  gzip += ".gz";
  std::error_code ec;
  gzip = fs::weakly_canonical(gzip, ec);
  if (ec || !Inside(*root_, gzip) || !fs::is_regular_file(gzip, ec)) return std::nullopt;
  return gzip;
}

bool StaticFiles::IsAsset(const fs::path& file) const {
  auto relative = file.lexically_relative(*root_);
  return !relative.empty() && *relative.begin() == kAssetsFolder && std::next(relative.begin()) != relative.end();
}

http::Response StaticFiles::Serve(const http::Request& request) const {
  if (request.method != http::Method::Get && request.method != http::Method::Head) {
    Error error(405, "metodo-nao-permitido", "Método não permitido",
                "O recurso não aceita " + request.method_text + "; aceita GET, HEAD.");
    error.WithHeader("Allow", "GET, HEAD");
    throw WithHeaders(std::move(error), security_headers_);
  }
  auto file = File(request.path);
  // A page of the application, reloaded or linked to: the application opens there.
  if (!file && IsWebUiRoute(request.path)) file = File("/index.html");
  if (!file) throw WithHeaders(Missing(request.path), security_headers_);

  auto gzip = Precompressed(*file);
  const bool compressed = gzip && AcceptsGzip(request.headers.GetOr("Accept-Encoding", ""));
  auto content = ReadWhole(compressed ? *gzip : *file);
  if (!content) throw WithHeaders(Missing(request.path), security_headers_);
  http::Response response = http::Response::Text(200, std::move(*content), std::string(ContentTypeFor(*file)));
  if (compressed) response.headers.Set("Content-Encoding", "gzip");
  if (gzip) response.headers.Set("Vary", "Accept-Encoding");
  // Unversioned names (index.html, favicon.ico) are revalidated on every use.
  response.headers.Set("Cache-Control", IsAsset(*file) ? std::string(kImmutable) : "no-cache");
  for (const auto& [name, value] : security_headers_) response.headers.Set(name, value);
  return response;
}

}  // namespace pharmasys::gateway
