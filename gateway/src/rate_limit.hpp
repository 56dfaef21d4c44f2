#pragma once
// Per-user and per-IP request limits in fixed windows. The counters live in Redis, so every
// gateway replica shares them; when Redis cannot be reached the gateway keeps serving and
// counts in this process instead (each replica then allows the full limit), says so once in
// the log and reports it on /readyz, and goes back to Redis as soon as it answers again.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "pharmasys/redis/redis.hpp"

namespace pharmasys::gateway {

struct RateLimit {
  std::int64_t requests = 0;  // 0: unlimited
  std::chrono::milliseconds window{60000};
  bool enabled() const { return requests > 0; }
};

// "600/min", "20/s", "5000/h", "100/10s", or "off". nullopt when malformed.
std::optional<RateLimit> ParseRateLimit(std::string_view text);

struct Decision {
  bool allowed = true;
  std::int64_t limit = 0;  // 0: no limit applied
  std::int64_t remaining = 0;
  std::chrono::milliseconds resets_in{0};
  // Whole seconds until the window ends, at least 1 (Retry-After, RateLimit-Reset).
  std::int64_t ResetSeconds() const;
};

// The verdict for the `count`-th request of a window.
Decision Decide(std::int64_t count, std::chrono::milliseconds resets_in, const RateLimit& limit);

// Fixed windows in this process: the fallback while Redis is away.
class LocalWindows {
 public:
  using Clock = std::chrono::steady_clock;
  redis::WindowCount Increment(const std::string& key, std::chrono::milliseconds window,
                               Clock::time_point now = Clock::now());
  std::size_t size() const;

 private:
  struct Window {
    std::int64_t count = 0;
    Clock::time_point ends;
  };
  void PruneExpired(Clock::time_point now);  // under the mutex

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  Clock::time_point next_prune_{};
};

class RateLimiter {
 public:
  // `redis` may be null: then the counters are always local.
  explicit RateLimiter(std::unique_ptr<redis::Client> redis, std::string key_prefix = "pharmasys:limite:");

  // Counts one request of `subject` (an address, a user id) in `scope` ("ip", "usuario").
  Decision Check(std::string_view scope, std::string_view subject, const RateLimit& limit);

  // For /readyz: nullopt while Redis holds the counters; otherwise why it does not. Pings
  // Redis, so an idle gateway notices both the outage and the recovery.
  std::optional<std::string> Readiness();
  bool shared() const { return redis_ != nullptr && redis_up_; }

 private:
  void RedisFailed(const std::string& why);
  void RedisAnswered();

  std::unique_ptr<redis::Client> redis_;
  std::string key_prefix_;
  LocalWindows local_;
  std::atomic<bool> redis_up_{true};
  std::mutex state_mutex_;  // makes "log once per outage" exact
};

}  // namespace pharmasys::gateway
