#pragma once
// Structured logs: one JSON object per line on stdout with ECS field names
// (`@timestamp`, `log.level`, `message`, `service.name`, `trace.id`, `http.*`), ready for
// Filebeat/Logstash as they are. Fields whose name suggests a secret are redacted, so a
// password or token never reaches a log line even by mistake.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pharmasys::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

using Value = std::variant<std::string, std::int64_t, double, bool>;
struct Field {
  std::string name;
  Value value;
  Field(std::string n, std::string v) : name(std::move(n)), value(std::move(v)) {}
  Field(std::string n, std::string_view v) : name(std::move(n)), value(std::string(v)) {}
  Field(std::string n, const char* v) : name(std::move(n)), value(std::string(v)) {}
  Field(std::string n, std::int64_t v) : name(std::move(n)), value(v) {}
  Field(std::string n, int v) : name(std::move(n)), value(std::int64_t{v}) {}
  Field(std::string n, unsigned v) : name(std::move(n)), value(std::int64_t{v}) {}
  Field(std::string n, std::size_t v) : name(std::move(n)), value(static_cast<std::int64_t>(v)) {}
  Field(std::string n, double v) : name(std::move(n)), value(v) {}
  Field(std::string n, bool v) : name(std::move(n)), value(v) {}
};
using Fields = std::vector<Field>;

// Set once at start: the service name, the minimum level, and where lines go (stdout by
// default; tests pass a sink to read them back).
void Configure(std::string service_name, Level min_level);
using Sink = void (*)(std::string_view line);
void SetSink(Sink sink);  // nullptr restores stdout
Level ParseLevel(std::string_view text, Level fallback);

// The request a thread is serving, added to every line it writes (trace.id, span.id,
// http.request.id). Set by the HTTP server around each handler.
struct Context {
  std::string trace_id;
  std::string span_id;
  std::string request_id;
};
class ScopedContext {
 public:
  explicit ScopedContext(Context context);
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  Context previous_;
};
const Context& CurrentContext();

void Write(Level level, std::string_view message, const Fields& fields = {});
inline void Debug(std::string_view m, const Fields& f = {}) {
  Write(Level::Debug, m, f);
}
inline void Info(std::string_view m, const Fields& f = {}) {
  Write(Level::Info, m, f);
}
inline void Warn(std::string_view m, const Fields& f = {}) {
  Write(Level::Warn, m, f);
}
inline void Error(std::string_view m, const Fields& f = {}) {
  Write(Level::Error, m, f);
}

// The line Write would emit (exposed for tests).
std::string FormatLine(Level level, std::string_view message, const Fields& fields);
// True when a field of this name must never carry its value into a log.
bool IsSecretName(std::string_view name);
// Removes credentials from a URL ("postgresql://u:pw@h/db" → "postgresql://u:***@h/db").
std::string RedactUrl(std::string_view url);

}  // namespace pharmasys::log
