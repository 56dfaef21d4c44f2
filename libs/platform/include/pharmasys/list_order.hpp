#pragma once
// The direction a list is read in (API.md `ordem`): by its key, oldest first or newest first.
// Its own header because both ends use it: the HTTP edge reads it from the request
// (http::ListOrder) and the queries choose their statement by it (pg::ListQuery).
namespace pharmasys {

enum class SortOrder { Ascending, Descending };

}  // namespace pharmasys
