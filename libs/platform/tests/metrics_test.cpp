#include "pharmasys/metrics/metrics.hpp"

#include <gtest/gtest.h>

namespace pharmasys::metrics {
namespace {

TEST(Metrics, CountersAndGaugesRenderInTextFormat) {
  Registry r;
  r.Describe("http_server_requests_total", "counter", "Requests");
  r.Increment("http_server_requests_total", {{"route", "/v1/x/{id}"}, {"status", "200"}});
  r.Increment("http_server_requests_total", {{"route", "/v1/x/{id}"}, {"status", "200"}}, 2);
  r.SetGauge("fila", {}, 7);
  std::string text = r.Render();
  EXPECT_NE(text.find("# HELP http_server_requests_total Requests\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE http_server_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("http_server_requests_total{route=\"/v1/x/{id}\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE fila gauge\nfila 7\n"), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry r;
  r.Describe("lat", "histogram", "Latency", {0.1, 1});
  r.Observe("lat", {{"route", "a"}}, 0.05);
  r.Observe("lat", {{"route", "a"}}, 0.5);
  r.Observe("lat", {{"route", "a"}}, 5);
  std::string text = r.Render();
  EXPECT_NE(text.find("lat_bucket{route=\"a\",le=\"0.1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_bucket{route=\"a\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_bucket{route=\"a\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_sum{route=\"a\"} 5.55\n"), std::string::npos);
  EXPECT_NE(text.find("lat_count{route=\"a\"} 3\n"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(RenderLabels({{"a", "x\"y\\z\nw"}}), "{a=\"x\\\"y\\\\z\\nw\"}");
}

TEST(Metrics, ProcessResidentMemoryIsReal) {
  double rss = ProcessResidentBytes();
  EXPECT_GT(rss, 1024 * 1024);
  EXPECT_LT(rss, 64.0 * 1024 * 1024 * 1024);
}

}  // namespace
}  // namespace pharmasys::metrics
