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
  std::string client_id;  // `azp`: the OAuth2 client the token was issued to
  bool HasRole(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }
};

}  // namespace pharmasys::http
