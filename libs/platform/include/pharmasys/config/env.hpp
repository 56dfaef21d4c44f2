#pragma once
// Configuration from environment variables (12-factor). Each getter records what is wrong;
// Check() then throws one ConfigError naming every bad variable, so a start fails once with
// the whole list instead of one variable at a time.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pharmasys::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Env {
 public:
  // `lookup` defaults to getenv; tests pass their own.
  using Lookup = std::optional<std::string> (*)(const std::string& name);
  explicit Env(Lookup lookup = nullptr);

  std::string Required(const std::string& name);
  std::string String(const std::string& name, const std::string& fallback);
  std::optional<std::string> Optional(const std::string& name);
  std::int64_t Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max);
  int Port(const std::string& name, int fallback);
  bool Bool(const std::string& name, bool fallback);
  // "250ms", "30s", "5m", or a plain number of milliseconds.
  std::chrono::milliseconds Duration(const std::string& name, std::chrono::milliseconds fallback);
  // The same, refusing a duration shorter than `min`.
  std::chrono::milliseconds Duration(const std::string& name, std::chrono::milliseconds fallback,
                                     std::chrono::milliseconds min);
  // Bytes: "1048576", "64k", "1m".
  std::int64_t Bytes(const std::string& name, std::int64_t fallback);
  // An http:// or https:// base URL ("http://127.0.0.1:8081").
  std::string Url(const std::string& name, const std::string& fallback, bool required = false);
  // Records a problem with `name` that no getter can judge (a value the service checks itself,
  // such as each item of a list), so that it is named with the others.
  void Invalid(const std::string& name, const std::string& why);

  // Throws ConfigError listing every problem found so far.
  void Check() const;
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::optional<std::string> Read(const std::string& name) const;
  Lookup lookup_;
  std::vector<std::string> problems_;
};

}  // namespace pharmasys::config
