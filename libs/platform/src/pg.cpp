#include "pharmasys/pg/pg.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>

#include "pharmasys/log/log.hpp"

namespace pharmasys::pg {
namespace {

std::string ErrorField(const PGresult* result, int field) {
  const char* v = result == nullptr ? nullptr : PQresultErrorField(result, field);
  return v == nullptr ? std::string{} : std::string(v);
}

std::string Trimmed(const char* message) {
  std::string m = message == nullptr ? "" : message;
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

// libpq's words (PostgreSQL 15, fe-secure-openssl.c and fe-connect.c) for a TLS setup that
// refuses this server whatever the moment: see SqlError::Configuration.
bool IsTlsRefusal(const std::string& message) {
  for (const char* words : {"certificate verify failed", "does not match host name",
                            "could not get server's host name from server certificate", "root certificate file",
                            "could not read root certificate", "server does not support SSL, but SSL was required"}) {
    if (message.find(words) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

std::string TextArray(const std::vector<std::string>& items) {
  std::size_t size = 2;
  for (const auto& item : items) size += item.size() + 3;
  std::string out;
  out.reserve(size);
  out += '{';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    const std::string& item = items[i];
    std::size_t run = 0;  // runs without a quote or a backslash are copied whole
    for (std::size_t k = item.find_first_of("\"\\"); k != std::string::npos; k = item.find_first_of("\"\\", k + 1)) {
      out.append(item, run, k - run);
      out += '\\';
      out += item[k];
      run = k + 1;
    }
    out.append(item, run, std::string::npos);
    out += '"';
  }
  out += '}';
  return out;
}

namespace {
// Long enough for a lock holder or a burst of conflicts to pass, short enough for a person.
constexpr const char* kTransientRetryAfterSeconds = "1";
}  // namespace

Error ToHttpError(const SqlError& e) {
  const auto& state = e.sqlstate();
  if (state == "23505") return Conflict("Já existe um registro com estes dados (" + e.constraint() + ").");
  if (state == "23503") {
    return ValidationError({{e.constraint().empty() ? "corpo" : e.constraint(), "referência a registro inexistente"}});
  }
  if (state == "23514" || state == "23502" || state.starts_with("22")) {
    return ValidationError({{e.constraint().empty() ? "corpo" : e.constraint(), "valor fora do domínio permitido"}});
  }
  if (e.IsTransient()) {
    std::string detail = "O banco de dados está indisponível; tente novamente.";
    if (state == "57014") detail = "A operação excedeu o tempo limite no banco de dados; tente novamente.";
    if (state == "55P03") detail = "Um registro necessário está em uso por outra operação; tente novamente.";
    if (e.IsRetryable()) detail = "A operação colidiu com outras simultâneas; tente novamente.";
    // Nothing was committed: the same request (with the same Idempotency-Key) is safe to repeat.
    return std::move(Unavailable(std::move(detail)).WithHeader("Retry-After", kTransientRetryAfterSeconds));
  }
  return Error(500, "erro-interno", "Erro interno", "Erro de banco de dados (SQLSTATE " + state + ").");
}

// ---- Result and Row ---------------------------------------------------------------------

Result::Result(pg_result* raw) {
  if (raw != nullptr) raw_ = std::shared_ptr<pg_result>(raw, &PQclear);
}
int Result::size() const {
  return raw_ == nullptr ? 0 : PQntuples(raw_.get());
}
std::int64_t Result::affected() const {
  const char* n = raw_ == nullptr ? "" : PQcmdTuples(raw_.get());
  std::int64_t v = 0;
  std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}
Row Result::Single() const {
  if (size() != 1) throw std::logic_error("expected exactly one row, got " + std::to_string(size()));
  return (*this)[0];
}

bool Row::IsNull(int col) const {
  return PQgetisnull(result_.get(), row_, col) == 1;
}
std::string_view Row::Text(int col) const {
  return {PQgetvalue(result_.get(), row_, col), static_cast<std::size_t>(PQgetlength(result_.get(), row_, col))};
}
std::optional<std::string> Row::OptionalString(int col) const {
  if (IsNull(col)) return std::nullopt;
  return String(col);
}
std::int64_t Row::Int(int col) const {
  auto text = Text(col);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw std::logic_error("column " + std::to_string(col) + " is not an integer");
  }
  return v;
}
std::optional<std::int64_t> Row::OptionalInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
bool Row::Bool(int col) const {
  return Text(col) == "t";
}
Decimal Row::Numeric(int col) const {
  auto d = Decimal::Parse(Text(col));
  if (!d) throw std::logic_error("column " + std::to_string(col) + " is not a 3-place decimal: " + String(col));
  return *d;
}
std::optional<Decimal> Row::OptionalNumeric(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Numeric(col);
}

// ---- Connection ------------------------------------------------------------------------

Connection::Connection(const std::string& conninfo, const std::string& application_name,
                       std::chrono::milliseconds statement_timeout) {
  std::string options = "-c statement_timeout=" + std::to_string(statement_timeout.count()) +
                        " -c lock_timeout=" + std::to_string(statement_timeout.count()) +
                        " -c idle_in_transaction_session_timeout=60000 -c timezone=UTC"
                        // Short OLTP statements: compiling them (JIT) costs more than it saves,
                        // and the planner's cost guesses on recursive queries would trigger it.
                        " -c jit=off";
  const char* keys[] = {"dbname", "application_name", "connect_timeout", "options", nullptr};
  const char* values[] = {conninfo.c_str(), application_name.c_str(), "5", options.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ == nullptr ? "out of memory" : Trimmed(PQerrorMessage(conn_));
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = nullptr;
    if (IsTlsRefusal(message)) {
      throw SqlError::Configuration(
          "cannot connect to PostgreSQL: TLS refused the server: " + message +
          " (sslrootcert in the connection URL names the CA that must have signed the server's certificate, which"
          " must name the URL's host)");
    }
    throw SqlError("08001", "cannot connect to PostgreSQL: " + message);
  }
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool Connection::IsUsable() const {
  return conn_ != nullptr && !broken_ && pending_begin_.empty() && deferred_.empty() &&
         PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Result Connection::Check(pg_result* raw, std::string_view what) {
  return Check(Result(raw), what);
}

Result Connection::Check(Result result, std::string_view what) {
  pg_result* raw = result.raw();
  ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) return result;
  std::string sqlstate = ErrorField(raw, PG_DIAG_SQLSTATE);
  if (sqlstate.empty() || PQstatus(conn_) != CONNECTION_OK) sqlstate = sqlstate.empty() ? "08006" : sqlstate;
  std::string message = raw != nullptr ? Trimmed(PQresultErrorMessage(raw)) : Trimmed(PQerrorMessage(conn_));
  throw SqlError(sqlstate, std::string(what) + ": " + message, ErrorField(raw, PG_DIAG_CONSTRAINT_NAME));
}

void Connection::Prepare(const Query& query) {
  if (std::find(prepared_.begin(), prepared_.end(), query.name) == prepared_.end()) {
    Check(PQprepare(conn_, query.name, query.sql, 0, nullptr), query.name);
    prepared_.emplace_back(query.name);
  }
}

namespace {

std::vector<const char*> Values(const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
  return values;
}

}  // namespace

Result Connection::Exec(const Query& query, const Params& params) {
  if (!pending_begin_.empty() || !deferred_.empty()) {
    auto results = Pipeline({{query, params}});
    return std::move(results.front());
  }
  Prepare(query);
  auto values = Values(params);
  return Check(PQexecPrepared(conn_, query.name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
               query.name);
}

std::vector<Result> Connection::ExecAll(const std::vector<Statement>& statements) {
  if (statements.empty()) {
    Flush();
    return {};
  }
  if (statements.size() == 1) return {Exec(statements.front().query, statements.front().params)};
  return Pipeline(statements);
}

void Connection::Flush() {
  if (!deferred_.empty()) Pipeline({});
}

void Connection::Commit() {
  if (!pending_begin_.empty() && deferred_.empty()) {
    pending_begin_.clear();  // nothing was sent: nothing to commit
    return;
  }
  Pipeline({}, "COMMIT");
}

// A pending BEGIN, what was deferred, `statements` and `trailer` (a COMMIT) are sent, then a
// Sync, then every answer is read: the server runs them in order, and after a failure skips
// the rest up to the Sync. The batches are a few small statements, so sending never waits on a
// server that waits for us to read.
std::vector<Result> Connection::Pipeline(const std::vector<Statement>& statements, const char* trailer) {
  const std::string begin = std::exchange(pending_begin_, {});
  const std::vector<Deferred> deferred = std::exchange(deferred_, {});
  for (const auto& d : deferred) Prepare(*d.query);
  for (const auto& st : statements) Prepare(st.query);
  auto lost = [this](std::string_view what) {
    broken_ = true;  // whatever state the pipeline was left in, this connection is not reused
    return SqlError("08006", std::string(what) + ": " + Trimmed(PQerrorMessage(conn_)));
  };
  if (PQenterPipelineMode(conn_) != 1) throw lost("pipeline");
  const std::size_t expected =
      (begin.empty() ? 0 : 1) + deferred.size() + statements.size() + (trailer == nullptr ? 0 : 1);
  if (!begin.empty() && PQsendQueryParams(conn_, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
    throw lost("BEGIN");
  }
  auto send = [&](const Query& query, const Params& params) {
    auto values = Values(params);
    if (PQsendQueryPrepared(conn_, query.name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0) !=
        1) {
      throw lost(query.name);
    }
  };
  for (const auto& d : deferred) send(*d.query, d.params);
  for (const auto& st : statements) send(st.query, st.params);
  if (trailer != nullptr && PQsendQueryParams(conn_, trailer, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1) {
    throw lost(trailer);
  }
  if (PQpipelineSync(conn_) != 1) throw lost("pipeline");
  // Each statement's answer is one result and then a null; the Sync's is PGRES_PIPELINE_SYNC.
  std::vector<Result> raw;
  raw.reserve(expected);
  for (std::size_t i = 0; i < expected; ++i) {
    pg_result* r = PQgetResult(conn_);
    if (r == nullptr) throw lost("pipeline");
    raw.emplace_back(r);
    while (pg_result* extra = PQgetResult(conn_)) PQclear(extra);  // up to the null ending this answer
  }
  for (;;) {
    pg_result* r = PQgetResult(conn_);
    if (r == nullptr) throw lost("pipeline");
    const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    PQclear(r);
    if (sync) break;
  }
  if (PQexitPipelineMode(conn_) != 1) throw lost("pipeline");
  // In order, so the first failure is the one thrown (the statements after it were skipped).
  std::size_t i = 0;
  if (!begin.empty()) Check(std::move(raw[i++]), "BEGIN");
  for (const auto& d : deferred) Check(std::move(raw[i++]), d.query->name);
  std::vector<Result> out;
  out.reserve(statements.size());
  for (const auto& st : statements) out.push_back(Check(std::move(raw[i++]), st.query.name));
  if (trailer != nullptr) Check(std::move(raw[i]), trailer);
  return out;
}

std::vector<Result> Connection::ExecAllInTransaction(std::string begin, const std::vector<Statement>& statements) {
  deferred_.clear();
  pending_begin_ = std::move(begin);
  try {
    return Pipeline(statements, "COMMIT");
  } catch (const SqlError&) {
    RollBack();  // a failed statement left the transaction aborted (the server skipped the COMMIT)
    throw;
  }
}

void Connection::RollBack() noexcept {
  deferred_.clear();
  pending_begin_.clear();
  const auto status = PQtransactionStatus(conn_);
  if (broken_ || status == PQTRANS_IDLE || status == PQTRANS_UNKNOWN) return;
  pg_result* r = PQexec(conn_, "ROLLBACK");
  if (PQresultStatus(r) != PGRES_COMMAND_OK) broken_ = true;
  PQclear(r);
}

Result Connection::ExecSimple(const std::string& sql) {
  Flush();
  if (!pending_begin_.empty()) Check(PQexec(conn_, std::exchange(pending_begin_, {}).c_str()), "BEGIN");
  return Check(PQexec(conn_, sql.c_str()), "statement");
}

// ---- Pool ------------------------------------------------------------------------------

struct Pool::State {
  mutable std::mutex mutex;
  std::condition_variable available;
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open = 0;
};

Pool::Pool(PoolOptions options) : options_(std::move(options)), state_(std::make_unique<State>()) {}
Pool::~Pool() = default;

std::size_t Pool::open_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->open;
}
std::size_t Pool::idle_connections() const {
  std::lock_guard lock(state_->mutex);
  return state_->idle.size();
}

Pool::Lease Pool::Acquire() {
  auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(state_->mutex);
  while (true) {
    if (!state_->idle.empty()) {
      auto connection = std::move(state_->idle.back());
      state_->idle.pop_back();
      if (connection->IsUsable()) return Lease(this, std::move(connection));
      --state_->open;  // broken while idle (server restarted): drop it and look again
      continue;
    }
    if (state_->open < options_.max_size) {
      ++state_->open;
      lock.unlock();
      try {
        return Lease(this, std::make_unique<Connection>(options_.conninfo, options_.application_name,
                                                        options_.statement_timeout));
      } catch (...) {
        lock.lock();
        --state_->open;
        state_->available.notify_one();
        throw;
      }
    }
    if (state_->available.wait_until(lock, deadline) == std::cv_status::timeout && state_->idle.empty() &&
        state_->open >= options_.max_size) {
      throw Unavailable("Todas as conexões com o banco de dados estão ocupadas; tente novamente.");
    }
  }
}

void Pool::Release(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(state_->mutex);
  // Only an idle connection goes back: one left mid-transaction, holding statements not sent
  // yet, or broken is closed.
  if (connection && connection->IsUsable()) {
    state_->idle.push_back(std::move(connection));
  } else {
    --state_->open;
  }
  state_->available.notify_one();
}

Pool::Lease::~Lease() {
  if (pool_ != nullptr && connection_) pool_->Release(std::move(connection_));
}

Result Pool::Exec(const Query& query, const Params& params) {
  for (int attempt = 1;; ++attempt) {
    auto lease = Acquire();
    try {
      return lease->Exec(query, params);
    } catch (const SqlError& e) {
      // A pooled connection found dead on use: the statement never ran, so one retry is safe.
      if (!(e.IsConnectionLoss() && attempt == 1)) throw;
    }
  }
}

namespace {

// The pause before a transaction runs again: longer with each attempt, and jittered so that two
// transactions that collided do not collide again.
void PauseBeforeAttempt(int attempt, const SqlError& e) {
  thread_local std::minstd_rand jitter(std::random_device{}());
  log::Debug("transaction retried", {{"db.sqlstate", e.sqlstate()}, {"attempt", attempt}});
  std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt + static_cast<int>(jitter() % 20)));
}

}  // namespace

std::vector<Result> Pool::Read(const std::vector<Statement>& statements, Isolation isolation) {
  static const std::string kBegin[] = {"BEGIN READ ONLY", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                       "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"};
  for (int attempt = 1;; ++attempt) {
    auto lease = Acquire();
    try {
      return lease->ExecAllInTransaction(kBegin[static_cast<int>(isolation)], statements);
    } catch (const SqlError& e) {
      if (!((e.IsRetryable() || e.IsConnectionLoss()) && attempt < options_.max_attempts)) throw;
      PauseBeforeAttempt(attempt, e);
    }
  }
}

void Pool::RunInTransaction(const std::function<void(Transaction&)>& work, Isolation isolation) {
  static const std::string kBegin[] = {"BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ",
                                       "BEGIN ISOLATION LEVEL SERIALIZABLE"};
  for (int attempt = 1;; ++attempt) {
    auto lease = Acquire();
    Transaction tx(*lease);
    bool committing = false;
    try {
      // Sent with the transaction's first statement: one round trip less per transaction.
      lease->BeginWithNext(kBegin[static_cast<int>(isolation)]);
      work(tx);
      // What was deferred goes with the COMMIT, in one round trip. A deferred statement's
      // failure is answered before the COMMIT, which the server then skips: a failure like any
      // other. A connection lost on the way leaves the outcome unknown, so it is not retried.
      committing = true;
      lease->Commit();
    } catch (const SqlError& e) {
      lease->RollBack();
      // A connection lost before COMMIT was sent rolled everything back: safe to run again.
      // Lost during COMMIT, the outcome is unknown, so the error goes to the caller.
      bool retry = (e.IsRetryable() || (e.IsConnectionLoss() && !committing)) && attempt < options_.max_attempts;
      if (!retry) throw;
      PauseBeforeAttempt(attempt, e);
      continue;
    } catch (...) {
      lease->RollBack();
      throw;
    }
    for (auto& callback : tx.after_commit()) callback();
    return;
  }
}

}  // namespace pharmasys::pg
