#pragma once
// Identifiers: UUIDv7 (time-ordered, RFC 9562) for every record, random hex for trace ids.
#include <string>

namespace pharmasys::ids {

std::string NewUuidV7();
// `bytes` random bytes as lower-case hex (trace id: 16, span id: 8).
std::string RandomHex(std::size_t bytes);

}  // namespace pharmasys::ids
