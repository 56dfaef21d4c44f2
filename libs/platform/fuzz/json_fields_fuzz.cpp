// Request bodies: json::Parse, then the typed field readers of json/fields.hpp with their
// error collection.
//
// Properties: Parse either gives a value or refuses with 400 (malformed, too deep) or 422
// (a number it cannot hold exactly); Serialize of a parsed value parses back to a value
// that serialises the same; each reader either returns a value that keeps its rule or adds
// exactly one error naming the field's full path; Finish() throws a 422 listing every error
// exactly when some reader failed; a required field that is absent is always an error.
#include <boost/json/value.hpp>

#include <string>

#include "fuzz_support.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace {

using pharmasys::Decimal;
using pharmasys::json::Fields;

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool HasThreePlacesAtMost(Decimal d) {
  return Decimal::Parse(d.ToString()) == d && d.units() <= Decimal::kMaxUnits && d.units() >= -Decimal::kMaxUnits;
}

// Runs one reader and checks its contract: either a valid value and no new error, or
// exactly one new error, named by `path`. `absent` says whether the key is missing or
// null; `required` readers must fail then.
class Reader {
 public:
  explicit Reader(Fields& fields) : fields_(fields) {}

  template <typename Read, typename Valid>
  void Check(std::string_view key, bool required, Read read, Valid valid) {
    const auto* raw = fields_.Raw(key);
    bool absent = raw == nullptr || raw->is_null();
    std::size_t before = Count();
    auto value = read(fields_);
    std::size_t added = Count() - before;
    FUZZ_CHECK(added <= 1);
    if (added == 1) {
      FUZZ_CHECK(LastError().campo == fields_.Path(key) && !LastError().mensagem.empty());
    } else {
      FUZZ_CHECK(!(required && absent));
      FUZZ_CHECK(valid(value));
    }
  }

  std::size_t Count() const { return Errors().size(); }
  pharmasys::FieldError LastError() const { return Errors().back(); }

 private:
  std::vector<pharmasys::FieldError> Errors() const {
    try {
      fields_.Finish();
    } catch (const pharmasys::ValidationError& e) {
      FUZZ_CHECK(!fields_.ok() && e.status() == 422 && !e.errors().empty());
      return e.errors();
    }
    FUZZ_CHECK(fields_.ok());
    return {};
  }
  Fields& fields_;
};

void ReadAll(Fields& body, int depth) {
  Reader r(body);
  auto always = [](const auto&) { return true; };
  r.Check(
      "material", true, [](Fields& f) { return f.String("material", {.max_length = 64}); },
      [](const std::string& s) { return CodePoints(s) >= 1 && CodePoints(s) <= 64; });
  r.Check(
      "obs", false, [](Fields& f) { return f.OptionalString("obs", {.min_length = 0, .max_length = 10}); },
      [](const std::optional<std::string>& s) { return !s || CodePoints(*s) <= 10; });
  r.Check(
      "motivo", false, [](Fields& f) { return f.OptionalMotivo(); },
      [](const std::optional<std::string>& s) { return !s || (CodePoints(*s) >= 3 && CodePoints(*s) <= 2000); });
  r.Check(
      "decisao", true,
      [](Fields& f) {
        return f.Enum("decisao", {"aprovado", "reprovado"});
      },
      [](const std::string& s) { return s == "aprovado" || s == "reprovado"; });
  r.Check(
      "quantidade", true, [](Fields& f) { return f.Quantity("quantidade"); },
      [](Decimal d) { return d.IsPositive() && HasThreePlacesAtMost(d); });
  r.Check(
      "limite", false, [](Fields& f) { return f.OptionalNumber("limite"); },
      [](const std::optional<Decimal>& d) { return !d || HasThreePlacesAtMost(*d); });
  r.Check(
      "n", true, [](Fields& f) { return f.Integer("n", -5, 500); }, [](std::int64_t n) { return n >= -5 && n <= 500; });
  r.Check(
      "ativo", false, [](Fields& f) { return f.OptionalBool("ativo"); }, always);
  r.Check(
      "validade", true, [](Fields& f) { return f.Date("validade"); },
      [](std::chrono::year_month_day d) {
        return d.ok() && pharmasys::json::ParseDate(pharmasys::json::FormatDate(d)) == d;
      });
  r.Check(
      "id", false, [](Fields& f) { return f.OptionalUuid("id"); },
      [](const std::optional<std::string>& id) {
        return !id || (pharmasys::json::IsUuid(*id) && id->find_first_of("ABCDEF") == std::string::npos);
      });
  if (depth > 2) return;
  std::size_t before = r.Count();
  auto items = body.Items("itens", 1, 4);
  if (items.empty()) {
    FUZZ_CHECK(r.Count() == before + 1);
  } else {
    // Each element that is not an object is one error of its own, "itens[i]".
    std::size_t not_objects = 0;
    for (const auto& element : body.Raw("itens")->as_array()) not_objects += element.is_object() ? 0 : 1;
    FUZZ_CHECK(items.size() <= 4 && r.Count() == before + not_objects);
  }
  for (auto& item : items) ReadAll(item, depth + 1);
  if (body.Raw("lote") != nullptr) {
    auto nested = body.Object("lote");
    ReadAll(nested, depth + 1);
  }
}

bool Equivalent(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
    return a == b;
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!Equivalent(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [key, item] : x) {
      const auto* other = y.if_contains(key);
      if (other == nullptr || !Equivalent(item, *other)) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::json::value value;
  try {
    value = pharmasys::json::Parse(text);
  } catch (const pharmasys::Error& e) {
    FUZZ_CHECK(e.status() == 400 || e.status() == 422);
    return 0;
  }
  // Written and read back, the same value; numbers by value (a -0.0 is written "-0" and read
  // back as the integer 0).
  std::string serialized = pharmasys::json::Serialize(value);
  boost::json::value again = pharmasys::json::Parse(serialized);
  FUZZ_CHECK(Equivalent(value, again));
  FUZZ_CHECK(pharmasys::json::Serialize(pharmasys::json::Parse(pharmasys::json::Serialize(again))) ==
             pharmasys::json::Serialize(again));

  Fields body(value);
  ReadAll(body, 0);
  bool failed = !body.ok();
  try {
    body.Finish();
    FUZZ_CHECK(!failed);
  } catch (const pharmasys::ValidationError& e) {
    FUZZ_CHECK(failed && e.status() == 422 && !e.errors().empty());
    for (const auto& field_error : e.errors()) FUZZ_CHECK(!field_error.campo.empty());
  }
  return 0;
}
