#include "pharmasys/json/json.hpp"

#include <gtest/gtest.h>

#include <cstdio>

#include "pharmasys/error.hpp"

namespace pharmasys::json {
namespace {

TEST(Json, ParsesObjects) {
  auto v = Parse(R"({"a": 1, "b": [true, null, "x"], "c": {"d": 2.5}})");
  EXPECT_EQ(v.at("a").as_int64(), 1);
  EXPECT_EQ(v.at("b").as_array().size(), 3u);
  EXPECT_EQ(v.at("c").at("d").as_double(), 2.5);
}

// proves: X4
TEST(Json, MalformedBodyIsABadRequest) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,2", "nul", "{\"a\":1} trailing", "{'a':1}", "\"\\x\""}) {
    try {
      Parse(bad);
      FAIL() << "accepted: " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), 400) << bad;
      EXPECT_EQ(e.slug(), "requisicao-malformada");
    }
  }
}

// proves: X4
TEST(Json, DeepNestingIsRefusedNotOverflowingTheStack) {
  std::string deep(100000, '[');
  EXPECT_THROW(Parse(deep), BadRequest);
  std::string ok = std::string(60, '[') + std::string(60, ']');
  EXPECT_NO_THROW(Parse(ok));
}

TEST(Json, NumberTooPreciseForExactReadingIsAValidationError) {
  // 17 significant digits: the nearest double is 1.0, so reading it would silently change it.
  try {
    Parse(R"({"quantidade": 1.0000000000000001})");
    FAIL();
  } catch (const ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_NE(e.errors()[0].mensagem.find("1.0000000000000001"), std::string::npos);
  }
  EXPECT_THROW(Parse("[123456789012345678901234567890]"), ValidationError);
  EXPECT_NO_THROW(Parse("[0.1, 999999999999.999, 1e-3, 12.50, -0.0]"));
}

// Found by fuzz_json_fields: Boost.JSON 1.81 read "0e786" as NaN (written back as null) and
// "5678000000000e30" and "5.678e+42" as different doubles (the value we wrote back was
// refused on its way in). Numbers are read correctly rounded.
TEST(Json, NumbersReadBackFromTheirOwnSerialization) {
  EXPECT_EQ(Serialize(Parse("[1,0e786]")), "[1,0]");
  for (const char* text : {"5678000000000e30", "5.678e+42", "-3450.180000001", "1e308", "0.1"}) {
    auto once = Serialize(Parse(text));
    EXPECT_NO_THROW(EXPECT_EQ(Serialize(Parse(once)), once)) << text;
  }
  EXPECT_EQ(Parse("5678000000000e30").as_double(), 5.678e42);
}

TEST(Json, SerializesDecimalsInPlainForm) {
  boost::json::object o{{"q", 12.5}, {"small", 0.001}, {"i", 3}, {"s", "a\"b\n\x01"}, {"n", nullptr}};
  EXPECT_EQ(Serialize(o), R"({"q":12.5,"small":0.001,"i":3,"s":"a\"b\n\u0001","n":null})");
}

TEST(Json, DecimalRoundTripsExactlyThroughJson) {
  for (const char* text : {"0.001", "12.5", "999999999999.999", "123456.789", "7"}) {
    Decimal d = *Decimal::Parse(text);
    std::string out = Serialize(boost::json::array{ToJson(d)});
    EXPECT_EQ(out, std::string("[") + text + "]");
    auto back = DecimalFrom(Parse(out).as_array()[0]);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, d);
  }
}

TEST(Json, DecimalFromRefusesNonNumbersAndExtraPlaces) {
  EXPECT_FALSE(DecimalFrom(boost::json::value("1.5")));
  EXPECT_FALSE(DecimalFrom(boost::json::value(true)));
  EXPECT_FALSE(DecimalFrom(Parse("[1.0001]").as_array()[0]));
  EXPECT_EQ(DecimalFrom(Parse("[1.500]").as_array()[0])->units(), 1500);
  EXPECT_EQ(DecimalFrom(Parse("[-4]").as_array()[0])->units(), -4000);
}

// Every byte in every position of a run: the escapes are the same however long the text
// around them, and everything else is copied as it is.
TEST(Json, StringsAreEscapedByteByByteWhateverTheirLength) {
  auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
    }
    return out + "\"";
  };
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t length : {1u, 7u, 8u, 9u, 16u, 17u, 40u}) {
      for (std::size_t at = 0; at < length; at += 3) {
        std::string text(length, 'a');
        text[at] = static_cast<char>(byte);
        EXPECT_EQ(Serialize(boost::json::string(text)), reference(text)) << "byte " << byte << " at " << at;
      }
    }
  }
  const std::string mixed = "Fábrica \"A\"\\\n\x01\x7f\xff plain text of some length, then \t a tab";
  EXPECT_EQ(Serialize(boost::json::string(mixed)), reference(mixed));
}

}  // namespace
}  // namespace pharmasys::json
