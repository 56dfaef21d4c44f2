#pragma once
// JSON in and out. Boost.JSON's value types are used as they are (their headers are cheap);
// parsing and serialising go through these functions so numbers stay exact.
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "pharmasys/decimal.hpp"

namespace pharmasys::json {

// Parses a request body. Malformed JSON, more than 64 levels of nesting, or a number whose
// text cannot be held exactly (more precision than a binary64 keeps) are refused:
// BadRequest (400) for the first two, ValidationError (422) for the last.
boost::json::value Parse(std::string_view text);

// Compact JSON. Non-integer numbers are written in their shortest exact form ("12.5",
// "0.001"), never in exponent form where plain decimals will do.
std::string Serialize(const boost::json::value& value);
// The same, appended to `out`; and a text as the JSON string Serialize writes for it. For
// answers written straight from rows, with the bytes Serialize would give their tree.
void AppendSerialized(std::string& out, const boost::json::value& value);
void AppendString(std::string& out, std::string_view text);

// An exact quantity as a JSON number: integer when whole, else the shortest decimal.
boost::json::value ToJson(Decimal quantity);

// An optional text as JSON: the string, or null.
boost::json::value ToJson(const std::optional<std::string>& text);

// Reads a JSON number as an exact Decimal; nullopt when it is not a number or has more than
// three decimal places.
std::optional<Decimal> DecimalFrom(const boost::json::value& number);

}  // namespace pharmasys::json
