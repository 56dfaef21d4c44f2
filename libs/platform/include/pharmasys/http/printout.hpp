#pragma once
// A record printed (RULES.md G2): asked for with `Accept: application/pdf`, answered inline,
// with the SHA-256 of the record's document (its canonical JSON without `gerado_em`, so the
// same record has the same hash whenever it is printed) in `X-Hash-Do-Registro` and on every
// page's footer.
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

inline bool WantsPdf(const Request& request) {
  return request.headers.GetOr("Accept", "").find("application/pdf") != std::string_view::npos;
}

inline std::string DocumentHash(const boost::json::object& documento) {
  boost::json::object copy = documento;
  copy.erase("gerado_em");
  return crypto::Sha256Hex(audit::CanonicalJson(copy));
}

// The PDF's bytes as `filename` (without extension), with the document's hash when it has one.
inline Response PdfResponse(std::string pdf, const std::string& filename, const std::string& hash = "") {
  auto res = Response::Text(200, std::move(pdf), "application/pdf");
  res.headers.Set("Content-Disposition", "inline; filename=\"" + filename + ".pdf\"");
  if (!hash.empty()) res.headers.Set("X-Hash-Do-Registro", hash);
  return res;
}

}  // namespace pharmasys::http
