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
#include <thread>

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

// Appends the record in `tx`; returns its id.
std::string Audit(pg::Transaction& tx, const Actor& actor, const Record& record);

// Seals committed records into the hash chain, in the order they became visible.
class Sealer {
 public:
  explicit Sealer(pg::Pool& pool, std::chrono::milliseconds poll = std::chrono::milliseconds(200),
                  std::size_t batch = 1000);
  ~Sealer();
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;

  void Start();
  void Stop();
  void Wake();
  // One round: seals what is pending now; returns how many (0 when another replica holds
  // the sealing lock).
  std::size_t SealOnce();

 private:
  void Run();
  pg::Pool& pool_;
  std::chrono::milliseconds poll_;
  std::size_t batch_;
  BackgroundLoop loop_;
};

struct ChainReport {
  std::int64_t registros = 0;  // sealed records checked
  std::int64_t pendentes = 0;  // committed records not sealed yet
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
