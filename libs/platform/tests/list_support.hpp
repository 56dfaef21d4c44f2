#pragma once
// A list read as a client reads it (API.md: `limit`, `cursor`, `ordem`), following next_cursor
// page by page, and the checks every newest-first list must pass.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "pharmasys/http/client.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::testing {

// The answer to a GET of `target` (path and query) as JSON; throws unless it is a 200.
using PageReader = std::function<boost::json::value(const std::string& target)>;
// What names an item in its list (its `id`, mostly).
using ItemKey = std::function<std::string(const boost::json::object& item)>;

inline std::string IdOf(const boost::json::object& item) {
  return std::string(item.at("id").as_string());
}

struct ListRead {
  std::vector<std::string> keys;          // every item's key, in the order the pages gave them
  std::vector<std::size_t> page_sizes;    // items per page
  std::vector<std::string> cursors;       // the next_cursor of each page but the last
  std::vector<std::string> last_of_page;  // the key of the last item of each of those pages
};

// Every page of `path` (which may carry filters of its own) with `params` added, following
// next_cursor until it is null; at most `max_pages`.
inline ListRead ReadList(const PageReader& get, const std::string& path, const std::string& params,
                         const ItemKey& key = IdOf, int max_pages = 100) {
  ListRead read;
  const char glue = path.find('?') == std::string::npos ? '?' : '&';
  std::string cursor;
  for (int page = 0; page < max_pages; ++page) {
    std::string target = path + glue + params + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto answer = get(target).as_object();
    const auto& items = answer.at("items").as_array();
    for (const auto& item : items) read.keys.push_back(key(item.as_object()));
    read.page_sizes.push_back(items.size());
    const auto& next = answer.at("next_cursor");
    if (next.is_null()) return read;
    cursor = std::string(next.as_string());
    read.cursors.push_back(cursor);
    read.last_of_page.push_back(items.empty() ? std::string() : key(items.back().as_object()));
  }
  ADD_FAILURE() << path << ": still a next_cursor after " << max_pages << " pages";
  return read;
}

// `path` read with `ordem=desc&limit=2` is the list read oldest first, reversed: every item once,
// none skipped, the newest first, across at least two pages of two. `created` are the records
// the test made, oldest first: the list must open with them, newest first. With
// `cursor_is_key`, each next_cursor is the key of the last item of its page.
inline void ExpectNewestFirst(const PageReader& get, const std::string& path, const std::vector<std::string>& created,
                              const ItemKey& key = IdOf, bool cursor_is_key = true) {
  SCOPED_TRACE(path);
  ASSERT_GE(created.size(), 3u) << "a newest-first check needs at least three records";
  const ListRead oldest_first = ReadList(get, path, "limit=500", key);
  const ListRead newest_first = ReadList(get, path, "ordem=desc&limit=2", key);

  std::vector<std::string> reversed(oldest_first.keys.rbegin(), oldest_first.keys.rend());
  EXPECT_EQ(newest_first.keys, reversed);  // the same items, each once, in the opposite order
  std::set<std::string> distinct(newest_first.keys.begin(), newest_first.keys.end());
  EXPECT_EQ(distinct.size(), newest_first.keys.size()) << "an item came twice";

  ASSERT_GE(newest_first.keys.size(), created.size());
  std::vector<std::string> newest(created.rbegin(), created.rend());
  EXPECT_EQ(std::vector<std::string>(newest_first.keys.begin(), newest_first.keys.begin() + newest.size()), newest);
  // The first two pages: the newest two, then the next two (or one).
  ASSERT_GE(newest_first.page_sizes.size(), 2u);
  for (std::size_t i = 0; i + 1 < newest_first.page_sizes.size(); ++i) EXPECT_EQ(newest_first.page_sizes[i], 2u);
  if (cursor_is_key) {
    EXPECT_EQ(newest_first.cursors, newest_first.last_of_page);
  }
}

// A list asked for in an order it does not know: 422 `validacao`, naming `ordem`.
inline void ExpectOrdemRefused(const http::ClientResponse& res) {
  EXPECT_EQ(res.status, 422) << res.body;
  auto problem = json::Parse(res.body);
  EXPECT_EQ(problem.at("type").as_string(), "https://pharmasys.dev/problemas/validacao");
  const auto& errors = problem.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u) << res.body;
  EXPECT_EQ(errors[0].at("campo").as_string(), "ordem");
}

}  // namespace pharmasys::testing
