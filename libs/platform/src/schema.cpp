#include "pharmasys/json/schema.hpp"

#include <bitset>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <unordered_map>

#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::json {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// RFC 3339: 2026-11-29T10:15:30Z, with optional fraction and a Z or ±hh:mm offset; the
// text of ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$, read by hand
// (std::regex costs thousands of instructions a match, and every event carries instants).
bool IsDateTime(std::string_view s) {
  auto digits = [&s](std::size_t at, std::size_t n) {
    if (s.size() < at + n) return false;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!IsDigit(s[i])) return false;
    }
    return true;
  };
  if (!digits(0, 4) || s.size() < 19 || s[4] != '-' || !digits(5, 2) || s[7] != '-' || !digits(8, 2) || s[10] != 'T' ||
      !digits(11, 2) || s[13] != ':' || !digits(14, 2) || s[16] != ':' || !digits(17, 2)) {
    return false;
  }
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    const std::size_t first = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == first) return false;
  }
  const std::string_view zone = s.substr(i);
  const bool zone_ok = zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && IsDigit(zone[1]) &&
                                       IsDigit(zone[2]) && zone[3] == ':' && IsDigit(zone[4]) && IsDigit(zone[5]));
  return zone_ok && ParseDate(s.substr(0, 10)).has_value();
}

// A schema's `pattern`, compiled once per process: compiling an ECMAScript regex such as
// ^[0-9a-f]{64}$ costs about a million instructions, and every event is checked on its way
// out and in. Patterns of the form ^[set]{n}$ or ^[set]{n,m}$ (hashes, signatures: a set of
// single characters and a-z ranges, nothing escaped) are matched without std::regex, with the
// same result; any other pattern is std::regex's.
class Pattern {
 public:
  explicit Pattern(const std::string& text) {
    if (!ParseSimple(text)) regex_.emplace(text, std::regex::ECMAScript);
  }
  bool Search(std::string_view text) const {
    if (regex_) return std::regex_search(text.begin(), text.end(), *regex_);
    if (text.size() < min_ || text.size() > max_) return false;
    for (unsigned char c : text) {
      if (!set_[c]) return false;
    }
    return true;
  }

 private:
  bool ParseSimple(std::string_view p) {
    if (!p.starts_with("^[") || !p.ends_with("}$")) return false;
    std::size_t i = 2;
    if (i < p.size() && (p[i] == '^' || p[i] == ']')) return false;  // negated or odd sets: std::regex
    while (i < p.size() && p[i] != ']') {
      const char c = p[i];
      if (c == '\\' || c == '[' || c == '-') return false;
      if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
        const char last = p[i + 2];
        if (last == '\\' || last == '[' || last == '-' ||
            static_cast<unsigned char>(last) < static_cast<unsigned char>(c))
          return false;
        for (int x = static_cast<unsigned char>(c); x <= static_cast<unsigned char>(last); ++x) set_.set(x);
        i += 3;
      } else {
        set_.set(static_cast<unsigned char>(c));
        i += 1;
      }
    }
    if (i == 2 || i + 1 >= p.size() || p[i + 1] != '{') return false;  // an empty set, or no {n}
    i += 2;                                                            // past "]{"
    auto number = [&p, &i](std::size_t& out) {
      const std::size_t first = i;
      out = 0;
      while (i < p.size() && IsDigit(p[i]) && i - first < 6) out = out * 10 + static_cast<std::size_t>(p[i++] - '0');
      return i > first && (i >= p.size() || !IsDigit(p[i]));
    };
    if (!number(min_)) return false;
    max_ = min_;
    if (i < p.size() && p[i] == ',') {
      ++i;
      if (!number(max_) || max_ < min_) return false;
    }
    return i + 2 == p.size() && p[i] == '}' && p[i + 1] == '$';
  }

  std::optional<std::regex> regex_;
  std::bitset<256> set_;
  std::size_t min_ = 0, max_ = 0;
};

const Pattern& PatternFor(std::string_view text) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::unique_ptr<const Pattern>> compiled;
  std::lock_guard lock(mutex);
  auto it = compiled.find(std::string(text));
  if (it == compiled.end()) {
    auto pattern = std::make_unique<const Pattern>(std::string(text));  // std::regex_error on a bad one
    it = compiled.emplace(std::string(text), std::move(pattern)).first;
  }
  return *it->second;  // never erased: the schemas' patterns are a handful
}

bool HasType(const boost::json::value& v, std::string_view type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_bool();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_int64() || v.is_uint64()) return true;
    return v.is_double() && v.get_double() == static_cast<double>(static_cast<long long>(v.get_double()));
  }
  return false;
}

double AsDouble(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

std::size_t Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Where a value is in the instance: a chain of keys from the root, spelled out as a JSON
// Pointer only when a violation is reported (most values are valid).
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;

  std::string ToString() const {
    if (parent == nullptr) return std::string(key);  // the root ("", or a prefix given whole)
    std::string out = parent->ToString();
    out += '/';
    if (is_index) {
      out += std::to_string(index);
    } else {
      out += key;
    }
    return out;
  }
};

// The keywords of one schema object, found in one pass over its members (each checked below
// in the same order as before, whatever the order they are written in).
struct Keywords {
  const boost::json::value *ref = nullptr, *type = nullptr, *const_ = nullptr, *enum_ = nullptr;
  const boost::json::value *min_length = nullptr, *max_length = nullptr, *pattern = nullptr, *format = nullptr;
  const boost::json::value *minimum = nullptr, *maximum = nullptr, *exclusive_minimum = nullptr;
  const boost::json::value *required = nullptr, *properties = nullptr, *additional = nullptr;
  const boost::json::value *min_items = nullptr, *max_items = nullptr, *items = nullptr;
  const boost::json::value *all_of = nullptr, *any_of = nullptr, *one_of = nullptr;

  explicit Keywords(const boost::json::object& s) {
    using Member = const boost::json::value* Keywords::*;
    static constexpr std::pair<std::string_view, Member> kNames[] = {
        {"$ref", &Keywords::ref},
        {"type", &Keywords::type},
        {"const", &Keywords::const_},
        {"enum", &Keywords::enum_},
        {"minLength", &Keywords::min_length},
        {"maxLength", &Keywords::max_length},
        {"pattern", &Keywords::pattern},
        {"format", &Keywords::format},
        {"minimum", &Keywords::minimum},
        {"maximum", &Keywords::maximum},
        {"exclusiveMinimum", &Keywords::exclusive_minimum},
        {"required", &Keywords::required},
        {"properties", &Keywords::properties},
        {"additionalProperties", &Keywords::additional},
        {"minItems", &Keywords::min_items},
        {"maxItems", &Keywords::max_items},
        {"items", &Keywords::items},
        {"allOf", &Keywords::all_of},
        {"anyOf", &Keywords::any_of},
        {"oneOf", &Keywords::one_of},
    };
    for (const auto& kv : s) {
      for (const auto& [name, member] : kNames) {
        if (kv.key() == name) {
          this->*member = &kv.value();
          break;
        }
      }
    }
  }
};

class Validator {
 public:
  explicit Validator(const boost::json::value& root) : root_(root) {}

  void Check(const boost::json::value& schema, const boost::json::value& v, const Path& path) {
    if (schema.is_bool()) {
      if (!schema.get_bool()) Fail(path, "nenhum valor é permitido aqui");
      return;
    }
    if (!schema.is_object()) return;
    const Keywords s(schema.get_object());
    if (s.ref != nullptr) Check(Resolve(std::string(s.ref->as_string())), v, path);
    if (const auto* type = s.type) {
      bool ok = false;
      if (type->is_string()) {
        ok = HasType(v, type->get_string());
      } else {
        for (const auto& t : type->as_array()) ok = ok || HasType(v, t.as_string());
      }
      if (!ok) {
        std::string names;
        if (type->is_string()) {
          names = type->get_string();
        } else {
          for (const auto& t : type->as_array()) names += (names.empty() ? "" : "|") + std::string(t.as_string());
        }
        Fail(path, "deve ser do tipo " + names);
        return;
      }
    }
    if (const auto* c = s.const_; c != nullptr && *c != v) Fail(path, "deve ser " + Serialize(*c));
    if (const auto* e = s.enum_) {
      bool found = false;
      for (const auto& option : e->as_array()) found = found || option == v;
      if (!found) Fail(path, "deve ser um de " + Serialize(*e));
    }
    if (v.is_string()) CheckString(s, v.get_string(), path);
    if (v.is_number()) CheckNumber(s, AsDouble(v), path);
    if (v.is_object()) CheckObject(s, v.get_object(), path);
    if (v.is_array()) CheckArray(s, v.get_array(), path);
    if (const auto* all = s.all_of) {
      for (const auto& sub : all->as_array()) Check(sub, v, path);
    }
    if (const auto* any = s.any_of) {
      if (Matching(any->as_array(), v) == 0) Fail(path, "não corresponde a nenhuma das alternativas (anyOf)");
    }
    if (const auto* one = s.one_of) {
      if (Matching(one->as_array(), v) != 1) Fail(path, "deve corresponder a exatamente uma alternativa (oneOf)");
    }
  }

  std::vector<SchemaError> errors;

 private:
  void Fail(const Path& path, std::string message) { errors.push_back({path.ToString(), std::move(message)}); }

  std::size_t Matching(const boost::json::array& alternatives, const boost::json::value& v) {
    std::size_t matches = 0;
    for (const auto& alternative : alternatives) {
      Validator probe(root_);
      probe.Check(alternative, v, Path{});
      matches += probe.errors.empty();
    }
    return matches;
  }

  const boost::json::value& Resolve(const std::string& ref) {
    if (!ref.starts_with("#")) throw std::invalid_argument("only local $ref are supported: " + ref);
    boost::system::error_code ec;
    const auto* target = root_.find_pointer(ref.substr(1), ec);
    if (target == nullptr) throw std::invalid_argument("unresolvable $ref: " + ref);
    return *target;
  }

  void CheckString(const Keywords& s, std::string_view text, const Path& path) {
    if (const auto* m = s.min_length; m && Length(text) < m->to_number<std::size_t>()) {
      Fail(path, "deve ter ao menos " + Serialize(*m) + " caracteres");
    }
    if (const auto* m = s.max_length; m && Length(text) > m->to_number<std::size_t>()) {
      Fail(path, "deve ter no máximo " + Serialize(*m) + " caracteres");
    }
    if (const auto* p = s.pattern) {
      if (!PatternFor(p->as_string()).Search(text)) Fail(path, "não segue o padrão " + Serialize(*p));
    }
    if (const auto* f = s.format) {
      std::string_view format = f->as_string();
      bool ok = true;
      if (format == "uuid") ok = IsUuid(text);
      if (format == "date") ok = ParseDate(text).has_value();
      if (format == "date-time") ok = IsDateTime(text);
      if (!ok) Fail(path, "não é um " + std::string(format) + " válido");
    }
  }

  void CheckNumber(const Keywords& s, double n, const Path& path) {
    if (const auto* m = s.minimum; m && n < AsDouble(*m)) Fail(path, "deve ser ≥ " + Serialize(*m));
    if (const auto* m = s.maximum; m && n > AsDouble(*m)) Fail(path, "deve ser ≤ " + Serialize(*m));
    if (const auto* m = s.exclusive_minimum; m && n <= AsDouble(*m)) {
      Fail(path, "deve ser > " + Serialize(*m));
    }
  }

  void CheckObject(const Keywords& s, const boost::json::object& o, const Path& path) {
    if (const auto* required = s.required) {
      for (const auto& name : required->as_array()) {
        if (!o.contains(name.as_string())) Fail(Path{&path, name.as_string()}, "é obrigatório");
      }
    }
    const auto* properties = s.properties;
    const auto* additional = s.additional;
    for (const auto& [key, value] : o) {
      const Path child{&path, key};
      const boost::json::value* property = properties ? properties->as_object().if_contains(key) : nullptr;
      if (property != nullptr) {
        Check(*property, value, child);
      } else if (additional != nullptr) {
        if (additional->is_bool() && !additional->get_bool()) {
          Fail(child, "propriedade não prevista");
        } else {
          Check(*additional, value, child);
        }
      }
    }
  }

  void CheckArray(const Keywords& s, const boost::json::array& a, const Path& path) {
    if (const auto* m = s.min_items; m && a.size() < m->to_number<std::size_t>()) {
      Fail(path, "deve ter ao menos " + Serialize(*m) + " itens");
    }
    if (const auto* m = s.max_items; m && a.size() > m->to_number<std::size_t>()) {
      Fail(path, "deve ter no máximo " + Serialize(*m) + " itens");
    }
    if (const auto* items = s.items) {
      for (std::size_t i = 0; i < a.size(); ++i) Check(*items, a[i], Path{&path, {}, i, true});
    }
  }

  const boost::json::value& root_;
};

}  // namespace

std::vector<SchemaError> Validate(const boost::json::value& schema, const boost::json::value& instance) {
  Validator validator(schema);
  validator.Check(schema, instance, Path{});
  return std::move(validator.errors);
}

}  // namespace pharmasys::json
