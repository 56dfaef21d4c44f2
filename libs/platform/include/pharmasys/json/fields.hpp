#pragma once
// Reading request bodies field by field. Every problem is collected, and Finish() throws one
// 422 `validacao` problem that names each bad field, so a client fixes its request in one go.
//
//   json::Fields body(request.Json());
//   auto material = body.String("material", {.max_length = 64});
//   auto quantidade = body.Quantity("quantidade");
//   for (auto& item : body.Items("itens")) { item.Quantity("quantidade"); }
//   body.Finish();
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/error.hpp"

namespace pharmasys::json {

struct StringRule {
  std::size_t min_length = 1;  // in UTF-8 code points, after trimming nothing
  std::size_t max_length = 1000;
};

class Fields {
 public:
  // `body` must be an object; otherwise the whole body is reported as one bad field.
  // The lvalue form reads `body` in place (it must outlive the Fields); the rvalue form
  // keeps the value, so `json::Fields body(request.Json());` is safe.
  explicit Fields(const boost::json::value& body);
  explicit Fields(boost::json::value&& body);

  std::string String(std::string_view key, StringRule rule = {});
  std::optional<std::string> OptionalString(std::string_view key, StringRule rule = {});
  // `motivo` of API.md: free text of at least 3 characters.
  std::string Motivo(std::string_view key = "motivo");
  std::optional<std::string> OptionalMotivo(std::string_view key = "motivo");
  std::string Enum(std::string_view key, std::initializer_list<std::string_view> allowed);
  std::optional<std::string> OptionalEnum(std::string_view key, std::initializer_list<std::string_view> allowed);
  // A quantity of API.md: a number > 0 with at most three decimal places.
  Decimal Quantity(std::string_view key);
  std::optional<Decimal> OptionalQuantity(std::string_view key);
  // Any number with at most three decimal places (limits, measured values).
  std::optional<Decimal> OptionalNumber(std::string_view key);
  std::int64_t Integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> OptionalInteger(std::string_view key, std::int64_t min, std::int64_t max);
  bool Bool(std::string_view key);
  std::optional<bool> OptionalBool(std::string_view key);
  // A calendar date `YYYY-MM-DD`.
  std::chrono::year_month_day Date(std::string_view key);
  std::optional<std::chrono::year_month_day> OptionalDate(std::string_view key);
  // A UUID in its canonical 8-4-4-4-12 hex form, returned lower-case.
  std::string Uuid(std::string_view key);
  std::optional<std::string> OptionalUuid(std::string_view key);

  // The elements of an array of objects, each readable with the same error list.
  std::vector<Fields> Items(std::string_view key, std::size_t min_items = 1, std::size_t max_items = 1000);
  // A nested object, readable with the same error list.
  Fields Object(std::string_view key);
  // The raw value (nullptr when absent) for fields with a shape of their own.
  const boost::json::value* Raw(std::string_view key) const;

  // The field's full name in error messages: "itens[2].quantidade".
  std::string Path(std::string_view key) const;
  void Fail(std::string_view key, std::string mensagem);
  bool ok() const { return errors_->empty(); }
  // Throws ValidationError listing every bad field, if there is any.
  void Finish() const;

 private:
  Fields(const boost::json::value* body, std::string prefix, std::shared_ptr<std::vector<FieldError>> errors,
         std::shared_ptr<const boost::json::value> owned);
  const boost::json::value* Present(std::string_view key) const;  // nullptr when absent or null

  std::shared_ptr<const boost::json::value> owned_;  // keeps an rvalue body alive
  const boost::json::object* object_ = nullptr;
  std::string prefix_;
  std::shared_ptr<std::vector<FieldError>> errors_;
};

// Strict YYYY-MM-DD with a real calendar date.
std::optional<std::chrono::year_month_day> ParseDate(std::string_view text);
std::string FormatDate(std::chrono::year_month_day date);
bool IsUuid(std::string_view text);

}  // namespace pharmasys::json
