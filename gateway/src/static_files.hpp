#pragma once
// The web UI's files, from a folder (PHARMASYS_WEB_ROOT): a single-page application as Vite
// builds it, `index.html` and content-hashed files under `assets/`.
//
//   - `/` is index.html, a folder is its index.html, the Content-Type follows the extension.
//   - History fallback: a path the UI routes in the browser (routing.hpp, IsWebUiRoute) with no
//     file of its own is answered with the root's index.html, so a reload or a link to
//     `/lotes/abc` opens the application there; a missing file with an extension stays a 404.
//   - Caching: `assets/` holds names that change with their content, cached for a year as
//     immutable; everything else (index.html above all) is `no-cache`, revalidated each time.
//   - A `<file>.gz` beside a file is sent instead, with `Content-Encoding: gzip`, to a client
//     that accepts gzip; both variants say `Vary: Accept-Encoding`.
//   - Every answer, errors included, carries the Content-Security-Policy and the other
//     security headers (SecurityHeaders()).
//
// Nothing outside the folder is ever served: `..` segments (also percent-encoded), NUL bytes
// and backslashes are refused, and the resolved path (symbolic links followed) must still lie
// inside the folder — the compressed variant's too.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pharmasys/http/message.hpp"

namespace pharmasys::gateway {

// The policy of PHARMASYS_WEB_CSP when unset: the application's own scripts, styles, fonts
// and API only; images also from data: and blob: URLs (generated PDFs, previews); no plugins,
// no <base>, forms only to itself, never inside a frame.
inline constexpr std::string_view kDefaultContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The security headers of every answer from the web root.
std::vector<std::pair<std::string, std::string>> SecurityHeaders(std::string_view content_security_policy);

std::string_view ContentTypeFor(const std::filesystem::path& file);

// Whether an Accept-Encoding value (RFC 9110 §12.5.3) admits gzip: `gzip` or `x-gzip` with a
// non-zero weight, or, when neither is named, `*` with a non-zero weight.
bool AcceptsGzip(std::string_view accept_encoding);

class StaticFiles {
 public:
  // No root: every path is a 404.
  explicit StaticFiles(std::optional<std::filesystem::path> root,
                       std::string content_security_policy = std::string(kDefaultContentSecurityPolicy));

  // GET and HEAD; other methods get 405. Throws pharmasys::Error (404 nao-encontrado).
  http::Response Serve(const http::Request& request) const;

 private:
  std::optional<std::filesystem::path> File(std::string_view request_path) const;
  // `file` with its name + ".gz", when that is a regular file inside the root.
  std::optional<std::filesystem::path> Precompressed(const std::filesystem::path& file) const;
  bool IsAsset(const std::filesystem::path& file) const;

  std::optional<std::filesystem::path> root_;  // canonical
  std::vector<std::pair<std::string, std::string>> security_headers_;
};

}  // namespace pharmasys::gateway
