#include "pharmasys/service/service.hpp"

#include <libpq-fe.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <system_error>
#include <thread>

#include "pharmasys/audit/audit.hpp"
#include "pharmasys/audit/sealer.hpp"
#include "pharmasys/background.hpp"
#include "pharmasys/error.hpp"
#include "pharmasys/http/client.hpp"
#include "pharmasys/http/idempotency.hpp"
#include "pharmasys/json/json.hpp"
#include "pharmasys/log/log.hpp"
#include "pharmasys/metrics/metrics.hpp"

namespace pharmasys {
namespace {

boost::json::object ChainReportJson(const std::string& servico, const audit::ChainReport& report) {
  boost::json::object out{{"servico", servico},
                          {"registros", report.registros},
                          {"pendentes", report.pendentes},
                          {"nao_publicados", report.nao_publicados},
                          {"integra", report.integra}};
  if (report.primeiro_registro_invalido) {
    out["primeiro_registro_invalido"] = *report.primeiro_registro_invalido;
    out["motivo"] = report.motivo;
  }
  return out;
}

}  // namespace
namespace {

const auto kStartTime = std::chrono::system_clock::now();

// host and port of "scheme://[user[:pw]@]host[:port][/...]".
std::optional<std::pair<std::string, std::string>> HostPort(std::string_view url, std::string_view default_port) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::nullopt;
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (rest.empty()) return std::nullopt;
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return std::make_pair(std::string(rest), std::string(default_port));
  return std::make_pair(std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1)));
}

std::string_view DefaultPort(std::string_view url) {
  if (url.starts_with("amqp://")) return "5672";
  if (url.starts_with("amqps://")) return "5671";
  if (url.starts_with("redis://")) return "6379";
  if (url.starts_with("postgres")) return "5432";
  return "80";
}

// A TCP connect with a deadline, with plain sockets: readiness must not hang on a dead host.
std::optional<std::string> TryConnect(const std::string& host, const std::string& port, int timeout_ms) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return "cannot resolve " + host + ": " + gai_strerror(rc);
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
  std::string last_error = "no address";
  for (addrinfo* a = list.get(); a != nullptr; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int rc = connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      rc = poll(&p, 1, timeout_ms) == 1 ? 0 : -1;
      int so_error = 0;
      socklen_t len = sizeof so_error;
      if (rc == 0 && (getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0)) {
        errno = so_error;
        rc = -1;
      } else if (rc != 0) {
        errno = ETIMEDOUT;
      }
    }
    if (rc == 0) {
      close(fd);
      return std::nullopt;
    }
    last_error = std::strerror(errno);
    close(fd);
  }
  return host + ":" + port + " unreachable: " + last_error;
}

// Deletes expired Idempotency-Key records at start and then every `interval`. Replicas each
// run one: a key deleted twice is deleted once.
void RunIdempotencyPruner(BackgroundLoop& loop, pg::Pool& pool, std::chrono::milliseconds retention,
                          std::chrono::milliseconds interval) {
  int failures = 0;
  while (loop.running()) {
    try {
      auto pruned = http::PruneIdempotencyKeys(pool, retention);
      if (pruned > 0) log::Info("idempotency keys pruned", {{"idempotency.pruned", pruned}});
      failures = 0;
      loop.WaitForWork(interval);
    } catch (const std::exception& e) {
      log::Warn("cannot prune idempotency keys", {{"error.message", e.what()}});
      loop.Sleep(std::min(interval, Backoff(++failures, std::chrono::minutes(1))));
    }
  }
}

}  // namespace

ReadinessCheck PostgresReachable(std::string conninfo) {
  return [conninfo = std::move(conninfo)]() -> std::optional<std::string> {
    const char* keys[] = {"dbname", "connect_timeout", nullptr};
    const char* values[] = {conninfo.c_str(), "2", nullptr};
    switch (PQpingParams(keys, values, 1)) {
      case PQPING_OK: return std::nullopt;
      case PQPING_REJECT: return "PostgreSQL is starting up or shutting down";
      case PQPING_NO_RESPONSE: return "PostgreSQL does not answer";
      default: return "PostgreSQL connection parameters are invalid";
    }
  };
}

ReadinessCheck TcpReachable(std::string url) {
  return [url = std::move(url)]() -> std::optional<std::string> {
    auto hp = HostPort(url, DefaultPort(url));
    if (!hp) return "invalid URL " + log::RedactUrl(url);
    return TryConnect(hp->first, hp->second, 2000);
  };
}

http::ServerOptions ServerOptionsFromEnv(config::Env& env, int default_port, std::size_t default_workers,
                                         http::Dispatch default_dispatch) {
  http::ServerOptions o;
  o.address = env.String("PHARMASYS_HTTP_ADDRESS", "0.0.0.0");
  o.port = static_cast<std::uint16_t>(env.Port("PHARMASYS_HTTP_PORT", default_port));
  const std::string dispatch =
      env.String("PHARMASYS_HTTP_DISPATCH", default_dispatch == http::Dispatch::Inline ? "inline" : "pool");
  if (dispatch == "inline") {
    o.dispatch = http::Dispatch::Inline;
  } else if (dispatch == "pool") {
    o.dispatch = http::Dispatch::Pool;
  } else {
    env.Invalid("PHARMASYS_HTTP_DISPATCH", "'" + dispatch + "' is neither inline nor pool");
  }
  o.io_threads = static_cast<std::size_t>(env.Int("PHARMASYS_HTTP_IO_THREADS", 1, 1, 64));
  o.worker_threads =
      static_cast<std::size_t>(env.Int("PHARMASYS_HTTP_WORKERS", static_cast<std::int64_t>(default_workers), 1, 1024));
  o.body_limit = static_cast<std::uint64_t>(env.Bytes("PHARMASYS_HTTP_BODY_LIMIT", 1024 * 1024));
  o.read_timeout = env.Duration("PHARMASYS_HTTP_READ_TIMEOUT", std::chrono::seconds(15));
  o.idle_timeout = env.Duration("PHARMASYS_HTTP_IDLE_TIMEOUT", std::chrono::seconds(60));
  o.shutdown_grace = env.Duration("PHARMASYS_SHUTDOWN_GRACE", std::chrono::seconds(20));
  return o;
}

Service::Service(std::string name, int default_port, http::Dispatch dispatch) : name_(std::move(name)) {
  log::Configure(name_, log::ParseLevel(env_.String("PHARMASYS_LOG_LEVEL", "info"), log::Level::Info));
  server_options_ = ServerOptionsFromEnv(env_, default_port, kServiceWorkers, dispatch);

  audit::SetServiceName(name_);
  if (auto db = env_.Optional("PHARMASYS_DB_URL")) {
    pool_options_.conninfo = *db;
    AddReadinessCheck("postgresql", PostgresReachable(*db));
  }
  pool_options_.application_name = "pharmasys-" + name_;
  pool_options_.max_size = static_cast<std::size_t>(env_.Int("PHARMASYS_DB_POOL_SIZE", 16, 1, 500));
  pool_options_.statement_timeout = env_.Duration("PHARMASYS_DB_STATEMENT_TIMEOUT", std::chrono::seconds(10));
  if (auto amqp = env_.Optional("PHARMASYS_AMQP_URL")) {
    broker_ = amqp::Options{
        .url = *amqp, .connection_name = "pharmasys-" + name_, .prefix = env_.String("PHARMASYS_AMQP_PREFIX", "")};
    relay_options_.delivery_limit = static_cast<int>(env_.Int("PHARMASYS_AMQP_DELIVERY_LIMIT", 5, 1, 1000));
    // amqps:// only: the CA that signed the broker's certificate, and a client certificate.
    const char* ca_variable =
        env_.Optional("PHARMASYS_AMQP_CA_FILE") ? "PHARMASYS_AMQP_CA_FILE" : "PHARMASYS_TLS_CA_FILE";
    broker_->ca_file = env_.String(ca_variable, "");
    broker_->cert_file = env_.String("PHARMASYS_AMQP_CERT_FILE", "");
    broker_->key_file = env_.String("PHARMASYS_AMQP_KEY_FILE", "");
    for (const auto& [variable, file] : {std::pair<std::string, std::string>{ca_variable, broker_->ca_file},
                                         {"PHARMASYS_AMQP_CERT_FILE", broker_->cert_file},
                                         {"PHARMASYS_AMQP_KEY_FILE", broker_->key_file}}) {
      if (!file.empty() && access(file.c_str(), R_OK) != 0) {
        env_.Invalid(variable, "cannot read " + file + ": " + std::generic_category().message(errno));
      }
    }
    if (broker_->cert_file.empty() != broker_->key_file.empty()) {
      env_.Invalid(broker_->cert_file.empty() ? "PHARMASYS_AMQP_CERT_FILE" : "PHARMASYS_AMQP_KEY_FILE",
                   "a client certificate needs both PHARMASYS_AMQP_CERT_FILE and PHARMASYS_AMQP_KEY_FILE");
    }
  }
  // Redis only speeds things up or shares counters; nothing stops without it.
  if (auto redis = env_.Optional("PHARMASYS_REDIS_URL")) AddReadinessCheck("redis", TcpReachable(*redis), false);
  // The CA bundle every https:// call trusts (http::Client reads it): a wrong path stops the
  // start instead of failing each call to the identity provider.
  if (auto ca_file = env_.Optional("PHARMASYS_TLS_CA_FILE")) {
    std::error_code not_there;
    if (!std::filesystem::is_regular_file(*ca_file, not_there) || !std::ifstream(*ca_file))
      env_.Invalid("PHARMASYS_TLS_CA_FILE", "cannot read " + *ca_file + " (a PEM file of CA certificates)");
  }

  auto& registry = metrics::Registry::Global();
  registry.Describe("http_server_requests_total", "counter", "HTTP requests answered, by route and status");
  registry.Describe("http_server_request_duration_seconds", "histogram", "HTTP request latency, by route");
  registry.Describe("http_server_requests_in_flight", "gauge", "HTTP requests being handled now");
  registry.Describe("audit_records_unpublished", "gauge",
                    "Audit records sealed into the chain but not published (kept for re-publication)");
  registry.Describe("audit_records_unpublished_total", "counter",
                    "Audit records sealed without their auditoria.registrada event");
  registry.Collect("process_resident_memory_bytes", "Resident memory size in bytes", metrics::ProcessResidentBytes);
  registry.Collect("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds",
                   [] { return std::chrono::duration<double>(kStartTime.time_since_epoch()).count(); });

  router_.Get("/healthz", [this](http::Request&) {
    return http::Response::Json(200, boost::json::object{{"status", "ok"}, {"servico", name_}});
  });
  router_.Get("/readyz", [this](http::Request&) {
    // Checks run side by side so one slow dependency costs its own timeout, not the sum.
    std::vector<std::future<std::optional<std::string>>> results;
    for (const auto& c : checks_) results.push_back(std::async(std::launch::async, c.check));
    boost::json::array dependencias;
    bool ready = true;
    bool degraded = false;
    for (std::size_t i = 0; i < checks_.size(); ++i) {
      auto problem = results[i].get();
      boost::json::object d{{"nome", checks_[i].dependency}, {"ok", !problem}, {"obrigatoria", checks_[i].required}};
      if (problem) {
        d["erro"] = *problem;
        if (checks_[i].required) {
          ready = false;
        } else {
          degraded = true;
        }
      }
      dependencias.push_back(std::move(d));
    }
    const char* status = !ready ? "nao-pronto" : degraded ? "degradado" : "pronto";
    return http::Response::Json(
        ready ? 200 : 503,
        boost::json::object{{"status", status}, {"servico", name_}, {"dependencias", std::move(dependencias)}});
  });
  router_.Get("/metrics", [](http::Request&) {
    return http::Response::Text(200, metrics::Registry::Global().Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

Service::~Service() = default;

void Service::AddReadinessCheck(std::string dependency, ReadinessCheck check, bool required) {
  checks_.push_back({std::move(dependency), std::move(check), required});
}

void Service::UseDatabase(const std::vector<pg::Migration>& migrations) {
  migrations_ = migrations;
  if (pool_options_.conninfo.empty()) env_.Required("PHARMASYS_DB_URL");
  owner_url_ = env_.Optional("PHARMASYS_DB_OWNER_URL");
  runtime_role_ = env_.Optional("PHARMASYS_DB_RUNTIME_ROLE");
  audit_key_dir_ = env_.Optional("PHARMASYS_AUDIT_KEY_DIR");
  checkpoint_interval_ = env_.Duration("PHARMASYS_AUDIT_CHECKPOINT_INTERVAL", std::chrono::seconds(2));
  seal_delay_ = env_.Duration("PHARMASYS_AUDIT_SEAL_DELAY", std::chrono::milliseconds(50));
  idempotency_retention_ = env_.Duration("PHARMASYS_IDEMPOTENCY_RETENTION", http::kMinimumIdempotencyRetention,
                                         http::kMinimumIdempotencyRetention);
  idempotency_prune_interval_ =
      env_.Duration("PHARMASYS_IDEMPOTENCY_PRUNE_INTERVAL", std::chrono::hours(1), std::chrono::seconds(1));
  pool_ = std::make_unique<pg::Pool>(pool_options_);  // connects on first use, after the checks
}

pg::Pool& Service::db() {
  if (!pool_) throw std::logic_error("Service::db() before the database was opened");
  return *pool_;
}

void Service::ExposeAuditVerification() {
  router_.Get("/auditoria/verificacao", [this](http::Request& request) {
    auth::RequireRole(request, {"auditor", "administrador", "servico"});
    auto report = ChainReportJson(name_, audit::VerifyChain(db()));
    auto head = audit::ChainHead(db());
    report["ultima_sequencia"] = head ? head->sequencia : 0;
    report["ultimo_hash"] = head ? boost::json::value(head->hash) : boost::json::value(nullptr);
    return http::Response::Json(200, std::move(report));
  });
  router_.Get("/auditoria/cadeia/{sequencia}", [this](http::Request& request) {
    auth::RequireRole(request, {"auditor", "administrador", "servico"});
    const auto text = request.PathParam("sequencia");
    std::int64_t sequencia = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), sequencia);
    if (ec != std::errc() || end != text.data() + text.size() || sequencia < 1) {
      throw ValidationError(std::vector<FieldError>{{"sequencia", "um inteiro a partir de 1"}});
    }
    auto seal = audit::SealAt(db(), sequencia);
    if (!seal) throw NotFound("não há registro " + std::to_string(sequencia) + " na trilha de " + name_);
    return http::Response::Json(200, boost::json::object{{"servico", name_},
                                                         {"sequencia", seal->sequencia},
                                                         {"hash_anterior", seal->hash_anterior},
                                                         {"hash", seal->hash}});
  });
}

std::shared_ptr<auth::JwtVerifier> Service::UseAuthentication(std::vector<std::string> public_prefixes) {
  auth::VerifierOptions options;
  options.issuer = env_.String("PHARMASYS_JWT_ISSUER", "http://localhost:8080/v1/auth");
  // Needed to serve, not to migrate or verify the audit chain (an init container has no reason
  // to know the issuer): checked in Run() for `serve`.
  options.jwks_url = env_.Url("PHARMASYS_JWT_JWKS_URL", "", false);
  options.trusted_issuers = auth::TrustedIssuersFromEnv(env_);
  jwks_missing_ = options.jwks_url.empty();
  auto verifier = std::make_shared<auth::JwtVerifier>(options, std::make_shared<http::Client>());
  router_.Use(auth::Authenticate(verifier, std::move(public_prefixes)));
  return verifier;
}

void Service::AddCommand(std::string command, std::string help, std::function<int()> run) {
  commands_.push_back({std::move(command), std::move(help), std::move(run)});
}

void Service::OnStart(std::function<void()> step) {
  on_start_.push_back(std::move(step));
}

void Service::OnEvent(const std::string& tipo, events::Handler handler) {
  handlers_.emplace_back(tipo, std::move(handler));
}

namespace {

// The user of a libpq URL or conninfo string ("" when it names none).
std::string UserOf(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  if (options == nullptr) return "";
  std::string user;
  for (auto* o = options; o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, "user") == 0 && o->val != nullptr) user = o->val;
  }
  PQconninfoFree(options);
  return user;
}

}  // namespace

void Service::OpenDatabase(DatabaseUse use) {
  auto deadline =
      std::chrono::steady_clock::now() +
      (use == DatabaseUse::kWaitSchema ? env_.Duration("PHARMASYS_SCHEMA_WAIT_TIMEOUT", std::chrono::minutes(10))
                                       : env_.Duration("PHARMASYS_DB_STARTUP_TIMEOUT", std::chrono::seconds(60)));
  auto next_report = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    try {
      if (use == DatabaseUse::kMigrate) {
        // As the owner; then the runtime role gets its grants (A7).
        auto owner_options = pool_options_;
        if (owner_url_) owner_options.conninfo = *owner_url_;
        owner_options.max_size = 1;
        pg::Pool owner(owner_options);
        auto platform = pg::Migrate(owner, pg::PlatformMigrations(), "plataforma");
        auto own = pg::Migrate(owner, *migrations_, "servico");
        log::Info("database migrated",
                  {{"migrations.applied", platform.applied.size() + own.applied.size()},
                   {"migrations.already_applied", platform.already_applied + own.already_applied}});
        std::string runtime = runtime_role_.value_or("");
        if (runtime.empty() && owner_url_) runtime = UserOf(pool_options_.conninfo);
        if (!runtime.empty() && runtime != UserOf(owner_options.conninfo)) pg::GrantRuntime(owner, runtime);
        return;
      }
      pg::CheckApplied(*pool_, pg::PlatformMigrations(), "plataforma");
      pg::CheckApplied(*pool_, *migrations_, "servico");
      pg::CheckRuntimeRole(*pool_);
      log::Info("database ready");
      return;
    } catch (const pg::MigrationPending& e) {
      if (use != DatabaseUse::kWaitSchema || std::chrono::steady_clock::now() > deadline) throw;
      if (std::chrono::steady_clock::now() >= next_report) {
        log::Info("waiting for the migrations", {{"error.message", e.what()}});
        next_report = std::chrono::steady_clock::now() + std::chrono::seconds(15);
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    } catch (const pg::SqlError& e) {
      if (e.IsConfiguration()) {
        // Not worth waiting for: say which variable to fix.
        const char* variable =
            use == DatabaseUse::kMigrate && owner_url_ ? "PHARMASYS_DB_OWNER_URL" : "PHARMASYS_DB_URL";
        throw config::ConfigError(std::string(variable) + ": " + e.what());
      }
      if (!e.IsConnectionLoss() || std::chrono::steady_clock::now() > deadline) throw;
      if (attempt == 1) log::Warn("waiting for PostgreSQL", {{"error.message", e.what()}});
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

// A container's HEALTHCHECK: the image has no curl, so the binary asks its own /healthz on
// the port and address it is configured with.
int Service::HealthcheckCommand() {
  const std::string host =
      server_options_.address == "0.0.0.0" || server_options_.address.empty() ? "127.0.0.1" : server_options_.address;
  const std::string url = "http://" + host + ":" + std::to_string(server_options_.port) + "/healthz";
  try {
    http::Client client;
    auto answer = client.Send({http::Method::Get, url, {}, ""}, std::chrono::seconds(3));
    if (answer.status == 200) return 0;
    std::cerr << name_ << ": " << url << " answered HTTP " << answer.status << "\n";
  } catch (const std::exception& e) {
    std::cerr << name_ << ": " << url << ": " << e.what() << "\n";
  }
  return 1;
}

int Service::AuditKeyCommand(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "new") {
    std::cerr << "usage: pharmasys-" << name_ << " audit-key new   (a new checkpoint signing key in"
              << " PHARMASYS_AUDIT_KEY_DIR; it signs from the next minute on)\n";
    return 2;
  }
  if (!audit_key_dir_) {
    std::cerr << name_ << ": PHARMASYS_AUDIT_KEY_DIR is not set\n";
    return 2;
  }
  try {
    auto key = audit::NewSigningKey(*audit_key_dir_);
    std::cout << json::Serialize(boost::json::object{{"servico", name_},
                                                     {"chave_id", key.chave_id},
                                                     {"chave_publica", key.chave_publica},
                                                     {"arquivo", *audit_key_dir_ + "/" + key.chave_id + ".pub"}})
              << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << name_ << " audit-key new: " << e.what() << "\n";
    return 1;
  }
}

int Service::Run(int argc, char** argv) {
  std::string command = argc > 1 ? argv[1] : "serve";
  if (command == "routes") {
    for (const auto& route : router_.Routes()) {
      std::cout << json::Serialize(
                       boost::json::object{{"method", http::ToString(route.method)}, {"path", route.path_template}})
                << "\n";
    }
    return 0;
  }
  if (command == "healthcheck") return HealthcheckCommand();
  if (command == "audit-key" && migrations_) return AuditKeyCommand(argc, argv);
  if ((command == "dlq" || command == "dlq-redrive") && broker_) {
    try {
      env_.Check();
      if (command == "dlq-redrive") {
        std::cout << events::RedriveDeadLetters(*broker_, name_) << " dead letters moved back to " << name_
                  << ".eventos\n";
        return 0;
      }
      for (const auto& d : events::PeekDeadLetters(*broker_, name_, 100)) {
        std::cout << json::Serialize(
                         boost::json::object{{"message_id", d.message_id}, {"tipo", d.type}, {"corpo", d.body}})
                  << "\n";
      }
      return 0;
    } catch (const std::exception& e) {
      std::cerr << name_ << ": " << e.what() << "\n";
      return 1;
    }
  }
  auto custom = std::find_if(commands_.begin(), commands_.end(), [&](const Command& c) { return c.name == command; });
  const bool known = command == "serve" || custom != commands_.end() ||
                     ((command == "migrate" || command == "wait-schema" || command == "verify-audit") && migrations_);
  if (!known) {
    std::cerr << "usage: pharmasys-" << name_ << " [serve|routes|healthcheck"
              << (migrations_ ? "|migrate|wait-schema|verify-audit" : "") << "]\n"
              << "  serve         run the service (default); configured by PHARMASYS_* environment variables\n"
              << "  routes        print the HTTP routes as JSON lines\n"
              << "  healthcheck   ask this service's own /healthz; exit 0 when it answers 200 (a container's"
                 " HEALTHCHECK)\n";
    if (migrations_) {
      std::cerr
          << "  migrate       apply the database migrations as PHARMASYS_DB_OWNER_URL, grant the runtime role, exit\n"
          << "  wait-schema   wait until the database has every migration this binary expects, exit\n"
          << "  audit-key new make a new checkpoint signing key in PHARMASYS_AUDIT_KEY_DIR\n"
          << "  verify-audit  recompute the audit hash chain; exit 1 when it is broken\n"
          << "  dlq           print up to 100 dead letters of <service>.eventos.dlq (left in place)\n"
          << "  dlq-redrive   move every dead letter back to <service>.eventos\n";
    }
    for (const auto& c : commands_)
      std::cerr << "  " << c.name << std::string(14 - std::min<std::size_t>(c.name.size(), 13), ' ') << c.help << "\n";
    return command == "help" || command == "--help" ? 0 : 2;
  }
  try {
    if (command == "migrate" || command == "wait-schema") {
      // Migrating needs the database and nothing else the service serves with (an init
      // container holds the owner role, not the service's secrets).
      std::string message;
      for (const auto& p : env_.problems()) {
        if (p.starts_with("PHARMASYS_DB_") || p.starts_with("PHARMASYS_LOG_")) message += "\n  - " + p;
      }
      if (!message.empty()) throw config::ConfigError("invalid configuration:" + message);
    } else {
      env_.Check();
    }
    if (command == "serve" && jwks_missing_) {
      throw config::ConfigError(
          "invalid configuration:\n  - PHARMASYS_JWT_JWKS_URL: required but not set (an http:// or https:// URL)");
    }
    if (command == "serve" && migrations_ && !audit_key_dir_) {
      throw config::ConfigError(
          "invalid configuration:\n  - PHARMASYS_AUDIT_KEY_DIR: required but not set (the folder of the audit"
          " checkpoint signing keys; make one with `audit-key new`)");
    }
  } catch (const config::ConfigError& e) {
    log::Error(e.what(), {{"event.reason", "configuration"}});
    std::cerr << name_ << ": " << e.what() << "\n";
    return 2;
  }
  try {
    if (migrations_) {
      OpenDatabase(command == "migrate"       ? DatabaseUse::kMigrate
                   : command == "wait-schema" ? DatabaseUse::kWaitSchema
                                              : DatabaseUse::kServe);
    }
  } catch (const std::exception& e) {
    log::Error("cannot prepare the database", {{"error.message", e.what()}});
    std::cerr << name_ << ": " << e.what() << "\n";
    return 1;
  }
  if (command == "migrate" || command == "wait-schema") return 0;
  if (custom != commands_.end()) {
    try {
      return custom->run();
    } catch (const std::exception& e) {
      log::Error("command failed", {{"command", command}, {"error.message", e.what()}});
      std::cerr << name_ << " " << command << ": " << e.what() << "\n";
      return 1;
    }
  }
  if (command == "verify-audit") {
    auto report = ChainReportJson(name_, audit::VerifyChain(*pool_));
    std::cout << json::Serialize(report) << "\n";
    return report.at("integra").as_bool() ? 0 : 1;
  }
  return Serve();
}

int Service::Serve() {
  try {
    for (auto& step : on_start_) step();
  } catch (const std::exception& e) {
    log::Error("cannot start", {{"error.message", e.what()}});
    std::cerr << name_ << ": " << e.what() << "\n";
    return 1;
  }
  std::unique_ptr<audit::Sealer> sealer;
  std::unique_ptr<events::OutboxRelay> relay;
  std::unique_ptr<events::Consumer> consumer;
  BackgroundLoop pruner;
  if (pool_) {
    sealer = std::make_unique<audit::Sealer>(*pool_);
    sealer->GatherFor(seal_delay_);
    if (audit_key_dir_) {
      auto signer = std::make_shared<audit::CheckpointSigner>(*audit_key_dir_);
      try {
        signer->Load();
      } catch (const std::exception& e) {
        log::Error("cannot start", {{"error.message", e.what()}});
        std::cerr << name_ << ": " << e.what() << "\n";
        return 1;
      }
      sealer->UseCheckpoints(std::move(signer), checkpoint_interval_);
    }
    sealer->Start();
    pruner.Start(
        [this, &pruner] { RunIdempotencyPruner(pruner, *pool_, idempotency_retention_, idempotency_prune_interval_); });
    if (broker_) {
      relay = std::make_unique<events::OutboxRelay>(*pool_, *broker_, relay_options_);
      relay->Start();
      if (!handlers_.empty()) {
        consumer = std::make_unique<events::Consumer>(
            name_, *pool_, *broker_, events::ConsumerOptions{.delivery_limit = relay_options_.delivery_limit});
        for (auto& [tipo, handler] : handlers_) consumer->On(tipo, handler);
        consumer->Start();
      }
      // Not ready while events cannot leave (or arrive): the outbox keeps them meanwhile.
      AddReadinessCheck("rabbitmq", [relay = relay.get(), consumer = consumer.get()]() -> std::optional<std::string> {
        if (!relay->connected()) return "RabbitMQ unreachable; events wait in the outbox";
        if (consumer != nullptr && !consumer->connected()) return "RabbitMQ unreachable; not consuming events";
        return std::nullopt;
      });
    }
  } else if (broker_) {
    AddReadinessCheck("rabbitmq", TcpReachable(broker_->url));
  }
  http::Server server(server_options_, [this](http::Request& r) { return router_.Dispatch(r); });
  try {
    server.Start();
  } catch (const std::exception& e) {
    log::Error("cannot start", {{"error.message", e.what()}});
    std::cerr << name_ << ": " << e.what() << "\n";
    return 1;
  }
  log::Info("listening", {{"server.address", server_options_.address}, {"server.port", server.port()}});
  server.RunUntilSignalled();
  // In-flight requests are done; now the background work, each finishing its current step.
  if (consumer) consumer->Stop();
  if (relay) relay->Stop();
  if (sealer) sealer->Stop();
  pruner.Stop();
  log::Info("stopped");
  return 0;
}

}  // namespace pharmasys
