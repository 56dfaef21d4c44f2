#include "pharmasys/audit/audit.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <vector>

#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/clock.hpp"
#include "pharmasys/crypto.hpp"
#include "pharmasys/events/contracts.hpp"
#include "pharmasys/events/event.hpp"
#include "pharmasys/http/message.hpp"
#include "pharmasys/ids.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/metrics/metrics.hpp"

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

// The record and its place in the sealer's queue, which keeps the record's `ordem`.
constexpr pg::Query kInsertRecord{
    "audit_insert",
    "WITH r AS (INSERT INTO auditoria_registro (id, servico, ocorrido_em, usuario, acao, entidade, entidade_id, antes,"
    " depois, motivo, assinatura, request_id) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    " RETURNING id, ordem) INSERT INTO auditoria_pendente (registro_id, ordem) SELECT id, ordem FROM r"};
constexpr pg::Query kSealLock{"audit_seal_lock", "SELECT pg_try_advisory_xact_lock(7206130928)"};
constexpr pg::Query kChainHead{"audit_head", "SELECT sequencia, hash FROM auditoria ORDER BY sequencia DESC LIMIT 1"};

// Columns of a record, in the order Canonical() reads them.
#define PHARMASYS_AUDIT_COLUMNS                                                                                \
  "r.id, r.servico, r.ocorrido_em, r.usuario, r.acao, r.entidade, r.entidade_id, r.antes, r.depois, r.motivo," \
  " r.assinatura, r.request_id"

// The batch's head of the queue, read from its `ordem` index, then each record looked up by
// its key: the cost is the batch's, whatever the queue's or the trail's length. (Sorting the
// whole queue joined to the trail on every round made a round's cost grow with the queue: under
// load the sealer fell behind and fell further with every round.)
constexpr pg::Query kPendingRecords{"audit_pending_records",
                                    "SELECT " PHARMASYS_AUDIT_COLUMNS
                                    " FROM (SELECT registro_id, ordem FROM auditoria_pendente ORDER BY ordem LIMIT $1"
                                    " FOR UPDATE SKIP LOCKED) p JOIN auditoria_registro r ON r.id = p.registro_id"
                                    " ORDER BY p.ordem"};
constexpr pg::Query kSeal{"audit_seal",
                          "INSERT INTO auditoria (sequencia, registro_id, hash_anterior, hash)"
                          " SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[])"};
constexpr pg::Query kUnqueue{"audit_unqueue", "DELETE FROM auditoria_pendente WHERE registro_id = ANY($1::uuid[])"};
constexpr pg::Query kSealed{"audit_sealed", "SELECT " PHARMASYS_AUDIT_COLUMNS
                                            ", a.sequencia, a.hash_anterior, a.hash"
                                            " FROM auditoria a JOIN auditoria_registro r ON r.id = a.registro_id"
                                            " WHERE a.sequencia > $1 ORDER BY a.sequencia LIMIT $2"};
constexpr pg::Query kCountPending{"audit_count_pending", "SELECT count(*) FROM auditoria_pendente"};
constexpr pg::Query kCountUnpublished{"audit_count_unpublished", "SELECT count(*) FROM auditoria_nao_publicada"};
constexpr pg::Query kKeepUnpublished{"audit_keep_unpublished",
                                     "INSERT INTO auditoria_nao_publicada (registro_id, sequencia, motivo)"
                                     " SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[])"};
constexpr pg::Query kUnpublished{"audit_unpublished",
                                 "SELECT " PHARMASYS_AUDIT_COLUMNS
                                 ", a.sequencia, a.hash_anterior, a.hash"
                                 " FROM auditoria_nao_publicada n JOIN auditoria a ON a.sequencia = n.sequencia"
                                 " JOIN auditoria_registro r ON r.id = a.registro_id ORDER BY n.sequencia LIMIT 500"};
constexpr pg::Query kPublished{"audit_published",
                               "DELETE FROM auditoria_nao_publicada WHERE registro_id = ANY($1::uuid[])"};
constexpr pg::Query kSealAt{"audit_seal_at",
                            "SELECT sequencia, hash_anterior, hash FROM auditoria WHERE sequencia = $1"};
constexpr pg::Query kHead{"audit_head_seal",
                          "SELECT sequencia, hash_anterior, hash FROM auditoria ORDER BY sequencia DESC LIMIT 1"};
constexpr pg::Query kLastCheckpoint{"audit_last_checkpoint",
                                    "SELECT sequencia FROM auditoria_checkpoint ORDER BY sequencia DESC LIMIT 1"};
constexpr pg::Query kInsertCheckpoint{"audit_insert_checkpoint",
                                      "INSERT INTO auditoria_checkpoint (sequencia, hash, em, chave_id, assinatura)"
                                      " VALUES ($1, $2, $3, $4, $5)"};
constexpr pg::Query kCheckpoints{"audit_checkpoints",
                                 "SELECT sequencia, hash, em, chave_id, assinatura FROM auditoria_checkpoint"
                                 " WHERE sequencia > $1 ORDER BY sequencia LIMIT $2"};

// A column that is not JSON (written past the writer) is kept as its text, so the chain can
// still be sealed and verified; its event then breaks the schema and waits unpublished.
boost::json::value JsonOrText(const pg::Row& row, int col) {
  const auto text = row.Text(col);
  try {
    return json::Parse(text);
  } catch (const std::exception&) {
    return boost::json::string(text);
  }
}

boost::json::value JsonOrNull(const pg::Row& row, int col) {
  if (row.IsNull(col)) return nullptr;
  return JsonOrText(row, col);
}

// The record as hashed and as shown: every field of A1 except hash_anterior and hash.
boost::json::object RecordFrom(const pg::Row& row, std::int64_t sequencia) {
  boost::json::object r;
  r["id"] = row.String(0);
  r["servico"] = row.String(1);
  r["sequencia"] = sequencia;
  r["ocorrido_em"] = row.String(2);
  r["usuario"] = JsonOrText(row, 3);
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

// CanonicalJson, appended to `out` (one buffer for the whole record, not a string per member).
void AppendCanonical(std::string& out, const boost::json::value& value);

void AppendCanonical(std::string& out, const boost::json::object& object) {
  std::vector<std::pair<std::string_view, const boost::json::value*>> fields;
  fields.reserve(object.size());
  for (const auto& kv : object) fields.emplace_back(kv.key(), &kv.value());
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '{';
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    json::AppendString(out, fields[i].first);
    out += ':';
    AppendCanonical(out, *fields[i].second);
  }
  out += '}';
}

void AppendCanonical(std::string& out, const boost::json::value& value) {
  if (value.is_object()) {
    AppendCanonical(out, value.get_object());
    return;
  }
  if (value.is_array()) {
    out += '[';
    const auto& array = value.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      if (i > 0) out += ',';
      AppendCanonical(out, array[i]);
    }
    out += ']';
    return;
  }
  json::AppendSerialized(out, value);
}

std::string ChainHash(const std::string& previous, const boost::json::object& record) {
  std::string text = previous;
  text.reserve(previous.size() + 1024);
  AppendCanonical(text, record);
  return crypto::Sha256Hex(text);
}

std::string UuidArray(const std::vector<std::string>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + ids[i];
  return out + "}";
}

// Every text of a JSON value normalised (keys as names, values as texts).
boost::json::value Normalized(const boost::json::value& value, int depth = 0) {
  if (value.is_string()) return boost::json::string(NormalizeText(value.get_string(), kMaxTextChars));
  if (depth > 32) return boost::json::string("(aninhamento excessivo)");
  if (value.is_object()) {
    boost::json::object out;
    for (const auto& kv : value.get_object())
      out[NormalizeText(kv.key(), kMaxNameChars)] = Normalized(kv.value(), depth + 1);
    return out;
  }
  if (value.is_array()) {
    boost::json::array out;
    for (const auto& v : value.get_array()) out.push_back(Normalized(v, depth + 1));
    return out;
  }
  return value;
}

std::string Required(std::string_view text, std::size_t max_chars) {
  std::string out = NormalizeText(text, max_chars);
  return out.empty() ? "(vazio)" : out;
}

std::optional<std::string> OptionalText(const std::optional<std::string>& text, std::size_t max_chars) {
  if (!text) return std::nullopt;
  return NormalizeText(*text, max_chars);
}

}  // namespace

std::string NormalizeText(std::string_view in, std::size_t max_chars) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";     // U+2026
  std::string out;
  out.reserve(std::min(in.size(), max_chars * 4));
  std::size_t chars = 0;
  std::size_t cut_at = std::string::npos;  // where the text ends if it must end in "…"
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n;) {
    std::size_t len = 0;
    std::uint32_t cp = 0;
    const unsigned char c = s[i];
    if (c < 0x80) {
      len = 1;
      cp = c;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    }
    bool valid = len > 0 && i + len <= n;
    for (std::size_t k = 1; valid && k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (valid && len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) valid = false;
    if (valid && len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) valid = false;
    if (valid && cp == 0) valid = false;
    if (chars + 1 == max_chars) cut_at = out.size();
    if (chars == max_chars) {  // one character too many: cut, leaving room for "…"
      out.resize(cut_at == std::string::npos ? 0 : cut_at);
      if (max_chars > 0) out += kEllipsis;
      return out;
    }
    if (valid) {
      out.append(in.substr(i, len));
      i += len;
    } else {
      out += kReplacement;
      i += 1;
    }
    ++chars;
  }
  return out;
}

std::string CanonicalJson(const boost::json::value& value) {
  std::string out;
  AppendCanonical(out, value);
  return out;
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
  boost::json::object usuario{{"sub", NormalizeText(actor.sub, kMaxIdChars)},
                              {"username", NormalizeText(actor.username, kMaxIdChars)},
                              {"nome", NormalizeText(actor.nome, kMaxIdChars)}};
  std::optional<std::string> assinatura;
  if (record.assinatura) {
    assinatura =
        json::Serialize(boost::json::object{{"nome", NormalizeText(record.assinatura->nome, kMaxIdChars)},
                                            {"significado", NormalizeText(record.assinatura->significado, kMaxIdChars)},
                                            {"em", NormalizeText(record.assinatura->em, kMaxIdChars)}});
  }
  auto json_or_null = [](const boost::json::object& o) -> std::optional<std::string> {
    return o.empty() ? std::nullopt : std::optional<std::string>(json::Serialize(Normalized(o)));
  };
  const std::string request_id = NormalizeText(actor.request_id, kMaxIdChars);
  // The record and its place in the sealer's queue: written with the transaction's next
  // statement (or before its COMMIT), not on a round trip of its own.
  tx.Defer(
      kInsertRecord,
      pg::Params(id, ServiceName(), clock::NowRfc3339(), json::Serialize(usuario), Required(record.acao, kMaxNameChars),
                 Required(record.entidade, kMaxNameChars), Required(record.entidade_id, kMaxIdChars),
                 json_or_null(record.antes), json_or_null(record.depois), OptionalText(record.motivo, kMaxTextChars),
                 assinatura, request_id.empty() ? std::nullopt : std::optional<std::string>(request_id)));
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

void Sealer::UseCheckpoints(std::shared_ptr<CheckpointSigner> signer, std::chrono::milliseconds interval) {
  signer_ = std::move(signer);
  checkpoint_interval_ = interval;
}

namespace {

struct Unpublished {
  std::vector<std::string> ids, motivos;
  std::string seqs = "{";
  void Add(const std::string& id, std::int64_t sequencia, std::string why) {
    seqs += (ids.empty() ? "" : ",") + std::to_string(sequencia);
    ids.push_back(id);
    motivos.push_back(NormalizeText(why, kMaxTextChars));
  }
};

// The event of a sealed record, or why it cannot be published.
std::optional<events::Event> EventOf(boost::json::object record, std::string& why) {
  auto event = events::Event::New(std::string(events::AuditoriaRegistrada::kTipo), ServiceName(), {});
  // The record keeps to its contract (events::AuditoriaRegistrada) when the envelope keeps to
  // its schema, checked here as it will be published. The envelope checked is event.ToJson() with the record moved in
  // as `dados` (its last member, as ToJson writes it), and moved back out after: the record is never copied.
  boost::json::value envelope = event.ToJson();
  envelope.as_object()["dados"] = std::move(record);
  auto violations = events::SchemaViolations(envelope);
  event.dados = std::move(envelope.as_object()["dados"].as_object());
  if (!violations.empty()) {
    why = violations.front();
    return std::nullopt;
  }
  return event;
}

void CountUnpublished(pg::Transaction& tx, std::size_t added) {
  auto& registry = metrics::Registry::Global();
  if (added > 0) registry.Increment("audit_records_unpublished_total", {}, static_cast<double>(added));
  registry.SetGauge("audit_records_unpublished", {}, static_cast<double>(tx.Exec(kCountUnpublished).Single().Int(0)));
}

}  // namespace

std::size_t Sealer::SealOnce() {
  return pool_.Transact([&](pg::Transaction& tx) -> std::size_t {
    if (!tx.Exec(kSealLock).Single().Bool(0)) return 0;
    // The chain's head is read with the queue, in one round trip (and unused when it is empty).
    auto read = tx.ExecAll({{kPendingRecords, pg::Params(static_cast<std::int64_t>(batch_))}, {kChainHead}});
    const auto& pending = read[0];
    if (pending.empty()) return 0;
    const auto& head = read[1];
    std::int64_t sequencia = head.empty() ? 0 : head.Single().Int(0);
    std::string previous = head.empty() ? kGenesis : head.Single().String(1);
    std::string seqs = "{", prevs = "{", hashes = "{";
    std::vector<std::string> ids;
    std::vector<events::Event> published;
    Unpublished kept;
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
      // A record whose event cannot be published is sealed all the same: the chain never
      // waits for it (RULES.md A6).
      std::string why;
      if (auto event = EventOf(std::move(record), why)) {
        published.push_back(std::move(*event));
      } else {
        kept.Add(ids.back(), sequencia, why);
      }
      previous = std::move(hash);
    }
    events::PublishAllChecked(tx, published);
    std::string id_array = UuidArray(ids);
    // Sent with what follows, or with the COMMIT.
    tx.Defer(kSeal, pg::Params(seqs + "}", id_array, prevs + "}", hashes + "}"));
    tx.Defer(kUnqueue, pg::Params(id_array));
    if (!kept.ids.empty()) {
      tx.Exec(kKeepUnpublished, pg::Params(UuidArray(kept.ids), kept.seqs + "}", pg::TextArray(kept.motivos)));
      log::Error("audit records sealed but not published; kept for re-publication",
                 {{"audit.unpublished", kept.ids.size()}, {"error.message", kept.motivos.front()}});
      CountUnpublished(tx, kept.ids.size());
    }
    return ids.size();
  });
}

std::size_t Sealer::RepublishOnce() {
  return pool_.Transact([&](pg::Transaction& tx) -> std::size_t {
    if (!tx.Exec(kSealLock).Single().Bool(0)) return 0;
    auto rows = tx.Exec(kUnpublished);
    if (rows.empty()) {
      metrics::Registry::Global().SetGauge("audit_records_unpublished", {}, 0);
      return 0;
    }
    std::vector<events::Event> published;
    std::vector<std::string> ids;
    for (int i = 0; i < rows.size(); ++i) {
      auto record = RecordFrom(rows[i], rows[i].Int(12));
      record["hash_anterior"] = rows[i].String(13);
      record["hash"] = rows[i].String(14);
      std::string why;
      if (auto event = EventOf(record, why)) {
        published.push_back(std::move(*event));
        ids.push_back(rows[i].String(0));
      }
    }
    if (!ids.empty()) {
      events::PublishAllChecked(tx, published);
      tx.Exec(kPublished, pg::Params(UuidArray(ids)));
    }
    CountUnpublished(tx, 0);
    return ids.size();
  });
}

bool Sealer::CheckpointOnce() {
  if (!signer_) return false;
  return pool_.Transact([&](pg::Transaction& tx) -> bool {
    if (!tx.Exec(kSealLock).Single().Bool(0)) return false;
    auto head = tx.Exec(kChainHead);
    if (head.empty()) return false;
    auto last = tx.Exec(kLastCheckpoint);
    const std::int64_t sequencia = head.Single().Int(0);
    if (!last.empty() && last.Single().Int(0) >= sequencia) return false;
    Checkpoint checkpoint{
        .servico = ServiceName(), .sequencia = sequencia, .hash = head.Single().String(1), .em = clock::NowRfc3339()};
    signer_->Sign(checkpoint);
    tx.Exec(kInsertCheckpoint, pg::Params(checkpoint.sequencia, checkpoint.hash, checkpoint.em, checkpoint.chave_id,
                                          checkpoint.assinatura));
    events::Publish(tx,
                    events::NewEvent(ServiceName(), events::AuditoriaCheckpoint{.servico = checkpoint.servico,
                                                                                .sequencia = checkpoint.sequencia,
                                                                                .hash = checkpoint.hash,
                                                                                .em = checkpoint.em,
                                                                                .chave_id = checkpoint.chave_id,
                                                                                .assinatura = checkpoint.assinatura}));
    return true;
  });
}

void Sealer::Run() {
  using Clock = std::chrono::steady_clock;
  int failures = 0;
  auto next_checkpoint = Clock::now();
  auto next_republish = Clock::now();
  while (loop_.running()) {
    try {
      // A full batch: there may be more. A partial one took all there was: a record committed
      // since has woken this loop, and the wait below returns at once.
      if (SealOnce() >= batch_) {
        failures = 0;
        continue;
      }
      const auto now = Clock::now();
      if (signer_ && now >= next_checkpoint) {
        CheckpointOnce();
        next_checkpoint = now + checkpoint_interval_;
      }
      if (now >= next_republish) {
        RepublishOnce();
        next_republish = now + std::chrono::minutes(1);
      }
      failures = 0;
      loop_.WaitForWork(poll_);
      // Woken by a commit, what commits in the next moment is sealed with it: one seal
      // transaction (one disk flush) for many records instead of one per record.
      if (gather_.count() > 0) loop_.Sleep(gather_);
    } catch (const std::exception& e) {
      if (failures++ == 0) log::Warn("audit sealer failed; records wait to be sealed", {{"error.message", e.what()}});
      loop_.Sleep(Backoff(failures, std::chrono::milliseconds(5000)));
    }
  }
}

std::optional<Seal> SealAt(pg::Pool& pool, std::int64_t sequencia) {
  auto rows = pool.Exec(kSealAt, pg::Params(sequencia));
  if (rows.empty()) return std::nullopt;
  return Seal{rows.Single().Int(0), rows.Single().String(1), rows.Single().String(2)};
}

std::optional<Seal> ChainHead(pg::Pool& pool) {
  auto rows = pool.Exec(kHead);
  if (rows.empty()) return std::nullopt;
  return Seal{rows.Single().Int(0), rows.Single().String(1), rows.Single().String(2)};
}

std::vector<Checkpoint> Checkpoints(pg::Pool& pool, std::int64_t after, std::int64_t limit) {
  auto rows = pool.Exec(kCheckpoints, pg::Params(after, limit));
  std::vector<Checkpoint> out;
  for (int i = 0; i < rows.size(); ++i) {
    out.push_back(
        {ServiceName(), rows[i].Int(0), rows[i].String(1), rows[i].String(2), rows[i].String(3), rows[i].String(4)});
  }
  return out;
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
  report.nao_publicados = pool.Exec(kCountUnpublished).Single().Int(0);
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
