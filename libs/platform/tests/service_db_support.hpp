#pragma once
// A service's database and audit key as a deployment prepares them: `<binary> migrate` as the
// owner role (RULES.md A7), then the service runs as the runtime role, signing its chain's
// checkpoints with a key of its own (A8) whose public half goes to the plant's trusted keys.
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "http_support.hpp"
#include "pg_support.hpp"
#include "pharmasys/audit/checkpoint.hpp"

namespace pharmasys::testing {

// "…/pharmasys-estoque" → "estoque".
inline std::string ServiceNameOf(const std::string& binary) {
  std::string name = std::filesystem::path(binary).filename().string();
  return name.starts_with("pharmasys-") ? name.substr(10) : name;
}

// A folder for the plant's trusted public keys (<dir>/<servico>/<chave_id>.pub).
inline std::string NewTrustedKeysDir() {
  std::string dir = "/tmp/pharmasys-test-keys/trusted-" + ids::RandomHex(6);
  std::filesystem::create_directories(dir);
  return dir;
}

// Migrates `db` for `binary` and makes its signing key; returns the service's database and key
// settings (to add to its environment).
inline std::vector<std::string> PrepareServiceDatabase(const std::string& binary, const TestDatabase& db,
                                                       const std::string& trusted_dir = "") {
  ChildProcess migrate(binary, {"PHARMASYS_DB_OWNER_URL=" + db.url(), "PHARMASYS_DB_URL=" + db.runtime_url()},
                       {"migrate"});
  if (int rc = migrate.Wait(std::chrono::seconds(120)); rc != 0) {
    throw std::runtime_error(binary + " migrate exited with " + std::to_string(rc) + ": " + migrate.Stderr());
  }
  const std::string key_dir = "/tmp/pharmasys-test-keys/" + db.name();
  auto key = audit::NewSigningKey(key_dir);
  if (!trusted_dir.empty()) {
    const auto target = std::filesystem::path(trusted_dir) / ServiceNameOf(binary);
    std::filesystem::create_directories(target);
    std::filesystem::copy_file(std::filesystem::path(key_dir) / (key.chave_id + ".pub"),
                               target / (key.chave_id + ".pub"), std::filesystem::copy_options::overwrite_existing);
  }
  return {"PHARMASYS_DB_URL=" + db.runtime_url(), "PHARMASYS_AUDIT_KEY_DIR=" + key_dir,
          "PHARMASYS_AUDIT_CHECKPOINT_INTERVAL=200ms"};
}

}  // namespace pharmasys::testing
