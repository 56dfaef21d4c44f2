// The HTTP request reader of the server (http/request_parser.hpp): bytes from a client,
// under header and body limits chosen by the input.
//
// Properties: nothing but a Request, a refusal (400, 413 or 431) or a quiet close comes out;
// how the bytes are split into reads never changes the outcome; an accepted body is within
// the body limit, and the same request with a body limit one byte smaller is refused with
// 413; raising the limits never turns an accepted request into a refusal; an accepted
// request written back canonically reads back the same; pipelined requests each consume
// input; the request helpers (query, list limit, cursor, order, JSON body, If-Match) only ever
// refuse with a problem.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/http/request_parser.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using pharmasys::http::ReadOutcome;
using pharmasys::http::ReadRequest;
using pharmasys::http::Request;
using pharmasys::http::RequestLimits;

bool IsFraming(std::string_view name) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
  };
  auto n = lower(name);
  return n == "content-length" || n == "transfer-encoding";
}

bool SameRequest(const Request& a, const Request& b) {
  if (a.method != b.method || a.method_text != b.method_text || a.target != b.target || a.path != b.path ||
      a.query != b.query || a.body != b.body || a.headers.size() != b.headers.size()) {
    return false;
  }
  return std::equal(a.headers.begin(), a.headers.end(), b.headers.begin());
}

bool SameOutcome(const ReadOutcome& a, const ReadOutcome& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ReadOutcome::Kind::Request:
      return a.consumed == b.consumed && a.keep_alive == b.keep_alive && SameRequest(a.request, b.request);
    case ReadOutcome::Kind::Refused:
      // Refused either way. Which refusal may depend on the reads when a request breaks more
      // than one rule: a header block malformed and over the limit (400 or 431: Beast checks
      // the limit before a whole line), or over the header limit and declaring a body over
      // the body limit (431 or 413). The statuses themselves are checked below.
      return true;
    case ReadOutcome::Kind::Closed: return true;
  }
  return false;
}

// The request as a well-behaved client would send it: HTTP/1.1, the same fields except the
// framing ones, and a Content-Length.
std::string Canonical(const Request& r) {
  std::string out = r.method_text + " " + r.target + " HTTP/1.1\r\n";
  for (const auto& [name, value] : r.headers) {
    if (!IsFraming(name)) out += name + ": " + value + "\r\n";
  }
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  return out;
}

void ExerciseHelpers(const Request& r) {
  // Each either answers or refuses with a problem document (pharmasys::Error); anything else
  // escaping is a 500 for bad input.
  (void)r.Query("limit");
  try {
    auto limit = pharmasys::http::ListLimit(r);
    FUZZ_CHECK(limit >= 1 && limit <= 500);
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 422);
  }
  try {
    auto cursor = pharmasys::http::UuidCursor(r);
    FUZZ_CHECK(!cursor || cursor->size() == 36);
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 422);
  }
  try {
    auto order = pharmasys::http::ListOrder(r);
    auto ordem = r.Query("ordem");
    // Descending exactly when asked for by its one spelling.
    FUZZ_CHECK((order == pharmasys::SortOrder::Descending) == (ordem && *ordem == "desc"));
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 422 && e.errors().size() == 1 && e.errors()[0].campo == "ordem");
  }
  try {
    (void)r.Json();
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 400 || e.status() == 415 || e.status() == 422);
  }
  try {
    pharmasys::http::CheckIfMatch(r, 7);
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 412);
  }
}

void CheckOne(std::string_view bytes, const RequestLimits& limits, std::size_t read_size) {
  ReadOutcome whole = ReadRequest(bytes, limits, bytes.size() + 1);
  ReadOutcome split = ReadRequest(bytes, limits, read_size);
  if (!SameOutcome(whole, split)) {
    auto describe = [](const ReadOutcome& o) {
      return std::to_string(static_cast<int>(o.kind)) + "/" + (o.refusal ? o.refusal->detail() : "") + "/" +
             std::to_string(o.consumed);
    };
    std::fprintf(stderr, "whole %s, in reads of %zu: %s\n", describe(whole).c_str(), read_size,
                 describe(split).c_str());
  }
  FUZZ_CHECK(SameOutcome(whole, split));

  RequestLimits larger{limits.header_limit * 2, limits.body_limit * 2 + 1};
  ReadOutcome relaxed = ReadRequest(bytes, larger, bytes.size() + 1);

  switch (whole.kind) {
    case ReadOutcome::Kind::Refused: {
      int status = whole.refusal->status();
      FUZZ_CHECK(status == 400 || status == 413 || status == 431);
      break;
    }
    case ReadOutcome::Kind::Closed: FUZZ_CHECK(!whole.refusal); break;
    case ReadOutcome::Kind::Request: {
      const Request& r = whole.request;
      FUZZ_CHECK(whole.consumed > 0 && whole.consumed <= bytes.size());
      FUZZ_CHECK(r.body.size() <= limits.body_limit);
      FUZZ_CHECK(r.path + (r.target.find('?') == std::string::npos ? "" : "?" + r.query) == r.target);
      // Larger limits accept the same request.
      FUZZ_CHECK(relaxed.kind == ReadOutcome::Kind::Request && SameRequest(relaxed.request, r));
      // One byte less of body limit and the body no longer fits: 413, nothing else.
      if (!r.body.empty()) {
        RequestLimits tighter{limits.header_limit, r.body.size() - 1};
        ReadOutcome refused = ReadRequest(bytes, tighter, read_size);
        FUZZ_CHECK(refused.kind == ReadOutcome::Kind::Refused && refused.refusal->status() == 413);
      }
      // Written back canonically, it reads back the same (framing fields aside).
      std::string canonical = Canonical(r);
      RequestLimits roomy{canonical.size() + 1, r.body.size()};
      ReadOutcome again = ReadRequest(canonical, roomy, read_size);
      FUZZ_CHECK(again.kind == ReadOutcome::Kind::Request);
      FUZZ_CHECK(again.consumed == canonical.size());
      FUZZ_CHECK(again.request.method_text == r.method_text && again.request.target == r.target);
      FUZZ_CHECK(again.request.body == r.body);
      FUZZ_CHECK(Canonical(again.request) == canonical);
      ExerciseHelpers(r);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider input(data, size);
  RequestLimits limits;
  limits.header_limit = input.ConsumeIntegralInRange<std::size_t>(16, 4096);
  limits.body_limit = input.ConsumeIntegralInRange<std::uint64_t>(0, 2048);
  auto read_size = input.ConsumeIntegralInRange<std::size_t>(1, 600);
  std::string bytes = input.ConsumeRemainingBytesAsString();

  // A keep-alive connection: each request is read from what the previous one left.
  std::string_view rest = bytes;
  for (int i = 0; i < 64 && !rest.empty(); ++i) {
    CheckOne(rest, limits, read_size);
    ReadOutcome outcome = ReadRequest(rest, limits, read_size);
    if (outcome.kind != ReadOutcome::Kind::Request) break;
    rest.remove_prefix(outcome.consumed);
  }
  return 0;
}
