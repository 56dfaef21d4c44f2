#pragma once
// Who did a change, and the electronic signature it carried (RULES.md A1, S1–S4): what every
// audited act names, without the record's JSON.
#include <string>

namespace pharmasys::http {
struct Request;
}

namespace pharmasys::audit {

// Who did it and in which request.
struct Actor {
  std::string sub;
  std::string username;
  std::string nome;
  std::string request_id;
  static Actor From(const http::Request& request);
  static Actor System(std::string name);  // changes made by the service itself (events, jobs)
};

struct Signature {
  std::string nome;
  std::string significado;
  std::string em;  // RFC 3339
};

}  // namespace pharmasys::audit
