#include "pharmasys/audit/audit.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <vector>

#include "pharmasys/background.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/events/events.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"

namespace pharmasys::audit {
namespace {

const std::string kGenesis(64, '0');

std::mutex service_mutex;
std::string service_name = "pharmasys";

std::string ServiceName() {
  std::lock_guard lock(service_mutex);
  return service_name;
}

WakeList sealers;
void WakeSealers() {
  sealers.WakeAll();
}

constexpr pg::Query kInsertRecord{
    "audit_insert",
    "INSERT INTO auditoria_registro (id, servico, ocorrido_em, usuario, acao, entidade, entidade_id, antes, depois,"
    " motivo, assinatura, request_id) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"};
constexpr pg::Query kInsertPending{"audit_pending", "INSERT INTO auditoria_pendente (registro_id) VALUES ($1::uuid)"};
constexpr pg::Query kSealLock{"audit_seal_lock", "SELECT pg_try_advisory_xact_lock(7206130928)"};
constexpr pg::Query kChainHead{"audit_head", "SELECT sequencia, hash FROM auditoria ORDER BY sequencia DESC LIMIT 1"};

// Columns of a record, in the order Canonical() reads them.
#define PHARMASYS_AUDIT_COLUMNS                                                                                \
  "r.id, r.servico, r.ocorrido_em, r.usuario, r.acao, r.entidade, r.entidade_id, r.antes, r.depois, r.motivo," \
  " r.assinatura, r.request_id"

constexpr pg::Query kPendingRecords{"audit_pending_records",
                                    "SELECT " PHARMASYS_AUDIT_COLUMNS
                                    " FROM auditoria_pendente p JOIN auditoria_registro r ON r.id = p.registro_id"
                                    " ORDER BY r.ordem LIMIT $1 FOR UPDATE OF p SKIP LOCKED"};
constexpr pg::Query kSeal{"audit_seal",
                          "INSERT INTO auditoria (sequencia, registro_id, hash_anterior, hash)"
                          " SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[])"};
constexpr pg::Query kUnqueue{"audit_unqueue", "DELETE FROM auditoria_pendente WHERE registro_id = ANY($1::uuid[])"};
constexpr pg::Query kSealed{"audit_sealed", "SELECT " PHARMASYS_AUDIT_COLUMNS
                                            ", a.sequencia, a.hash_anterior, a.hash"
                                            " FROM auditoria a JOIN auditoria_registro r ON r.id = a.registro_id"
                                            " WHERE a.sequencia > $1 ORDER BY a.sequencia LIMIT $2"};
constexpr pg::Query kCountPending{"audit_count_pending", "SELECT count(*) FROM auditoria_pendente"};

boost::json::value JsonOrNull(const pg::Row& row, int col) {
  if (row.IsNull(col)) return nullptr;
  return json::Parse(row.Text(col));
}

// The record as hashed and as shown: every field of A1 except hash_anterior and hash.
boost::json::object RecordFrom(const pg::Row& row, std::int64_t sequencia) {
  boost::json::object r;
  r["id"] = row.String(0);
  r["servico"] = row.String(1);
  r["sequencia"] = sequencia;
  r["ocorrido_em"] = row.String(2);
  r["usuario"] = json::Parse(row.Text(3));
  r["acao"] = row.String(4);
  r["entidade"] = row.String(5);
  r["entidade_id"] = row.String(6);
  r["antes"] = JsonOrNull(row, 7);
  r["depois"] = JsonOrNull(row, 8);
  r["motivo"] = row.IsNull(9) ? boost::json::value(nullptr) : boost::json::value(row.String(9));
  r["assinatura"] = JsonOrNull(row, 10);
  r["request_id"] = row.IsNull(11) ? boost::json::value(nullptr) : boost::json::value(row.String(11));
  return r;
}

std::string ChainHash(const std::string& previous, const boost::json::object& record) {
  return crypto::Sha256Hex(previous + CanonicalJson(record));
}

std::string UuidArray(const std::vector<std::string>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + ids[i];
  return out + "}";
}

}  // namespace

std::string CanonicalJson(const boost::json::value& value) {
  if (value.is_object()) {
    std::vector<std::pair<std::string_view, const boost::json::value*>> fields;
    for (const auto& kv : value.get_object()) fields.emplace_back(kv.key(), &kv.value());
    std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out = "{";
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ",";
      out += json::Serialize(boost::json::string(fields[i].first)) + ":" + CanonicalJson(*fields[i].second);
    }
    return out + "}";
  }
  if (value.is_array()) {
    std::string out = "[";
    const auto& array = value.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) out += (i > 0 ? "," : "") + CanonicalJson(array[i]);
    return out + "]";
  }
  return json::Serialize(value);
}

Actor Actor::From(const http::Request& request) {
  return {request.principal.sub, request.principal.username, request.principal.nome, request.request_id};
}

Actor Actor::System(std::string name) {
  return {"sistema", name, "Sistema (" + name + ")", ""};
}

void SetServiceName(std::string servico) {
  std::lock_guard lock(service_mutex);
  service_name = std::move(servico);
}

std::string Audit(pg::Transaction& tx, const Actor& actor, const Record& record) {
  std::string id = ids::NewUuidV7();
  boost::json::object usuario{{"sub", actor.sub}, {"username", actor.username}, {"nome", actor.nome}};
  std::optional<std::string> assinatura;
  if (record.assinatura) {
    assinatura = json::Serialize(boost::json::object{{"nome", record.assinatura->nome},
                                                     {"significado", record.assinatura->significado},
                                                     {"em", record.assinatura->em}});
  }
  auto json_or_null = [](const boost::json::object& o) -> std::optional<std::string> {
    return o.empty() ? std::nullopt : std::optional<std::string>(json::Serialize(o));
  };
  tx.Exec(
      kInsertRecord,
      pg::Params(id, ServiceName(), clock::NowRfc3339(), json::Serialize(usuario), record.acao, record.entidade,
                 record.entidade_id, json_or_null(record.antes), json_or_null(record.depois), record.motivo, assinatura,
                 actor.request_id.empty() ? std::nullopt : std::optional<std::string>(actor.request_id)));
  tx.Exec(kInsertPending, pg::Params(id));
  tx.AfterCommit(&WakeSealers);
  return id;
}

// ---- sealer ------------------------------------------------------------------------------

Sealer::Sealer(pg::Pool& pool, std::chrono::milliseconds poll, std::size_t batch)
    : pool_(pool), poll_(poll), batch_(batch) {}

Sealer::~Sealer() {
  Stop();
}

void Sealer::Start() {
  sealers.Add(&loop_);
  loop_.Start([this] { Run(); });
}

void Sealer::Stop() {
  sealers.Remove(&loop_);
  loop_.Stop();
}

void Sealer::Wake() {
  loop_.Wake();
}

std::size_t Sealer::SealOnce() {
  return pool_.Transact([&](pg::Transaction& tx) -> std::size_t {
    if (!tx.Exec(kSealLock).Single().Bool(0)) return 0;
    auto pending = tx.Exec(kPendingRecords, pg::Params(static_cast<std::int64_t>(batch_)));
    if (pending.empty()) return 0;
    auto head = tx.Exec(kChainHead);
    std::int64_t sequencia = head.empty() ? 0 : head.Single().Int(0);
    std::string previous = head.empty() ? kGenesis : head.Single().String(1);
    std::string seqs = "{", prevs = "{", hashes = "{";
    std::vector<std::string> ids;
    std::vector<events::Event> published;
    for (int i = 0; i < pending.size(); ++i) {
      auto record = RecordFrom(pending[i], ++sequencia);
      std::string hash = ChainHash(previous, record);
      const char* sep = i > 0 ? "," : "";
      seqs += sep + std::to_string(sequencia);
      prevs += sep + previous;
      hashes += sep + hash;
      ids.push_back(pending[i].String(0));
      record["hash_anterior"] = previous;
      record["hash"] = hash;
      published.push_back(events::Event::New("auditoria.registrada", ServiceName(), std::move(record)));
      previous = hash;
    }
    events::PublishAll(tx, published);
    std::string id_array = UuidArray(ids);
    tx.Exec(kSeal, pg::Params(seqs + "}", id_array, prevs + "}", hashes + "}"));
    tx.Exec(kUnqueue, pg::Params(id_array));
    return ids.size();
  });
}

void Sealer::Run() {
  int failures = 0;
  while (loop_.running()) {
    try {
      if (SealOnce() > 0) {
        failures = 0;
        continue;  // there may be more
      }
      failures = 0;
      loop_.WaitForWork(poll_);
    } catch (const std::exception& e) {
      if (failures++ == 0) log::Warn("audit sealer failed; records wait to be sealed", {{"error.message", e.what()}});
      loop_.Sleep(Backoff(failures, std::chrono::milliseconds(5000)));
    }
  }
}

// ---- verification ------------------------------------------------------------------------

std::vector<boost::json::object> SealedRecords(pg::Pool& pool, std::int64_t after, std::int64_t limit) {
  auto rows = pool.Exec(kSealed, pg::Params(after, limit));
  std::vector<boost::json::object> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto record = RecordFrom(rows[i], rows[i].Int(12));
    record["hash_anterior"] = rows[i].String(13);
    record["hash"] = rows[i].String(14);
    out.push_back(std::move(record));
  }
  return out;
}

ChainReport VerifyChain(pg::Pool& pool) {
  ChainReport report;
  std::string previous = kGenesis;
  std::int64_t expected = 1;
  constexpr std::int64_t kPage = 5000;
  auto invalid = [&](std::int64_t sequencia, std::string why) {
    report.integra = false;
    report.primeiro_registro_invalido = sequencia;
    report.motivo = std::move(why);
  };
  while (report.integra) {
    auto rows = pool.Exec(kSealed, pg::Params(expected - 1, kPage));
    if (rows.empty()) break;
    for (int i = 0; i < rows.size() && report.integra; ++i) {
      auto row = rows[i];
      std::int64_t sequencia = row.Int(12);
      if (sequencia != expected) {
        invalid(expected, "registro " + std::to_string(expected) + " ausente (a sequência salta para " +
                              std::to_string(sequencia) + ")");
        break;
      }
      if (row.String(13) != previous) {
        invalid(sequencia, "hash_anterior não é o hash do registro anterior");
        break;
      }
      std::string hash;
      try {
        hash = ChainHash(previous, RecordFrom(row, sequencia));
      } catch (const std::exception&) {
        invalid(sequencia, "conteúdo ilegível");
        break;
      }
      if (hash != row.String(14)) {
        invalid(sequencia, "o conteúdo não corresponde ao hash registrado");
        break;
      }
      previous = hash;
      ++report.registros;
      ++expected;
    }
    if (rows.size() < kPage) break;
  }
  report.pendentes = pool.Exec(kCountPending).Single().Int(0);
  return report;
}

bool ChainChecker::Add(const boost::json::object& record) {
  if (!report_.integra) return false;
  auto invalid = [&](std::int64_t sequencia, std::string why) {
    report_.integra = false;
    report_.primeiro_registro_invalido = sequencia;
    report_.motivo = std::move(why);
    return false;
  };
  try {
    const std::int64_t sequencia = record.at("sequencia").to_number<std::int64_t>();
    if (sequencia != expected_) {
      return invalid(expected_, "registro " + std::to_string(expected_) + " ausente (a sequência salta para " +
                                    std::to_string(sequencia) + ")");
    }
    if (record.at("hash_anterior").as_string() != previous_) {
      return invalid(sequencia, "hash_anterior não é o hash do registro anterior");
    }
    boost::json::object content = record;
    content.erase("hash_anterior");
    content.erase("hash");
    std::string hash = ChainHash(previous_, content);
    if (hash != record.at("hash").as_string()) {
      return invalid(sequencia, "o conteúdo não corresponde ao hash registrado");
    }
    previous_ = std::move(hash);
  } catch (const std::exception&) {
    return invalid(expected_, "registro ilegível");
  }
  ++report_.registros;
  ++expected_;
  return true;
}

}  // namespace pharmasys::audit
