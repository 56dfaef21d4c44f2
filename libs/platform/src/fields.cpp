#include "pharmasys/json/fields.hpp"

#include <cstdio>

#include "pharmasys/json/json.hpp"

namespace pharmasys::json {
namespace {

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Join(std::initializer_list<std::string_view> words) {
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr const char* kQuantityMessage = "deve ser um número maior que zero com no máximo 3 casas decimais";

}  // namespace

Fields::Fields(const boost::json::value& body)
    : Fields(&body, "", std::make_shared<std::vector<FieldError>>(), nullptr) {}

Fields::Fields(boost::json::value&& body) {
  auto owned = std::make_shared<const boost::json::value>(std::move(body));
  *this = Fields(owned.get(), "", std::make_shared<std::vector<FieldError>>(), owned);
}

Fields::Fields(const boost::json::value* body, std::string prefix, std::shared_ptr<std::vector<FieldError>> errors,
               std::shared_ptr<const boost::json::value> owned)
    : owned_(std::move(owned)), prefix_(std::move(prefix)), errors_(std::move(errors)) {
  if (body != nullptr && body->is_object()) {
    object_ = &body->get_object();
  } else {
    errors_->push_back({prefix_.empty() ? "corpo" : prefix_, "deve ser um objeto JSON"});
  }
}

std::string Fields::Path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

void Fields::Fail(std::string_view key, std::string mensagem) {
  errors_->push_back({Path(key), std::move(mensagem)});
}

void Fields::Finish() const {
  if (!errors_->empty()) throw ValidationError(*errors_);
}

const boost::json::value* Fields::Raw(std::string_view key) const {
  if (object_ == nullptr) return nullptr;
  return object_->if_contains(key);
}

const boost::json::value* Fields::Present(std::string_view key) const {
  const auto* v = Raw(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

std::optional<std::string> Fields::OptionalString(std::string_view key, StringRule rule) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Fail(key, "deve ser um texto");
    return std::nullopt;
  }
  std::string_view s = v->get_string();
  std::size_t n = CodePoints(s);
  if (n < rule.min_length || n > rule.max_length) {
    Fail(key,
         "deve ter entre " + std::to_string(rule.min_length) + " e " + std::to_string(rule.max_length) + " caracteres");
    return std::nullopt;
  }
  return std::string(s);
}

std::string Fields::String(std::string_view key, StringRule rule) {
  if (Present(key) == nullptr) {
    Fail(key, "é obrigatório");
    return {};
  }
  return OptionalString(key, rule).value_or(std::string{});
}

std::string Fields::Motivo(std::string_view key) {
  return String(key, {.min_length = 3, .max_length = 2000});
}

std::optional<std::string> Fields::OptionalMotivo(std::string_view key) {
  return OptionalString(key, {.min_length = 3, .max_length = 2000});
}

std::optional<std::string> Fields::OptionalEnum(std::string_view key, std::initializer_list<std::string_view> allowed) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) {
    for (auto a : allowed) {
      if (v->get_string() == a) return std::string(a);
    }
  }
  Fail(key, "deve ser um de: " + Join(allowed));
  return std::nullopt;
}

std::string Fields::Enum(std::string_view key, std::initializer_list<std::string_view> allowed) {
  if (Present(key) == nullptr) {
    Fail(key, "é obrigatório (um de: " + Join(allowed) + ")");
    return {};
  }
  return OptionalEnum(key, allowed).value_or(std::string{});
}

std::optional<Decimal> Fields::OptionalNumber(std::string_view key) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  auto d = DecimalFrom(*v);
  if (!d) Fail(key, "deve ser um número com no máximo 3 casas decimais");
  return d;
}

std::optional<Decimal> Fields::OptionalQuantity(std::string_view key) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  auto d = DecimalFrom(*v);
  if (!d || !d->IsPositive()) {
    Fail(key, kQuantityMessage);
    return std::nullopt;
  }
  return d;
}

Decimal Fields::Quantity(std::string_view key) {
  if (Present(key) == nullptr) {
    Fail(key, std::string("é obrigatório e ") + kQuantityMessage);
    return {};
  }
  return OptionalQuantity(key).value_or(Decimal{});
}

std::optional<std::int64_t> Fields::OptionalInteger(std::string_view key, std::int64_t min, std::int64_t max) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  std::optional<std::int64_t> value;
  if (v->is_int64()) value = v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    value = static_cast<std::int64_t>(v->get_uint64());
  }
  if (!value || *value < min || *value > max) {
    Fail(key, "deve ser um inteiro entre " + std::to_string(min) + " e " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::int64_t Fields::Integer(std::string_view key, std::int64_t min, std::int64_t max) {
  if (Present(key) == nullptr) {
    Fail(key, "é obrigatório");
    return 0;
  }
  return OptionalInteger(key, min, max).value_or(0);
}

std::optional<bool> Fields::OptionalBool(std::string_view key) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Fail(key, "deve ser true ou false");
    return std::nullopt;
  }
  return v->get_bool();
}

bool Fields::Bool(std::string_view key) {
  if (Present(key) == nullptr) {
    Fail(key, "é obrigatório");
    return false;
  }
  return OptionalBool(key).value_or(false);
}

std::optional<std::chrono::year_month_day> Fields::OptionalDate(std::string_view key) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  std::optional<std::chrono::year_month_day> date;
  if (v->is_string()) date = ParseDate(v->get_string());
  if (!date) Fail(key, "deve ser uma data AAAA-MM-DD válida");
  return date;
}

std::chrono::year_month_day Fields::Date(std::string_view key) {
  if (Present(key) == nullptr) {
    Fail(key, "é obrigatório (data AAAA-MM-DD)");
    return {};
  }
  return OptionalDate(key).value_or(std::chrono::year_month_day{});
}

std::optional<std::string> Fields::OptionalUuid(std::string_view key) {
  const auto* v = Present(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string() || !IsUuid(v->get_string())) {
    Fail(key, "deve ser um UUID");
    return std::nullopt;
  }
  std::string id(v->get_string());
  for (auto& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return id;
}

std::string Fields::Uuid(std::string_view key) {
  if (Present(key) == nullptr) {
    Fail(key, "é obrigatório (UUID)");
    return {};
  }
  return OptionalUuid(key).value_or(std::string{});
}

std::vector<Fields> Fields::Items(std::string_view key, std::size_t min_items, std::size_t max_items) {
  std::vector<Fields> items;
  const auto* v = Present(key);
  if (v == nullptr || !v->is_array()) {
    Fail(key, v == nullptr ? "é obrigatório (lista)" : "deve ser uma lista");
    return items;
  }
  const auto& array = v->get_array();
  if (array.size() < min_items || array.size() > max_items) {
    Fail(key, "deve ter entre " + std::to_string(min_items) + " e " + std::to_string(max_items) + " itens");
    return items;
  }
  items.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    items.push_back(Fields(&array[i], Path(key) + "[" + std::to_string(i) + "]", errors_, owned_));
  }
  return items;
}

Fields Fields::Object(std::string_view key) {
  const auto* v = Present(key);
  if (v == nullptr) {
    Fail(key, "é obrigatório (objeto)");
    return Fields(nullptr, Path(key), std::make_shared<std::vector<FieldError>>(), nullptr);  // already counted
  }
  return Fields(v, Path(key), errors_, owned_);
}

std::optional<std::chrono::year_month_day> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = 0; i < lengths[p]; ++i) {
      char c = text[starts[p] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  std::chrono::year_month_day date{std::chrono::year{parts[0]}, std::chrono::month{static_cast<unsigned>(parts[1])},
                                   std::chrono::day{static_cast<unsigned>(parts[2])}};
  if (!date.ok() || parts[0] < 1900) return std::nullopt;
  return date;
}

std::string FormatDate(std::chrono::year_month_day date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return buf;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !IsHex(text[i])) return false;
  }
  return true;
}

}  // namespace pharmasys::json
