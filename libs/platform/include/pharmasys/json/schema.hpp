#pragma once
// JSON Schema validation (the subset the contracts in docs/ use: type, properties, required,
// additionalProperties, items, enum, const, minLength/maxLength, minimum/maximum,
// exclusiveMinimum, minItems/maxItems, pattern, format uuid/date/date-time, local $ref,
// allOf/anyOf/oneOf). Used to hold events and responses to their published schemas.
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace pharmasys::json {

struct SchemaError {
  std::string path;  // JSON Pointer of the offending value ("" for the root)
  std::string message;
};

// Every violation of `schema` by `instance` (empty when valid). `schema` is the root document
// that local "$ref": "#/$defs/..." pointers resolve against.
std::vector<SchemaError> Validate(const boost::json::value& schema, const boost::json::value& instance);

}  // namespace pharmasys::json
