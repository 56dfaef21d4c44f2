#pragma once
// PostgreSQL over libpq: a bounded pool, explicit transactions retried on serialization
// failures and deadlocks, parameters only ($1, $2, ...), every statement a named constant
// prepared once per connection. Calls block: use them from handler workers or background
// threads, never from an event loop.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pharmasys/decimal.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/list_order.hpp"

struct pg_result;
struct pg_conn;

namespace pharmasys::pg {

// One named SQL statement. Define them as constants beside the code that uses them:
//   constexpr pg::Query kLoteById{"lote_by_id", "SELECT ... WHERE id = $1"};
struct Query {
  const char* name;
  const char* sql;
};

// A list read both ways (API.md `ordem`): its key ascending after the cursor, or descending
// before it. Two prepared statements rather than a CASE in ORDER BY, which no index serves:
// each plans its own scan of the key's index, forward or backward.
struct ListQuery {
  Query ascending;
  Query descending;
  const Query& operator[](SortOrder order) const { return order == SortOrder::Descending ? descending : ascending; }
};

// Both statements of a ListQuery from one text. `select` is what comes before the WHERE
// ("SELECT ... FROM t "), `filters` the other conditions (each " AND ...", or ""), `key` the
// column the list is ordered and paged by, `cursor` and `limit` their parameters with casts:
//   constexpr pg::ListQuery kQ = PHARMASYS_PG_LIST("q", "SELECT id FROM t ", " AND ($1::text IS NULL OR s = $1)",
//                                                  "id", "$2::uuid", "$3");
// The descending statement is named `<name>_desc`.
#define PHARMASYS_PG_LIST(name, select, filters, key, cursor, limit)                            \
  ::pharmasys::pg::ListQuery {                                                                  \
    PHARMASYS_PG_LIST_PAGE(name, select, filters, key, cursor, limit, ">", ""),                 \
        PHARMASYS_PG_LIST_PAGE(name "_desc", select, filters, key, cursor, limit, "<", " DESC") \
  }
#define PHARMASYS_PG_LIST_PAGE(name, select, filters, key, cursor, limit, beyond, direction)                      \
  {                                                                                                               \
    name, select "WHERE (" cursor " IS NULL OR " key " " beyond " " cursor ")" filters " ORDER BY " key direction \
                 " LIMIT " limit                                                                                  \
  }

// A timestamptz column as RFC 3339 UTC with milliseconds ("2026-11-29T10:15:30.123Z"), the
// form every instant leaves the services in, written into a query's text:
//   constexpr pg::Query kQ{"q", "SELECT " PHARMASYS_PG_INSTANT("criado_em") " FROM t"};
#define PHARMASYS_PG_INSTANT(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

// The next value of sequence `seq` as the number in a generated code, zero-padded to at least
// `digits` digits and never cut: `lpad` alone truncates a longer value, so codes would collide
// once the counter outgrows its padding (RULES.md B9); here the code grows a digit instead.
// An uncorrelated subquery: one value per statement, as in a single-row INSERT.
//   constexpr pg::Query kQ{"q", "INSERT INTO t (codigo) VALUES ('AM-' || " PHARMASYS_PG_CODE_NUMBER("t_seq", "6") ")"};
#define PHARMASYS_PG_CODE_NUMBER(seq, digits) \
  "(SELECT lpad(s.n::text, greatest(" digits ", length(s.n::text)), '0') FROM nextval('" seq "') AS s(n))"

// A database error with its SQLSTATE. ToHttp() maps the ones a client can cause.
class SqlError : public std::runtime_error {
 public:
  SqlError(std::string sqlstate, const std::string& message, std::string constraint = {})
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), constraint_(std::move(constraint)) {}
  // A connection that can never succeed as configured: the server's TLS certificate was
  // refused (sslmode=verify-ca/verify-full: not signed by sslrootcert's CA, or not naming the
  // host), sslrootcert cannot be read, or the server has no TLS while the URL requires it.
  // SQLSTATE 08001, yet not a connection loss: waiting does not fix it.
  static SqlError Configuration(const std::string& message) {
    SqlError e("08001", message);
    e.configuration_ = true;
    return e;
  }
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& constraint() const { return constraint_; }
  bool IsConfiguration() const { return configuration_; }
  bool IsRetryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }
  bool IsUniqueViolation() const { return sqlstate_ == "23505"; }
  bool IsConnectionLoss() const { return !configuration_ && (sqlstate_.starts_with("08") || sqlstate_ == "57P01"); }
  // The database could not do it now and may well later: the connection was lost, a lock or
  // statement timeout ran out (55P03, 57014), or a serialization failure or deadlock outlived
  // Transact's retries. Nothing was committed. The consumer waits and tries again; the HTTP
  // edge answers 503 with Retry-After.
  bool IsTransient() const {
    return IsConnectionLoss() || IsRetryable() || sqlstate_ == "55P03" || sqlstate_ == "57014";
  }

 private:
  std::string sqlstate_;
  std::string constraint_;
  bool configuration_ = false;
};

// The problem a SqlError becomes at the HTTP edge: 23505 → 409 conflito, 23503/23514/22xxx →
// 422 validacao, a transient failure (IsTransient) → 503 indisponivel with Retry-After,
// anything else → 500.
Error ToHttpError(const SqlError& error);

// Text-format parameters; std::nullopt is SQL NULL.
class Params {
 public:
  Params() = default;
  template <typename... T>
  explicit Params(T&&... values) {
    (Add(std::forward<T>(values)), ...);
  }
  Params& Add(std::string_view v) { return Push(std::string(v)); }
  Params& Add(const std::string& v) { return Push(v); }
  Params& Add(std::string&& v) { return Push(std::move(v)); }
  Params& Add(const char* v) { return Push(std::string(v)); }
  Params& Add(std::int64_t v) { return Push(std::to_string(v)); }
  Params& Add(int v) { return Push(std::to_string(v)); }
  Params& Add(bool v) { return Push(v ? "true" : "false"); }
  Params& Add(Decimal v) { return Push(v.ToFixedString()); }
  Params& Add(std::nullopt_t) { return Push(std::nullopt); }
  template <typename T>
  Params& Add(const std::optional<T>& v) {
    return v ? Add(*v) : Push(std::nullopt);
  }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  Params& Push(std::optional<std::string> v) {
    values_.push_back(std::move(v));
    return *this;
  }
  std::vector<std::optional<std::string>> values_;
};

// A PostgreSQL array literal of texts, for `$n::text[]` parameters (quotes and backslashes
// escaped, so any text is safe).
std::string TextArray(const std::vector<std::string>& items);

// One row of a result, read by column index. A Row shares ownership of its result, so
// `auto row = pool.Exec(q).Single();` stays valid.
class Row {
 public:
  Row(std::shared_ptr<pg_result> result, int row) : result_(std::move(result)), row_(row) {}
  bool IsNull(int col) const;
  std::string_view Text(int col) const;
  std::string String(int col) const { return std::string(Text(col)); }
  std::optional<std::string> OptionalString(int col) const;
  std::int64_t Int(int col) const;
  std::optional<std::int64_t> OptionalInt(int col) const;
  bool Bool(int col) const;
  Decimal Numeric(int col) const;  // numeric(18,3) and friends, exactly
  std::optional<Decimal> OptionalNumeric(int col) const;

 private:
  std::shared_ptr<pg_result> result_;
  int row_;
};

class Result {
 public:
  explicit Result(pg_result* raw);

  int size() const;
  bool empty() const { return size() == 0; }
  Row operator[](int row) const { return Row(raw_, row); }
  Row Single() const;  // exactly one row, else std::logic_error
  std::int64_t affected() const;
  pg_result* raw() const { return raw_.get(); }

 private:
  std::shared_ptr<pg_result> raw_;
};

// One statement of a pipelined batch (Transaction::ExecAll).
struct Statement {
  const Query& query;
  Params params = {};
};

// A live libpq connection (RAII). Statements are prepared on first use.
class Connection {
 public:
  Connection(const std::string& conninfo, const std::string& application_name,
             std::chrono::milliseconds statement_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result Exec(const Query& query, const Params& params = {});
  // `statements` sent at once and run in order: one round trip (libpq pipeline mode). Throws
  // the first failure; the statements after it did not run.
  std::vector<Result> ExecAll(const std::vector<Statement>& statements);
  // For statements that cannot be prepared (BEGIN ISOLATION LEVEL, SET, DDL in migrations).
  Result ExecSimple(const std::string& sql);
  // `sql` (a BEGIN) is sent together with the next statement instead of on its own round trip.
  void BeginWithNext(std::string sql) { pending_begin_ = std::move(sql); }
  // `query` is sent with the next statement, or by Flush: see Transaction::Defer.
  void Defer(const Query& query, Params params) { deferred_.push_back({&query, std::move(params)}); }
  // Sends what was deferred (and a pending BEGIN with it), throwing the first failure.
  void Flush();
  // Sends a pending BEGIN and what was deferred with a COMMIT, in one round trip; a BEGIN
  // with nothing after it is dropped instead (nothing ran). Throws the first failure.
  void Commit();
  // Ends the transaction without committing: what was deferred or a BEGIN never sent is
  // forgotten (it never ran), a transaction open on the server is rolled back, and a
  // connection that cannot roll back is not reused. Never throws.
  void RollBack() noexcept;
  // A whole transaction in one round trip: `begin`, `statements` and a COMMIT sent at once, the
  // answers of `statements` returned. Throws the first failure, the transaction rolled back.
  std::vector<Result> ExecAllInTransaction(std::string begin, const std::vector<Statement>& statements);
  bool IsUsable() const;  // connection OK, no transaction left open, nothing waiting to be sent
  pg_conn* raw() const { return conn_; }

 private:
  Result Check(pg_result* result, std::string_view what);
  Result Check(Result result, std::string_view what);
  void Prepare(const Query& query);
  std::vector<Result> Pipeline(const std::vector<Statement>& statements, const char* trailer = nullptr);
  struct Deferred {
    const Query* query;
    Params params;
  };
  pg_conn* conn_;
  std::vector<std::string> prepared_;
  std::string pending_begin_;
  std::vector<Deferred> deferred_;
  bool broken_ = false;  // a pipeline went wrong half-way: never reused
};

enum class Isolation { ReadCommitted, RepeatableRead, Serializable };

// The transaction a unit of work runs in. Owned by Pool::Transact; commit happens there.
class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}
  Result Exec(const Query& query, const Params& params = {}) { return connection_.Exec(query, params); }
  // Several statements run in order as if by Exec one after the other, in one round trip:
  // for statements none of which needs an answer of the others to be written.
  std::vector<Result> ExecAll(const std::vector<Statement>& statements) { return connection_.ExecAll(statements); }
  // A write whose answer nobody reads (an audit record, an outbox row, a stored response):
  // sent with the transaction's next statement, or just before COMMIT, instead of on its own
  // round trip; statements keep their order. Its failure is thrown from that next statement
  // (or from the commit) and fails the transaction like any other, so use it only for
  // statements whose errors no caller tells apart.
  void Defer(const Query& query, Params params = {}) { connection_.Defer(query, std::move(params)); }
  Connection& connection() { return connection_; }
  // Runs after a successful COMMIT (e.g. wake the outbox relay).
  void AfterCommit(std::function<void()> callback) { after_commit_.push_back(std::move(callback)); }
  std::vector<std::function<void()>>& after_commit() { return after_commit_; }

 private:
  Connection& connection_;
  std::vector<std::function<void()>> after_commit_;
};

struct PoolOptions {
  std::string conninfo;
  std::string application_name = "pharmasys";
  std::size_t max_size = 16;
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds statement_timeout{10000};
  int max_attempts = 5;  // a transaction is retried this often on 40001/40P01
};

class Pool {
 public:
  explicit Pool(PoolOptions options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Runs `work` inside BEGIN … COMMIT on one connection. Serialization failures and
  // deadlocks roll back and run `work` again (so it must have no effect outside the
  // transaction); any other exception rolls back and propagates.
  template <typename F>
  auto Transact(F&& work, Isolation isolation = Isolation::ReadCommitted)
      -> decltype(work(std::declval<Transaction&>()));

  // A single statement in its own implicit transaction.
  Result Exec(const Query& query, const Params& params = {});

  // Reads that need none of each other's answers, in one READ ONLY transaction sent whole in
  // one round trip (BEGIN, `statements`, COMMIT): under RepeatableRead, one snapshot for all of
  // them. The server refuses a write in it. Retried as Transact retries, and when the
  // connection is lost, since a read has nothing to lose.
  std::vector<Result> Read(const std::vector<Statement>& statements, Isolation isolation = Isolation::ReadCommitted);

  // A connection for the caller's exclusive use (migrations, LISTEN); returned on release.
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> connection) : pool_(pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(Lease&&) = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> connection_;
  };
  // Throws Unavailable (503) when no connection frees up within acquire_timeout.
  Lease Acquire();

  std::size_t open_connections() const;
  std::size_t idle_connections() const;
  const PoolOptions& options() const { return options_; }

 private:
  void Release(std::unique_ptr<Connection> connection);
  void RunInTransaction(const std::function<void(Transaction&)>& work, Isolation isolation);

  struct State;
  PoolOptions options_;
  std::unique_ptr<State> state_;
};

template <typename F>
auto Pool::Transact(F&& work, Isolation isolation) -> decltype(work(std::declval<Transaction&>())) {
  using R = decltype(work(std::declval<Transaction&>()));
  if constexpr (std::is_void_v<R>) {
    RunInTransaction([&](Transaction& tx) { work(tx); }, isolation);
  } else {
    std::optional<R> out;
    RunInTransaction([&](Transaction& tx) { out.emplace(work(tx)); }, isolation);
    return std::move(*out);
  }
}

}  // namespace pharmasys::pg
