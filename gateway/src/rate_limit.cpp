#include "rate_limit.hpp"

#include <algorithm>
#include <charconv>

#include "pharmasys/log/log.hpp"
#include "pharmasys/metrics/metrics.hpp"

namespace pharmasys::gateway {
namespace {

constexpr std::chrono::seconds kPruneEvery{10};
constexpr std::size_t kMaxSubjectLength = 128;

std::optional<std::int64_t> ParsePositive(std::string_view text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

void SetLocalGauge(bool local) {
  metrics::Registry::Global().SetGauge("gateway_rate_limit_local", {}, local ? 1 : 0);
}

}  // namespace

std::optional<RateLimit> ParseRateLimit(std::string_view text) {
  if (text == "off") return RateLimit{0, std::chrono::milliseconds(60000)};
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto requests = ParsePositive(text.substr(0, slash));
  std::string_view per = text.substr(slash + 1);
  std::size_t digits = 0;
  while (digits < per.size() && per[digits] >= '0' && per[digits] <= '9') ++digits;
  std::int64_t units = 1;
  if (digits > 0) {
    auto n = ParsePositive(per.substr(0, digits));
    if (!n) return std::nullopt;
    units = *n;
  }
  std::string_view unit = per.substr(digits);
  std::chrono::milliseconds unit_length{0};
  if (unit == "s" || unit == "sec") unit_length = std::chrono::seconds(1);
  if (unit == "m" || unit == "min") unit_length = std::chrono::minutes(1);
  if (unit == "h" || unit == "hour") unit_length = std::chrono::hours(1);
  if (!requests || unit_length.count() == 0 || units > 24 * 3600) return std::nullopt;
  return RateLimit{*requests, unit_length * units};
}

std::int64_t Decision::ResetSeconds() const {
  return std::max<std::int64_t>(1, (resets_in.count() + 999) / 1000);
}

Decision Decide(std::int64_t count, std::chrono::milliseconds resets_in, const RateLimit& limit) {
  if (!limit.enabled()) return Decision{};
  return Decision{.allowed = count <= limit.requests,
                  .limit = limit.requests,
                  .remaining = std::max<std::int64_t>(0, limit.requests - count),
                  .resets_in = std::max(resets_in, std::chrono::milliseconds(0))};
}

redis::WindowCount LocalWindows::Increment(const std::string& key, std::chrono::milliseconds window,
                                           Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (now >= next_prune_) PruneExpired(now);
  auto& w = windows_[key];
  if (w.count == 0 || now >= w.ends) w = Window{0, now + window};
  ++w.count;
  return {w.count, std::chrono::duration_cast<std::chrono::milliseconds>(w.ends - now)};
}

std::size_t LocalWindows::size() const {
  std::lock_guard lock(mutex_);
  return windows_.size();
}

void LocalWindows::PruneExpired(Clock::time_point now) {
  std::erase_if(windows_, [now](const auto& entry) { return now >= entry.second.ends; });
  next_prune_ = now + kPruneEvery;
}

RateLimiter::RateLimiter(std::unique_ptr<redis::Client> redis, std::string key_prefix)
    : redis_(std::move(redis)), key_prefix_(std::move(key_prefix)) {
  metrics::Registry::Global().Describe(
      "gateway_rate_limit_local", "gauge",
      "1 while rate limits are counted in this process (Redis unreachable or not configured), 0 while shared");
  SetLocalGauge(redis_ == nullptr);
}

Decision RateLimiter::Check(std::string_view scope, std::string_view subject, const RateLimit& limit) {
  if (!limit.enabled()) return Decision{};
  std::string key = key_prefix_;
  key.append(scope).append(":").append(std::to_string(limit.window.count())).append(":");
  key.append(subject.substr(0, kMaxSubjectLength));
  if (redis_) {
    try {
      auto counted = redis_->IncrementWindow(key, limit.window);
      RedisAnswered();
      return Decide(counted.count, counted.resets_in, limit);
    } catch (const redis::RedisError& e) {
      RedisFailed(e.what());
    }
  }
  auto counted = local_.Increment(key, limit.window);
  return Decide(counted.count, counted.resets_in, limit);
}

std::optional<std::string> RateLimiter::Readiness() {
  if (!redis_) return std::nullopt;
  try {
    redis_->Ping();
    RedisAnswered();
    return std::nullopt;
  } catch (const redis::RedisError& e) {
    RedisFailed(e.what());
    return std::string(e.what()) + "; rate limits are counted in this process only";
  }
}

void RateLimiter::RedisFailed(const std::string& why) {
  if (!redis_up_) return;
  std::lock_guard lock(state_mutex_);
  if (!redis_up_) return;
  redis_up_ = false;
  SetLocalGauge(true);
  log::Warn("Redis unreachable; rate limits are counted in this process until it answers again",
            {{"error.message", why}, {"event.reason", "rate-limit-fallback"}});
}

void RateLimiter::RedisAnswered() {
  if (redis_up_) return;
  std::lock_guard lock(state_mutex_);
  if (redis_up_) return;
  redis_up_ = true;
  SetLocalGauge(false);
  log::Info("Redis answers again; rate limits are shared again", {{"event.reason", "rate-limit-fallback"}});
}

}  // namespace pharmasys::gateway
