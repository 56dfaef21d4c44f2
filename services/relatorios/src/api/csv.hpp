#pragma once
// RFC 4180 CSV: fields quoted when they hold a comma, a quote or a line break; CRLF lines.
#include <string>
#include <string_view>
#include <vector>

namespace pharmasys::relatorios {

inline std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

inline std::string CsvLine(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + CsvField(fields[i]);
  return line + "\r\n";
}

inline bool WantsCsv(std::string_view accept) {
  return accept.find("text/csv") != std::string_view::npos;
}

}  // namespace pharmasys::relatorios
