#pragma once
// Who is calling: filled from the validated access token by the authentication middleware.
#include <algorithm>
#include <string>
#include <vector>

namespace pharmasys::http {

struct Principal {
  std::string sub;
  std::string username;
  std::string nome;
  std::vector<std::string> roles;
  bool HasRole(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }
};

}  // namespace pharmasys::http
