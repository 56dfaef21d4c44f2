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

}  // namespace

std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
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
    throw SqlError("08001", "cannot connect to PostgreSQL: " + message);
  }
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool Connection::IsUsable() const {
  return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Result Connection::Check(pg_result* raw, std::string_view what) {
  Result result(raw);
  ExecStatusType status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) return result;
  std::string sqlstate = ErrorField(raw, PG_DIAG_SQLSTATE);
  if (sqlstate.empty() || PQstatus(conn_) != CONNECTION_OK) sqlstate = sqlstate.empty() ? "08006" : sqlstate;
  std::string message = raw != nullptr ? Trimmed(PQresultErrorMessage(raw)) : Trimmed(PQerrorMessage(conn_));
  throw SqlError(sqlstate, std::string(what) + ": " + message, ErrorField(raw, PG_DIAG_CONSTRAINT_NAME));
}

Result Connection::Exec(const Query& query, const Params& params) {
  if (std::find(prepared_.begin(), prepared_.end(), query.name) == prepared_.end()) {
    Check(PQprepare(conn_, query.name, query.sql, 0, nullptr), query.name);
    prepared_.emplace_back(query.name);
  }
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
  return Check(PQexecPrepared(conn_, query.name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
               query.name);
}

Result Connection::ExecSimple(const std::string& sql) {
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
  // Only an idle connection goes back: one left mid-transaction or broken is closed.
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

void Pool::RunInTransaction(const std::function<void(Transaction&)>& work, Isolation isolation) {
  static const std::string kBegin[] = {"BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ",
                                       "BEGIN ISOLATION LEVEL SERIALIZABLE"};
  thread_local std::minstd_rand jitter(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    auto lease = Acquire();
    Transaction tx(*lease);
    bool began = false;
    bool committing = false;
    try {
      lease->ExecSimple(kBegin[static_cast<int>(isolation)]);
      began = true;
      work(tx);
      committing = true;
      lease->ExecSimple("COMMIT");
    } catch (const SqlError& e) {
      if (began && PQstatus(lease->raw()) == CONNECTION_OK) {
        try {
          lease->ExecSimple("ROLLBACK");
        } catch (const SqlError&) {
        }
      }
      // A connection lost before COMMIT was sent rolled everything back: safe to run again.
      // Lost during COMMIT, the outcome is unknown, so the error goes to the caller.
      bool retry = (e.IsRetryable() || (e.IsConnectionLoss() && !committing)) && attempt < options_.max_attempts;
      if (!retry) throw;
      log::Debug("transaction retried", {{"db.sqlstate", e.sqlstate()}, {"attempt", attempt}});
      std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt + static_cast<int>(jitter() % 20)));
      continue;
    } catch (...) {
      if (began && PQstatus(lease->raw()) == CONNECTION_OK) {
        try {
          lease->ExecSimple("ROLLBACK");
        } catch (const SqlError&) {
        }
      }
      throw;
    }
    for (auto& callback : tx.after_commit()) callback();
    return;
  }
}

}  // namespace pharmasys::pg
