#pragma once
// CSV exports, safe to open in a spreadsheet (RULES.md X8).
//
// RFC 4180 by default: `,`-separated, fields quoted when they hold the separator, a quote or a
// line break, CRLF lines. `?formato=excel` gives the flavour a pt-BR spreadsheet opens as is:
// `;`-separated, UTF-8 with a byte order mark, decimal comma in numbers, CRLF lines.
//
// A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as
// a formula (OWASP "CSV injection"): it is written with a leading `'`, which a spreadsheet
// shows as text. A cell the export writes as a number (a quantity, a sequence) is left as it
// is, so `-5` stays `-5`; a "number" that is not a plain decimal is treated as text.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pharmasys/error.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys {

struct CsvFormat {
  char separator = ',';
  bool decimal_comma = false;
  bool byte_order_mark = false;
};

inline constexpr CsvFormat kRfc4180Csv{};
inline constexpr CsvFormat kExcelCsv{.separator = ';', .decimal_comma = true, .byte_order_mark = true};

struct CsvCell {
  // Implicit: text is the usual cell.
  CsvCell(std::string value) : text(std::move(value)) {}
  CsvCell(const char* value) : text(value) {}
  std::string text;
  bool number = false;
};

// A cell the export writes as a number ("12.5", "-5", "42").
inline CsvCell CsvNumber(std::string value) {
  CsvCell cell(std::move(value));
  cell.number = true;
  return cell;
}

// A JSON number as a number cell, exactly as it was written (a quantity stays "2.5").
inline CsvCell CsvNumberOf(const boost::json::value& value) {
  if (auto number = json::DecimalFrom(value)) return CsvNumber(number->ToString());
  return CsvCell(value.is_string() ? std::string(value.as_string()) : json::Serialize(value));
}

// A plain decimal: optional minus, digits, optionally a point and digits. Nothing else.
inline bool IsPlainDecimal(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto point = text.find('.');
  auto whole = text.substr(0, point);
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), is_digit)) return false;
  if (point == std::string_view::npos) return true;
  auto fraction = text.substr(point + 1);
  return !fraction.empty() && std::all_of(fraction.begin(), fraction.end(), is_digit);
}

inline bool LooksLikeFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

inline std::string CsvField(const CsvCell& cell, const CsvFormat& format = kRfc4180Csv) {
  std::string text = cell.text;
  if (cell.number && IsPlainDecimal(text)) {
    if (format.decimal_comma) std::replace(text.begin(), text.end(), '.', ',');
  } else if (LooksLikeFormula(text)) {
    text.insert(text.begin(), '\'');
  }
  const char specials[] = {format.separator, '"', '\r', '\n', '\0'};
  if (text.find_first_of(specials) == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

inline std::string CsvLine(const std::vector<CsvCell>& fields, const CsvFormat& format = kRfc4180Csv) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += format.separator;
    line += CsvField(fields[i], format);
  }
  return line + "\r\n";
}

// The CSV the request asks for, if any: `?formato=excel` (the pt-BR spreadsheet flavour),
// `?formato=csv` or `Accept: text/csv` (RFC 4180). Another `formato` is a 422.
inline std::optional<CsvFormat> RequestedCsv(const http::Request& request) {
  if (auto formato = request.Query("formato")) {
    if (*formato == "excel") return kExcelCsv;
    if (*formato == "csv") return kRfc4180Csv;
    throw ValidationError(std::vector<FieldError>{{"formato", "use csv ou excel"}});
  }
  if (request.headers.GetOr("Accept", "").find("text/csv") != std::string_view::npos) return kRfc4180Csv;
  return std::nullopt;
}

// The answer for a CSV export: `body` is its lines; `name` the file name without extension.
inline http::Response CsvResponse(std::string body, const CsvFormat& format, const std::string& name) {
  if (format.byte_order_mark) body.insert(0, "\xEF\xBB\xBF");
  auto res = http::Response::Text(200, std::move(body), "text/csv; charset=utf-8");
  res.headers.Set("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  return res;
}

}  // namespace pharmasys
