#pragma once
// The answer of a list endpoint (API.md): {"items": [...], "next_cursor": ...}.
#include <boost/json/array.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pharmasys/http/message.hpp"

namespace pharmasys::http {

// A list answer: {"items": [...], "next_cursor": <next_cursor or null>}.
Response ListPage(boost::json::array items, std::optional<std::string> next_cursor);
// The same from a list read with limit + 1 rows: the first `limit` as `to_json` renders them,
// and the cursor of the last one shown when there were more.
template <typename T, typename ToJson, typename CursorOf>
Response ListPage(const std::vector<T>& found, std::int64_t limit, ToJson to_json, CursorOf cursor_of) {
  boost::json::array items;
  for (std::size_t i = 0; i < found.size() && static_cast<std::int64_t>(i) < limit; ++i) {
    items.push_back(to_json(found[i]));
  }
  std::optional<std::string> next;
  if (static_cast<std::int64_t>(found.size()) > limit) next = cursor_of(found[static_cast<std::size_t>(limit) - 1]);
  return ListPage(std::move(items), std::move(next));
}

}  // namespace pharmasys::http
