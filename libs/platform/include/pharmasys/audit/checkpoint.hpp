#pragma once
// Witnessed chain heads (RULES.md A8). A service signs the head of its audit chain
// (`sequencia`, `hash`) with an Ed25519 key that lives outside its database and publishes it
// as `auditoria.checkpoint`; Relatórios keeps every checkpoint and checks each against the
// key's public half. The signed message is the canonical JSON of
// {chave_id, em, hash, sequencia, servico} (docs/audit/verificacao.md).
//
// Keys are files: <dir>/<chave_id>.key holds the 32-byte seed in hex (mode 0600) and
// <chave_id>.pub the public key in hex. The newest key (the greatest chave_id) signs; a new
// one is made by `pharmasys-<service> audit-key new` and picked up within a minute, as the
// JWT keys are rotated. Verifiers keep every public key: <dir>/<servico>/<chave_id>.pub.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pharmasys::audit {

struct Checkpoint {
  std::string servico;
  std::int64_t sequencia = 0;
  std::string hash;
  std::string em;  // RFC 3339
  std::string chave_id;
  std::string assinatura;  // Ed25519, 128 hex digits
};

// The bytes signed for a checkpoint.
std::string CheckpointMessage(const Checkpoint& checkpoint);

struct NewKey {
  std::string chave_id;
  std::string chave_publica;  // hex
};
// Makes a key pair in `dir` (created if missing); returns its id and public key.
NewKey NewSigningKey(const std::string& dir);

class CheckpointSigner {
 public:
  explicit CheckpointSigner(std::string dir, std::chrono::milliseconds reload = std::chrono::minutes(1));
  ~CheckpointSigner();
  // Loads the keys now; throws std::runtime_error when the folder holds none (or a bad one).
  void Load();
  // Fills chave_id and assinatura.
  void Sign(Checkpoint& checkpoint);
  const std::string& dir() const { return dir_; }

 private:
  struct Key;
  std::string dir_;
  std::chrono::milliseconds reload_;
  std::mutex mutex_;
  std::shared_ptr<Key> current_;
  std::chrono::steady_clock::time_point loaded_at_{};
};

// The public keys a verifier trusts, re-read when a checkpoint names a key it does not know.
class TrustedKeys {
 public:
  explicit TrustedKeys(std::string dir);
  // nullopt: valid. Otherwise why the checkpoint cannot be trusted.
  std::optional<std::string> Check(const Checkpoint& checkpoint);
  // Checks against an explicit public key (hex).
  static bool Verify(const Checkpoint& checkpoint, const std::string& public_hex);

 private:
  std::optional<std::string> Find(const std::string& servico, const std::string& chave_id);
  std::string dir_;
  std::mutex mutex_;
  std::map<std::string, std::string> keys_;  // "servico/chave_id" → public hex
};

}  // namespace pharmasys::audit
