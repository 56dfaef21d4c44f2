#pragma once
// The audit trail (RULES.md A1–A4). Audit() appends a record in the caller's transaction;
// the Sealer chains committed records shortly after (gap-free `sequencia`, `hash_anterior`,
// `hash` = SHA-256(hash_anterior || canonical JSON of the record)) and publishes each sealed
// record as `auditoria.registrada`; VerifyChain() recomputes the chain and names the first
// broken record.
#include <boost/json/object.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "pharmasys/audit/checkpoint.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::audit {

// Who did it and in which request.
struct Actor {
  std::string sub;
  std::string username;
  std::string nome;
  std::string request_id;
  static Actor From(const http::Request& request);
  static Actor System(std::string name);  // changes made by the service itself (events, jobs)
};

struct Signature {
  std::string nome;
  std::string significado;
  std::string em;  // RFC 3339
};

struct Record {
  std::string acao;  // e.g. "lote.criado", "usuario.papeis_alterados"
  std::string entidade;
  std::string entidade_id;
  boost::json::object antes;   // the changed fields' old values (empty on creation)
  boost::json::object depois;  // their new values
  std::optional<std::string> motivo;
  std::optional<Signature> assinatura;
};

// The service name written into every record (set once at start).
void SetServiceName(std::string servico);

// Appends the record in `tx`; returns its id. Whatever the caller passes, the record written is
// valid (RULES.md A6): every text is made valid UTF-8 without NUL and cut to its field's
// bound (NormalizeText), an empty required field is written as "(vazio)".
std::string Audit(pg::Transaction& tx, const Actor& actor, const Record& record);

// Bounds of the record's fields, in characters (docs/events/auditoria.registrada.v1.schema.json).
inline constexpr std::size_t kMaxNameChars = 100;   // acao, entidade
inline constexpr std::size_t kMaxIdChars = 200;     // entidade_id, usuario.*, request_id, assinatura.*
inline constexpr std::size_t kMaxTextChars = 4000;  // motivo, each text inside antes/depois
// Valid UTF-8 (each invalid byte and each NUL becomes U+FFFD), at most `max_chars` code
// points; a cut text ends in "…" (counted in the bound).
std::string NormalizeText(std::string_view text, std::size_t max_chars);

// Seals committed records into the hash chain, in the order they became visible.
class Sealer {
 public:
  explicit Sealer(pg::Pool& pool, std::chrono::milliseconds poll = std::chrono::milliseconds(200),
                  std::size_t batch = 1000);
  ~Sealer();
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;

  // Signs and publishes a checkpoint of the chain head at most every `interval` (RULES.md A8).
  void UseCheckpoints(std::shared_ptr<CheckpointSigner> signer, std::chrono::milliseconds interval);

  void Start();
  void Stop();
  void Wake();
  // One round: seals what is pending now; returns how many (0 when another replica holds
  // the sealing lock). A record whose event breaks its schema is sealed all the same and kept
  // in auditoria_nao_publicada (RULES.md A6).
  std::size_t SealOnce();
  // Publishes the kept records that now pass; returns how many.
  std::size_t RepublishOnce();
  // Signs the head when it moved since the last checkpoint; true when one was written.
  bool CheckpointOnce();

 private:
  void Run();
  pg::Pool& pool_;
  std::chrono::milliseconds poll_;
  std::size_t batch_;
  std::shared_ptr<CheckpointSigner> signer_;
  std::chrono::milliseconds checkpoint_interval_{0};
  BackgroundLoop loop_;
};

// The seal of one record and the chain head (nullopt: no such record / an empty chain).
struct Seal {
  std::int64_t sequencia = 0;
  std::string hash_anterior;
  std::string hash;
};
std::optional<Seal> SealAt(pg::Pool& pool, std::int64_t sequencia);
std::optional<Seal> ChainHead(pg::Pool& pool);
// The checkpoints this service signed, oldest first.
std::vector<Checkpoint> Checkpoints(pg::Pool& pool, std::int64_t after, std::int64_t limit);

struct ChainReport {
  std::int64_t registros = 0;       // sealed records checked
  std::int64_t nao_publicados = 0;  // sealed, kept for re-publication (A6)
  std::int64_t pendentes = 0;       // committed records not sealed yet
  bool integra = true;
  std::optional<std::int64_t> primeiro_registro_invalido;  // its sequencia
  std::string motivo;                                      // why it is invalid
};

ChainReport VerifyChain(pg::Pool& pool);

// The same check over a copy of a trail (records as published in `auditoria.registrada`, every
// field of A1 with hash_anterior and hash), fed one service's records in `sequencia` order.
class ChainChecker {
 public:
  // False once the chain is broken (and from then on).
  bool Add(const boost::json::object& record);
  const ChainReport& report() const { return report_; }

 private:
  ChainReport report_;
  std::string previous_ = std::string(64, '0');
  std::int64_t expected_ = 1;
};

// The sealed records with sequencia > `after`, oldest first, as the JSON of the trail
// (every field of A1, hash_anterior and hash included).
std::vector<boost::json::object> SealedRecords(pg::Pool& pool, std::int64_t after, std::int64_t limit);

// The canonical form hashed into the chain: keys sorted, no whitespace.
std::string CanonicalJson(const boost::json::value& value);

}  // namespace pharmasys::audit
