#include "pharmasys/log/log.hpp"

#include "pharmasys/clock.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace pharmasys::log {
namespace {

struct State {
  std::mutex mutex;
  std::string service = "pharmasys";
  Level min_level = Level::Info;
  Sink sink = nullptr;
};

State& Global() {
  static State state;
  return state;
}

thread_local Context current_context;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warn: return "warn";
    case Level::Error: return "error";
  }
  return "info";
}

void AppendString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

void AppendField(std::string& out, const std::string& name, const Value& value) {
  out.push_back(',');
  AppendString(out, name);
  out.push_back(':');
  if (IsSecretName(name)) {
    AppendString(out, "[REDACTED]");
    return;
  }
  if (const auto* s = std::get_if<std::string>(&value)) {
    AppendString(out, *s);
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), *d);
    out.append(buf.data(), ec == std::errc() ? end : buf.data());
    if (ec != std::errc()) out += "null";
  } else {
    out += std::get<bool>(value) ? "true" : "false";
  }
}

}  // namespace

void Configure(std::string service_name, Level min_level) {
  std::lock_guard lock(Global().mutex);
  Global().service = std::move(service_name);
  Global().min_level = min_level;
}

void SetSink(Sink sink) {
  std::lock_guard lock(Global().mutex);
  Global().sink = sink;
}

Level ParseLevel(std::string_view text, Level fallback) {
  if (text == "debug") return Level::Debug;
  if (text == "info") return Level::Info;
  if (text == "warn" || text == "warning") return Level::Warn;
  if (text == "error") return Level::Error;
  return fallback;
}

ScopedContext::ScopedContext(Context context) : previous_(std::move(current_context)) {
  current_context = std::move(context);
}
ScopedContext::~ScopedContext() {
  current_context = std::move(previous_);
}
const Context& CurrentContext() {
  return current_context;
}

std::string FormatLine(Level level, std::string_view message, const Fields& fields) {
  std::string line;
  line.reserve(256);
  line += "{\"@timestamp\":";
  AppendString(line, clock::NowRfc3339());
  line += ",\"log.level\":";
  AppendString(line, LevelName(level));
  line += ",\"message\":";
  AppendString(line, message);
  {
    line += ",\"service.name\":";
    std::lock_guard lock(Global().mutex);
    AppendString(line, Global().service);
  }
  line += ",\"ecs.version\":\"8.11.0\"";
  const Context& ctx = current_context;
  if (!ctx.trace_id.empty()) AppendField(line, "trace.id", ctx.trace_id);
  if (!ctx.span_id.empty()) AppendField(line, "span.id", ctx.span_id);
  if (!ctx.request_id.empty()) AppendField(line, "http.request.id", ctx.request_id);
  for (const auto& f : fields) AppendField(line, f.name, f.value);
  line += "}";
  return line;
}

void Write(Level level, std::string_view message, const Fields& fields) {
  Sink sink = nullptr;
  {
    std::lock_guard lock(Global().mutex);
    if (level < Global().min_level) return;
    sink = Global().sink;
  }
  std::string line = FormatLine(level, message, fields);
  if (sink != nullptr) {
    sink(line);
    return;
  }
  line.push_back('\n');
  std::lock_guard lock(Global().mutex);  // one whole line per write, never interleaved
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

bool IsSecretName(std::string_view name) {
  static constexpr std::string_view kSecretWords[] = {"password",      "senha",      "secret",    "token",
                                                      "authorization", "cookie",     "apikey",    "api_key",
                                                      "private",       "assinatura", "credential"};
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto word : kSecretWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string RedactUrl(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  auto at = url.find('@', scheme + 3);
  auto slash = url.find('/', scheme + 3);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(url);
  auto colon = url.find(':', scheme + 3);
  std::string out(url.substr(0, scheme + 3));
  if (colon != std::string_view::npos && colon < at) {
    out += std::string(url.substr(scheme + 3, colon - scheme - 3)) + ":***";
  } else {
    out += std::string(url.substr(scheme + 3, at - scheme - 3));
  }
  out += std::string(url.substr(at));
  return out;
}

}  // namespace pharmasys::log
