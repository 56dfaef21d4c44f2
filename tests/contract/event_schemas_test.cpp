// Contract: docs/events holds one valid JSON Schema per event of the catalogue, and the
// broker topology binds exactly those event types.
#include <gtest/gtest.h>

#include <set>

#include "pharmasys/amqp/amqp.hpp"
#include "pharmasys/embedded.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using namespace pharmasys;

TEST(EventSchemas, EveryRoutedEventHasASchemaAndEverySchemaIsRouted) {
  std::set<std::string> routed, documented;
  for (const auto& spec : amqp::Topology()) routed.insert(spec.routing_keys.begin(), spec.routing_keys.end());
  for (const auto& file : embedded::EventSchemaFiles()) {
    std::string name = file.name;
    ASSERT_TRUE(name.ends_with(".v1.schema.json")) << name;
    documented.insert(name.substr(0, name.size() - std::string(".v1.schema.json").size()));
  }
  EXPECT_EQ(routed, documented);
}

TEST(EventSchemas, EachSchemaDescribesTheEnvelopeOfItsType) {
  for (const auto& file : embedded::EventSchemaFiles()) {
    auto schema = json::Parse(file.content);
    std::string tipo = std::string(file.name).substr(0, std::string(file.name).find(".v1.schema.json"));
    EXPECT_EQ(schema.at("properties").at("tipo").at("const").as_string(), tipo) << file.name;
    std::set<std::string> required;
    for (const auto& r : schema.at("required").as_array()) required.insert(std::string(r.as_string()));
    for (auto field : {"id", "tipo", "versao", "ocorrido_em", "origem", "correlacao_id", "usuario", "dados"}) {
      EXPECT_TRUE(required.count(field)) << file.name << " does not require " << field;
    }
    EXPECT_EQ(events::SchemaOf(tipo), events::SchemaOf(tipo));  // loaded once, found by type
    ASSERT_NE(events::SchemaOf(tipo), nullptr) << tipo;
  }
}

TEST(EventSchemas, AnEnvelopeFromEventNewFitsWhenItsDataDoes) {
  auto e = events::Event::New(
      "desvio.encerrado", "cq",
      {{"desvio_id", "0193a1f0-0000-7000-8000-000000000001"}, {"op_id", "0193a1f0-0000-7000-8000-000000000002"}},
      {"sub-1", "analista"});
  EXPECT_TRUE(events::SchemaViolations(e.ToJson()).empty());
  e.dados.erase("op_id");
  EXPECT_FALSE(events::SchemaViolations(e.ToJson()).empty());
}

}  // namespace
