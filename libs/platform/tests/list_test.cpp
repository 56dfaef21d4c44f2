// The list conventions of API.md: `ordem` read from the request, and the two statements a
// list query is made of.
#include <gtest/gtest.h>

#include <string_view>

#include "pharmasys/error.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys {
namespace {

http::Request WithQuery(std::string query) {
  http::Request r;
  r.path = "/v1/itens";
  r.query = std::move(query);
  r.target = r.path + "?" + r.query;
  return r;
}

TEST(ListOrder, AscendingUnlessDescIsAsked) {
  EXPECT_EQ(http::ListOrder(WithQuery("")), SortOrder::Ascending);
  EXPECT_EQ(http::ListOrder(WithQuery("limit=2")), SortOrder::Ascending);
  EXPECT_EQ(http::ListOrder(WithQuery("ordem=")), SortOrder::Ascending);
  EXPECT_EQ(http::ListOrder(WithQuery("ordem=asc")), SortOrder::Ascending);
  EXPECT_EQ(http::ListOrder(WithQuery("ordem=desc")), SortOrder::Descending);
  EXPECT_EQ(http::ListOrder(WithQuery("limit=2&ordem=%64esc&cursor=x")), SortOrder::Descending);
}

TEST(ListOrder, AnyOtherValueIsAValidationProblemNamingOrdem) {
  for (const char* query : {"ordem=DESC", "ordem=descending", "ordem=desc%20", "ordem=1", "ordem=asc,desc"}) {
    try {
      http::ListOrder(WithQuery(query));
      FAIL() << query;
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), 422) << query;
      EXPECT_EQ(e.slug(), "validacao") << query;
      ASSERT_EQ(e.errors().size(), 1u) << query;
      EXPECT_EQ(e.errors()[0].campo, "ordem") << query;
    }
  }
}

constexpr pg::ListQuery kItems = PHARMASYS_PG_LIST("items", "SELECT id FROM item ",
                                                   " AND ($1::text IS NULL OR codigo = $1)", "id", "$2::bigint", "$3");
constexpr pg::ListQuery kAll = PHARMASYS_PG_LIST("all", "SELECT id FROM item ", "", "id", "$1::bigint", "$2");

TEST(ListQuery, BothDirectionsFromOneText) {
  EXPECT_EQ(std::string_view(kItems.ascending.name), "items");
  EXPECT_EQ(std::string_view(kItems.ascending.sql),
            "SELECT id FROM item WHERE ($2::bigint IS NULL OR id > $2::bigint) AND ($1::text IS NULL OR codigo = $1)"
            " ORDER BY id LIMIT $3");
  EXPECT_EQ(std::string_view(kItems.descending.name), "items_desc");
  EXPECT_EQ(std::string_view(kItems.descending.sql),
            "SELECT id FROM item WHERE ($2::bigint IS NULL OR id < $2::bigint) AND ($1::text IS NULL OR codigo = $1)"
            " ORDER BY id DESC LIMIT $3");
  EXPECT_EQ(std::string_view(kAll.ascending.sql),
            "SELECT id FROM item WHERE ($1::bigint IS NULL OR id > $1::bigint) ORDER BY id LIMIT $2");
  EXPECT_EQ(&kItems[SortOrder::Ascending], &kItems.ascending);
  EXPECT_EQ(&kItems[SortOrder::Descending], &kItems.descending);
}

}  // namespace
}  // namespace pharmasys
