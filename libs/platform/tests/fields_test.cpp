#include "pharmasys/json/fields.hpp"

#include <gtest/gtest.h>

#include "pharmasys/json/json.hpp"

namespace pharmasys::json {
namespace {

std::vector<FieldError> ErrorsOf(const Fields& f) {
  try {
    f.Finish();
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.slug(), "validacao");
    return e.errors();
  }
  return {};
}

bool Names(const std::vector<FieldError>& errors, std::string_view campo) {
  for (const auto& e : errors) {
    if (e.campo == campo) return true;
  }
  return false;
}

TEST(Fields, ReadsAValidBody) {
  auto body = Parse(R"({"material":"MP-001","quantidade":12.5,"validade":"2027-02-28","tipo":"insumo",
                        "ativo":true,"ordem":3,"id":"0193A1F0-0000-7000-8000-000000000001"})");
  Fields f(body);
  EXPECT_EQ(f.String("material"), "MP-001");
  EXPECT_EQ(f.Quantity("quantidade").ToString(), "12.5");
  EXPECT_EQ(FormatDate(f.Date("validade")), "2027-02-28");
  EXPECT_EQ(f.Enum("tipo", {"insumo", "produto"}), "insumo");
  EXPECT_TRUE(f.Bool("ativo"));
  EXPECT_EQ(f.Integer("ordem", 1, 100), 3);
  EXPECT_EQ(f.Uuid("id"), "0193a1f0-0000-7000-8000-000000000001");
  EXPECT_FALSE(f.OptionalString("observacao"));
  EXPECT_NO_THROW(f.Finish());
}

TEST(Fields, ListsEveryBadFieldAtOnce) {
  auto body = Parse(R"({"quantidade":0,"validade":"2027-02-30","tipo":"outro","ordem":"3","motivo":"ab",
                        "itens":[{"quantidade":1.5},{"quantidade":-1}]})");
  Fields f(body);
  f.String("material");
  f.Quantity("quantidade");
  f.Date("validade");
  f.Enum("tipo", {"insumo", "produto"});
  f.Integer("ordem", 1, 100);
  f.Motivo();
  for (auto& item : f.Items("itens")) item.Quantity("quantidade");
  auto errors = ErrorsOf(f);
  EXPECT_EQ(errors.size(), 7u);
  for (auto campo : {"material", "quantidade", "validade", "tipo", "ordem", "motivo", "itens[1].quantidade"}) {
    EXPECT_TRUE(Names(errors, campo)) << campo;
  }
  EXPECT_FALSE(Names(errors, "itens[0].quantidade"));
}

TEST(Fields, QuantityRulesOfTheContract) {
  // ≤ 0, more than three places, or not a number: all 422.
  for (const char* bad : {"0", "-1", "1.0001", "\"5\"", "true", "[]", "1e-4"}) {
    auto body = Parse(std::string(R"({"quantidade":)") + bad + "}");
    Fields f(body);
    f.Quantity("quantidade");
    EXPECT_TRUE(Names(ErrorsOf(f), "quantidade")) << bad;
  }
  for (const char* good : {"0.001", "1", "1.5e2", "999999999999.999"}) {
    auto body = Parse(std::string(R"({"quantidade":)") + good + "}");
    Fields f(body);
    f.Quantity("quantidade");
    EXPECT_TRUE(f.ok()) << good;
  }
}

TEST(Fields, BodyThatIsNotAnObject) {
  auto body = Parse("[1,2]");
  Fields f(body);
  f.String("material");
  auto errors = ErrorsOf(f);
  EXPECT_TRUE(Names(errors, "corpo"));
}

TEST(Fields, StringLengthCountsCharactersNotBytes) {
  auto body = Parse(R"({"nome":"Ação"})");
  Fields f(body);
  EXPECT_EQ(f.String("nome", {.min_length = 4, .max_length = 4}), "Ação");
  EXPECT_TRUE(f.ok());
}

TEST(Fields, NestedObjectPathsAreQualified) {
  auto body = Parse(R"({"cliente":{"nome":""}})");
  Fields f(body);
  auto cliente = f.Object("cliente");
  cliente.String("nome");
  cliente.String("documento");
  auto errors = ErrorsOf(f);
  EXPECT_TRUE(Names(errors, "cliente.nome"));
  EXPECT_TRUE(Names(errors, "cliente.documento"));
}

TEST(Fields, KeepsATemporaryBodyAlive) {
  Fields f(Parse(R"({"material":"MP-001","itens":[{"q":1}]})"));  // the parsed value is a temporary
  EXPECT_EQ(f.String("material"), "MP-001");
  auto items = f.Items("itens");
  EXPECT_EQ(items.at(0).Quantity("q").ToString(), "1");
  EXPECT_TRUE(f.ok());
}

TEST(Fields, Dates) {
  EXPECT_TRUE(ParseDate("2028-02-29"));
  EXPECT_FALSE(ParseDate("2027-02-29"));
  EXPECT_FALSE(ParseDate("2027-13-01"));
  EXPECT_FALSE(ParseDate("27-01-01"));
  EXPECT_FALSE(ParseDate("2027-1-01"));
  EXPECT_FALSE(ParseDate("2027-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace pharmasys::json
