#include "pharmasys/json/schema.hpp"

#include <regex>

#include "pharmasys/json/fields.hpp"
#include "pharmasys/json/json.hpp"

namespace pharmasys::json {
namespace {

bool IsDateTime(std::string_view s) {
  // RFC 3339: 2026-11-29T10:15:30Z, with optional fraction and a Z or ±hh:mm offset.
  static const std::regex kPattern(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$)");
  return std::regex_match(s.begin(), s.end(), kPattern) && ParseDate(s.substr(0, 10)).has_value();
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

class Validator {
 public:
  explicit Validator(const boost::json::value& root) : root_(root) {}

  void Check(const boost::json::value& schema, const boost::json::value& v, const std::string& path) {
    if (schema.is_bool()) {
      if (!schema.get_bool()) Fail(path, "nenhum valor é permitido aqui");
      return;
    }
    if (!schema.is_object()) return;
    const auto& s = schema.get_object();
    if (const auto* ref = s.if_contains("$ref")) {
      Check(Resolve(std::string(ref->as_string())), v, path);
    }
    if (const auto* type = s.if_contains("type")) {
      bool ok = false;
      std::string names;
      if (type->is_string()) {
        ok = HasType(v, type->get_string());
        names = type->get_string();
      } else {
        for (const auto& t : type->as_array()) {
          ok = ok || HasType(v, t.as_string());
          names += (names.empty() ? "" : "|") + std::string(t.as_string());
        }
      }
      if (!ok) {
        Fail(path, "deve ser do tipo " + names);
        return;
      }
    }
    if (const auto* c = s.if_contains("const"); c != nullptr && *c != v) Fail(path, "deve ser " + Serialize(*c));
    if (const auto* e = s.if_contains("enum")) {
      bool found = false;
      for (const auto& option : e->as_array()) found = found || option == v;
      if (!found) Fail(path, "deve ser um de " + Serialize(*e));
    }
    if (v.is_string()) CheckString(s, v.get_string(), path);
    if (v.is_number()) CheckNumber(s, AsDouble(v), path);
    if (v.is_object()) CheckObject(s, v.get_object(), path);
    if (v.is_array()) CheckArray(s, v.get_array(), path);
    if (const auto* all = s.if_contains("allOf")) {
      for (const auto& sub : all->as_array()) Check(sub, v, path);
    }
    if (const auto* any = s.if_contains("anyOf")) {
      if (Matching(any->as_array(), v) == 0) Fail(path, "não corresponde a nenhuma das alternativas (anyOf)");
    }
    if (const auto* one = s.if_contains("oneOf")) {
      if (Matching(one->as_array(), v) != 1) Fail(path, "deve corresponder a exatamente uma alternativa (oneOf)");
    }
  }

  std::vector<SchemaError> errors;

 private:
  void Fail(const std::string& path, std::string message) { errors.push_back({path, std::move(message)}); }

  std::size_t Matching(const boost::json::array& alternatives, const boost::json::value& v) {
    std::size_t matches = 0;
    for (const auto& alternative : alternatives) {
      Validator probe(root_);
      probe.Check(alternative, v, "");
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

  void CheckString(const boost::json::object& s, std::string_view text, const std::string& path) {
    if (const auto* m = s.if_contains("minLength"); m && Length(text) < m->to_number<std::size_t>()) {
      Fail(path, "deve ter ao menos " + Serialize(*m) + " caracteres");
    }
    if (const auto* m = s.if_contains("maxLength"); m && Length(text) > m->to_number<std::size_t>()) {
      Fail(path, "deve ter no máximo " + Serialize(*m) + " caracteres");
    }
    if (const auto* p = s.if_contains("pattern")) {
      std::regex pattern(std::string(p->as_string()), std::regex::ECMAScript);
      if (!std::regex_search(text.begin(), text.end(), pattern)) Fail(path, "não segue o padrão " + Serialize(*p));
    }
    if (const auto* f = s.if_contains("format")) {
      std::string_view format = f->as_string();
      bool ok = true;
      if (format == "uuid") ok = IsUuid(text);
      if (format == "date") ok = ParseDate(text).has_value();
      if (format == "date-time") ok = IsDateTime(text);
      if (!ok) Fail(path, "não é um " + std::string(format) + " válido");
    }
  }

  void CheckNumber(const boost::json::object& s, double n, const std::string& path) {
    if (const auto* m = s.if_contains("minimum"); m && n < AsDouble(*m)) Fail(path, "deve ser ≥ " + Serialize(*m));
    if (const auto* m = s.if_contains("maximum"); m && n > AsDouble(*m)) Fail(path, "deve ser ≤ " + Serialize(*m));
    if (const auto* m = s.if_contains("exclusiveMinimum"); m && n <= AsDouble(*m)) {
      Fail(path, "deve ser > " + Serialize(*m));
    }
  }

  void CheckObject(const boost::json::object& s, const boost::json::object& o, const std::string& path) {
    if (const auto* required = s.if_contains("required")) {
      for (const auto& name : required->as_array()) {
        if (!o.contains(name.as_string())) Fail(path + "/" + std::string(name.as_string()), "é obrigatório");
      }
    }
    const auto* properties = s.if_contains("properties");
    const auto* additional = s.if_contains("additionalProperties");
    for (const auto& [key, value] : o) {
      std::string child = path + "/" + std::string(key);
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

  void CheckArray(const boost::json::object& s, const boost::json::array& a, const std::string& path) {
    if (const auto* m = s.if_contains("minItems"); m && a.size() < m->to_number<std::size_t>()) {
      Fail(path, "deve ter ao menos " + Serialize(*m) + " itens");
    }
    if (const auto* m = s.if_contains("maxItems"); m && a.size() > m->to_number<std::size_t>()) {
      Fail(path, "deve ter no máximo " + Serialize(*m) + " itens");
    }
    if (const auto* items = s.if_contains("items")) {
      for (std::size_t i = 0; i < a.size(); ++i) Check(*items, a[i], path + "/" + std::to_string(i));
    }
  }

  const boost::json::value& root_;
};

}  // namespace

std::vector<SchemaError> Validate(const boost::json::value& schema, const boost::json::value& instance) {
  Validator validator(schema);
  validator.Check(schema, instance, "");
  return std::move(validator.errors);
}

}  // namespace pharmasys::json
