#pragma once
// Prometheus metrics in the text exposition format (no C++ client library is packaged in
// Debian, so this is the small piece we need: counters, gauges, histograms with labels).
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pharmasys::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Registry {
 public:
  static Registry& Global();

  void Increment(const std::string& name, const Labels& labels, double by = 1);
  void SetGauge(const std::string& name, const Labels& labels, double value);
  void AddGauge(const std::string& name, const Labels& labels, double delta);
  void Observe(const std::string& name, const Labels& labels, double value);
  // HELP text and, for histograms, bucket bounds; call before first use (optional for others).
  void Describe(const std::string& name, std::string type, std::string help, const std::vector<double>& buckets = {});
  // A gauge computed when scraped (process RSS, queue depth, ...).
  void Collect(const std::string& name, std::string help, std::function<double()> read);

  std::string Render() const;

 private:
  struct Series {
    double value = 0;
    std::vector<std::uint64_t> bucket_counts;  // histograms: one per bound (+Inf implied by count)
    std::uint64_t count = 0;
  };
  struct Family {
    std::string type = "counter";
    std::string help;
    std::vector<double> buckets;
    std::map<std::string, Series> series;  // key: rendered label set
    std::function<double()> collect;
  };
  Family& FamilyFor(const std::string& name, const char* default_type);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

// Default latency buckets in seconds (1 ms … 10 s).
const std::vector<double>& LatencyBuckets();
std::string RenderLabels(const Labels& labels);
// Resident set size of this process in bytes (from /proc/self/statm).
double ProcessResidentBytes();

}  // namespace pharmasys::metrics
