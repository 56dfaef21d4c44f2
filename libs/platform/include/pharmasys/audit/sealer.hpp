#pragma once
// The audit trail's chain (RULES.md A2–A4, A6, A8): the Sealer chains committed records shortly
// after they commit (gap-free `sequencia`, `hash_anterior`, `hash` = SHA-256(hash_anterior ||
// canonical JSON of the record)) and publishes each sealed record as `auditoria.registrada`;
// VerifyChain() recomputes the chain and names the first broken record. Records themselves are
// written by Audit() (audit.hpp).
#include <boost/json/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pharmasys/audit/checkpoint.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/pg/pg.hpp"

namespace pharmasys::audit {

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
  // Woken by a commit, waits `gather` (50 ms unless told) before sealing, so that one seal
  // transaction takes every record committed meanwhile: sealing each record alone would double
  // the plant's commits (and disk flushes) at low load. A full batch is sealed at once. 0: none.
  void GatherFor(std::chrono::milliseconds gather) { gather_ = gather; }

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
  std::chrono::milliseconds gather_{50};
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
