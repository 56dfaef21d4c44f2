#include "static_files.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "pharmasys/error.hpp"

namespace pharmasys::gateway {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxFileSize = 32 * 1024 * 1024;

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

}  // namespace

std::string_view ContentTypeFor(const fs::path& file) {
  std::string extension = file.extension().string();
  for (auto& ch : extension) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (const auto& t : kTypes) {
    if (t.extension == extension) return t.content_type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::optional<fs::path> root) {
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

http::Response StaticFiles::Serve(const http::Request& request) const {
  if (request.method != http::Method::Get && request.method != http::Method::Head) {
    Error error(405, "metodo-nao-permitido", "Método não permitido",
                "O recurso não aceita " + request.method_text + "; aceita GET, HEAD.");
    error.WithHeader("Allow", "GET, HEAD");
    throw error;
  }
  auto file = File(request.path);
  if (!file) throw Missing(request.path);
  std::error_code ec;
  auto size = fs::file_size(*file, ec);
  if (ec || size > kMaxFileSize) throw Missing(request.path);
  std::ifstream in(*file, std::ios::binary);
  if (!in) throw Missing(request.path);
  std::ostringstream content;
  content << in.rdbuf();
  http::Response response = http::Response::Text(200, std::move(content).str(), std::string(ContentTypeFor(*file)));
  // The UI's files change with each release and carry no version in their names.
  response.headers.Set("Cache-Control", "no-cache");
  response.headers.Set("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace pharmasys::gateway
