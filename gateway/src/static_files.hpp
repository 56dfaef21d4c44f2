#pragma once
// The web UI's files, from a folder (PHARMASYS_WEB_ROOT): `/` is index.html, a folder is its
// index.html, the Content-Type follows the extension. Nothing outside the folder is ever
// served: `..` segments (also percent-encoded), NUL bytes and backslashes are refused, and the
// resolved path (symbolic links followed) must still lie inside the folder.
#include <filesystem>
#include <optional>
#include <string_view>

#include "pharmasys/http/message.hpp"

namespace pharmasys::gateway {

std::string_view ContentTypeFor(const std::filesystem::path& file);

class StaticFiles {
 public:
  // No root: every path is a 404.
  explicit StaticFiles(std::optional<std::filesystem::path> root);

  // GET and HEAD; other methods get 405. Throws pharmasys::Error (404 nao-encontrado).
  http::Response Serve(const http::Request& request) const;

 private:
  std::optional<std::filesystem::path> File(std::string_view request_path) const;
  std::optional<std::filesystem::path> root_;  // canonical
};

}  // namespace pharmasys::gateway
