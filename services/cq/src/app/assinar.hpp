#pragma once
// The electronic signature of a signed act (RULES.md S1–S3), as the use cases ask for it.
#include <functional>
#include <string>
#include <string_view>

#include "pharmasys/audit/audit.hpp"

namespace pharmasys::cq {

// The electronic signature of the act, bound to `registro` with `significado` (the caller's
// signature token, consumed in the same transaction).
using Assinar = std::function<audit::Signature(const std::string& registro, std::string_view significado)>;

}  // namespace pharmasys::cq
