#include "pharmasys/config/env.hpp"

#include <charconv>
#include <cstdlib>

namespace pharmasys::config {
namespace {

std::optional<std::string> FromProcess(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// "30s" → (30, "s"): the number and the unit that follows it.
std::optional<std::pair<std::int64_t, std::string_view>> SplitUnit(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == 0) return std::nullopt;
  auto number = ParseInt(text.substr(0, i));
  if (!number) return std::nullopt;
  return std::make_pair(*number, text.substr(i));
}

}  // namespace

Env::Env(Lookup lookup) : lookup_(lookup != nullptr ? lookup : &FromProcess) {}

std::optional<std::string> Env::Read(const std::string& name) const {
  return lookup_(name);
}

std::optional<std::string> Env::Optional(const std::string& name) {
  return Read(name);
}

std::string Env::Required(const std::string& name) {
  auto v = Read(name);
  if (!v) {
    problems_.push_back(name + ": required but not set");
    return {};
  }
  return *v;
}

std::string Env::String(const std::string& name, const std::string& fallback) {
  return Read(name).value_or(fallback);
}

std::int64_t Env::Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
  auto v = Read(name);
  if (!v) return fallback;
  auto parsed = ParseInt(*v);
  if (!parsed || *parsed < min || *parsed > max) {
    problems_.push_back(name + ": expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                        ", got '" + *v + "'");
    return fallback;
  }
  return *parsed;
}

int Env::Port(const std::string& name, int fallback) {
  return static_cast<int>(Int(name, fallback, 0, 65535));
}

bool Env::Bool(const std::string& name, bool fallback) {
  auto v = Read(name);
  if (!v) return fallback;
  if (*v == "1" || *v == "true" || *v == "yes" || *v == "on") return true;
  if (*v == "0" || *v == "false" || *v == "no" || *v == "off") return false;
  problems_.push_back(name + ": expected 1/0, true/false, yes/no or on/off, got '" + *v + "'");
  return fallback;
}

std::chrono::milliseconds Env::Duration(const std::string& name, std::chrono::milliseconds fallback) {
  auto v = Read(name);
  if (!v) return fallback;
  auto split = SplitUnit(*v);
  if (split) {
    auto [n, unit] = *split;
    if (unit.empty() || unit == "ms") return std::chrono::milliseconds(n);
    if (unit == "s") return std::chrono::seconds(n);
    if (unit == "m") return std::chrono::minutes(n);
    if (unit == "h") return std::chrono::hours(n);
  }
  problems_.push_back(name + ": expected a duration such as 250ms, 30s, 5m or 1h, got '" + *v + "'");
  return fallback;
}

std::chrono::milliseconds Env::Duration(const std::string& name, std::chrono::milliseconds fallback,
                                        std::chrono::milliseconds min) {
  const std::size_t problems_before = problems_.size();
  auto value = Duration(name, fallback);
  auto text = Read(name);
  if (text && problems_.size() == problems_before && value < min) {
    problems_.push_back(name + ": must be at least " + std::to_string(min.count()) + "ms, got '" + *text + "'");
    return fallback;
  }
  return value;
}

std::int64_t Env::Bytes(const std::string& name, std::int64_t fallback) {
  auto v = Read(name);
  if (!v) return fallback;
  auto split = SplitUnit(*v);
  if (split) {
    auto [n, unit] = *split;
    if (unit.empty()) return n;
    if (unit == "k" || unit == "K" || unit == "KiB") return n * 1024;
    if (unit == "m" || unit == "M" || unit == "MiB") return n * 1024 * 1024;
  }
  problems_.push_back(name + ": expected a size such as 65536, 64k or 1m, got '" + *v + "'");
  return fallback;
}

std::string Env::Url(const std::string& name, const std::string& fallback, bool required) {
  auto v = Read(name);
  if (!v) {
    if (required) problems_.push_back(name + ": required but not set (an http:// URL)");
    return fallback;
  }
  if (!(v->starts_with("http://") || v->starts_with("https://")) || v->size() < 10) {
    problems_.push_back(name + ": expected an http:// or https:// URL, got '" + *v + "'");
    return fallback;
  }
  while (!v->empty() && v->back() == '/') v->pop_back();
  return *v;
}

void Env::Invalid(const std::string& name, const std::string& why) {
  problems_.push_back(name + ": " + why);
}

void Env::Check() const {
  if (problems_.empty()) return;
  std::string message = "invalid configuration:";
  for (const auto& p : problems_) message += "\n  - " + p;
  throw ConfigError(message);
}

}  // namespace pharmasys::config
