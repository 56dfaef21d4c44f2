#include "pharmasys/metrics/metrics.hpp"

#include <unistd.h>

#include <charconv>
#include <cmath>
#include <fstream>

namespace pharmasys::metrics {
namespace {

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

std::string EscapeLabel(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string WithLabel(const std::string& rendered, const std::string& extra) {
  if (rendered.empty()) return "{" + extra + "}";
  return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

Registry& Registry::Global() {
  static Registry registry;
  return registry;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

std::string RenderLabels(const Labels& labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += labels[i].first + "=\"" + EscapeLabel(labels[i].second) + "\"";
  }
  return out + "}";
}

double ProcessResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0;
  long pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

Registry::Family& Registry::FamilyFor(const std::string& name, const char* default_type) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.type = default_type;
    if (it->second.type == "histogram") it->second.buckets = LatencyBuckets();
  }
  return it->second;
}

void Registry::Describe(const std::string& name, std::string type, std::string help,
                        const std::vector<double>& buckets) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.type = std::move(type);
  family.help = std::move(help);
  family.buckets = buckets.empty() && family.type == "histogram" ? LatencyBuckets() : buckets;
}

void Registry::Increment(const std::string& name, const Labels& labels, double by) {
  std::lock_guard lock(mutex_);
  FamilyFor(name, "counter").series[RenderLabels(labels)].value += by;
}

void Registry::SetGauge(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  FamilyFor(name, "gauge").series[RenderLabels(labels)].value = value;
}

void Registry::AddGauge(const std::string& name, const Labels& labels, double delta) {
  std::lock_guard lock(mutex_);
  FamilyFor(name, "gauge").series[RenderLabels(labels)].value += delta;
}

void Registry::Observe(const std::string& name, const Labels& labels, double value) {
  std::lock_guard lock(mutex_);
  auto& family = FamilyFor(name, "histogram");
  auto& series = family.series[RenderLabels(labels)];
  if (series.bucket_counts.size() != family.buckets.size()) series.bucket_counts.assign(family.buckets.size(), 0);
  for (std::size_t i = 0; i < family.buckets.size(); ++i) {
    if (value <= family.buckets[i]) ++series.bucket_counts[i];  // cumulative, as Prometheus wants
  }
  series.value += value;
  ++series.count;
}

void Registry::Collect(const std::string& name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  auto& family = families_[name];
  family.type = "gauge";
  family.help = std::move(help);
  family.collect = std::move(read);
}

std::string Registry::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    if (!family.help.empty()) out += "# HELP " + name + " " + family.help + "\n";
    out += "# TYPE " + name + " " + family.type + "\n";
    if (family.collect) {
      out += name + " " + Number(family.collect()) + "\n";
      continue;
    }
    for (const auto& [labels, series] : family.series) {
      if (family.type != "histogram") {
        out += name + labels + " " + Number(series.value) + "\n";
        continue;
      }
      for (std::size_t i = 0; i < family.buckets.size(); ++i) {
        out += name + "_bucket" + WithLabel(labels, "le=\"" + Number(family.buckets[i]) + "\"") + " " +
               std::to_string(i < series.bucket_counts.size() ? series.bucket_counts[i] : 0) + "\n";
      }
      out += name + "_bucket" + WithLabel(labels, "le=\"+Inf\"") + " " + std::to_string(series.count) + "\n";
      out += name + "_sum" + labels + " " + Number(series.value) + "\n";
      out += name + "_count" + labels + " " + std::to_string(series.count) + "\n";
    }
  }
  return out;
}

}  // namespace pharmasys::metrics
