#include "pharmasys/json/schema.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "pharmasys/json/json.hpp"

namespace pharmasys::json {
namespace {

const auto kSchema = Parse(R"({
  "type": "object",
  "required": ["id", "tipo", "dados"],
  "additionalProperties": false,
  "properties": {
    "id": {"type": "string", "format": "uuid"},
    "tipo": {"const": "lote.criado"},
    "ocorrido_em": {"type": "string", "format": "date-time"},
    "dados": {"$ref": "#/$defs/dados"}
  },
  "$defs": {
    "dados": {
      "type": "object",
      "required": ["codigo", "quantidade", "origem"],
      "properties": {
        "codigo": {"type": "string", "minLength": 1, "maxLength": 8, "pattern": "^L-"},
        "quantidade": {"type": "number", "exclusiveMinimum": 0},
        "origem": {"enum": ["producao", "recebimento"]},
        "validade": {"type": "string", "format": "date"},
        "op_id": {"type": ["string", "null"]},
        "itens": {"type": "array", "minItems": 1, "items": {"type": "integer"}}
      }
    }
  }
})");

std::vector<std::string> Paths(const std::vector<SchemaError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.path);
  return out;
}

TEST(Schema, AcceptsAValidDocument) {
  auto doc = Parse(R"({"id":"0193a1f0-0000-7000-8000-000000000001","tipo":"lote.criado",
    "ocorrido_em":"2026-11-29T10:15:30.123Z","dados":{"codigo":"L-1","quantidade":12.5,"origem":"producao",
    "validade":"2027-01-31","op_id":null,"itens":[1,2]}})");
  EXPECT_TRUE(Validate(kSchema, doc).empty());
}

TEST(Schema, NamesEveryViolationByPointer) {
  auto doc = Parse(R"({"id":"nope","tipo":"lote.outro","extra":1,"ocorrido_em":"2026-13-01T00:00:00Z",
    "dados":{"codigo":"X-123456789","quantidade":0,"origem":"fabrica","validade":"2027-02-30","op_id":3,"itens":[]}})");
  auto paths = Paths(Validate(kSchema, doc));
  for (auto p : {"/id", "/tipo", "/extra", "/ocorrido_em", "/dados/codigo", "/dados/quantidade", "/dados/origem",
                 "/dados/validade", "/dados/op_id", "/dados/itens"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p;
  }
}

TEST(Schema, MissingRequiredAndWrongTypes) {
  auto paths = Paths(Validate(kSchema, Parse(R"({"dados":{"codigo":5,"quantidade":"1"}})")));
  for (auto p : {"/id", "/tipo", "/dados/origem", "/dados/codigo", "/dados/quantidade"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), p), paths.end()) << p;
  }
  EXPECT_FALSE(Validate(kSchema, Parse("[]")).empty());
}

TEST(Schema, OneOfAndAnyOf) {
  auto schema = Parse(R"({"oneOf":[{"type":"integer"},{"type":"number","minimum":10}]})");
  EXPECT_TRUE(Validate(schema, Parse("3")).empty());
  EXPECT_TRUE(Validate(schema, Parse("10.5")).empty());
  EXPECT_FALSE(Validate(schema, Parse("12")).empty());  // matches both
  EXPECT_FALSE(Validate(schema, Parse("\"x\"")).empty());
}

// Patterns are compiled once; the simple ones (^[set]{n}$, ^[set]{n,m}$) are matched without
// std::regex. Either way the answer is std::regex's (ECMAScript, regex_search).
TEST(Schema, PatternsAnswerAsStdRegexDoes) {
  const std::vector<std::string> patterns = {
      "^[0-9a-f]{64}$", "^[0-9a-f]{2,4}$", "^[a-z_.]{1,3}$", "^[A-Z]{2}$", "^L-",
      "^[^a]{2}$",      "^[a\\-z]{2}$",    "^[0-9]{2,}$",    "[0-9]{2}",   "^[0-9a-f]{2}$x"};
  const std::vector<std::string> texts = {"",
                                          "ab",
                                          "abc",
                                          "abcd",
                                          "abcde",
                                          "0f",
                                          "0F",
                                          "a-",
                                          "a.",
                                          "zz_",
                                          "L-1",
                                          "12",
                                          "123",
                                          "x12y",
                                          "\xc3\xa1",
                                          std::string(64, 'a'),
                                          std::string(63, 'a') + "g"};
  for (const auto& pattern : patterns) {
    const std::regex expected(pattern, std::regex::ECMAScript);
    auto schema = Parse(Serialize(boost::json::object{{"type", "string"}, {"pattern", pattern}}));
    for (int round = 0; round < 2; ++round) {  // compiled on the first, from the cache on the second
      for (const auto& text : texts) {
        const bool matches = std::regex_search(text.begin(), text.end(), expected);
        EXPECT_EQ(Validate(schema, boost::json::string(text)).empty(), matches) << pattern << " on '" << text << "'";
      }
    }
  }
}

TEST(Schema, DateTimesAreRfc3339) {
  auto schema = Parse(R"({"type":"string","format":"date-time"})");
  for (auto ok : {"2026-11-29T10:15:30Z", "2026-11-29T10:15:30.1Z", "2026-11-29T10:15:30.123456Z",
                  "2026-11-29T10:15:30+03:00", "2026-11-29T10:15:30-00:30", "2028-02-29T00:00:00Z"}) {
    EXPECT_TRUE(Validate(schema, boost::json::string(ok)).empty()) << ok;
  }
  for (auto bad : {"", "2026-11-29T10:15:30", "2026-11-29T10:15:30.Z", "2026-11-29 10:15:30Z", "2026-11-29t10:15:30Z",
                   "2026-11-29T10:15:30z", "2026-11-29T10:15:30+0300", "2026-11-29T10:15:30+03:00:00",
                   "2026-11-29T10:15:30.123Zx", "2026-13-01T00:00:00Z", "2027-02-29T00:00:00Z", "26-11-29T10:15:30Z",
                   "2026-11-29T1:15:30Z", "2026-11-29T10:15:3aZ", " 2026-11-29T10:15:30Z"}) {
    EXPECT_FALSE(Validate(schema, boost::json::string(bad)).empty()) << bad;
  }
}

}  // namespace
}  // namespace pharmasys::json
