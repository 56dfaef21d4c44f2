#pragma once
// An environment for config::Env that a test writes: `fake_env = {{"NAME", "value"}}`, then
// `config::Env env(&FakeEnv)`. config::Env takes a plain function, so the variables are global.
#include <map>
#include <optional>
#include <string>

namespace pharmasys::testing {

inline std::map<std::string, std::string> fake_env;

inline std::optional<std::string> FakeEnv(const std::string& name) {
  auto it = fake_env.find(name);
  if (it == fake_env.end()) return std::nullopt;
  return it->second;
}

}  // namespace pharmasys::testing
