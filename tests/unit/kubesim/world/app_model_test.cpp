#include "kubesim/world/app_model.h"

#include <gtest/gtest.h>

#include <sstream>

#include "kubesim/world/knobs.h"

namespace kubesim::world {
namespace {

using std::chrono::seconds;

// Sum of the samples of `name` whose label set contains every fragment.
double sample(const std::string& text, const std::string& name,
              const std::vector<std::string>& fragments = {}) {
  std::istringstream in(text);
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.rfind(name + "{", 0) != 0) continue;
    bool all = true;
    for (const auto& f : fragments) all = all && line.find(f) != std::string::npos;
    if (all) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

const std::vector<std::string> kFlags{"FEATURE_OTEL", "TELEMETRY_ENABLED"};

TEST(KnobsTest, FromAnnotations) {
  Json d = Json::parse(R"({"metadata": {"annotations": {
      "kubesim.io/request-rate": "20", "kubesim.io/error-ratio": "0.1",
      "kubesim.io/latency-ms": "bogus", "kubesim.io/telemetry-fault-error-ratio": "7",
      "kubesim.io/telemetry-fault-never-ready": "TRUE"}}})");
  Knobs k = knobsFromDeployment(d);
  EXPECT_DOUBLE_EQ(k.requestRate, 20);
  EXPECT_DOUBLE_EQ(k.errorRatio, 0.1);
  EXPECT_DOUBLE_EQ(k.latencyMs, 50);         // malformed: default
  EXPECT_DOUBLE_EQ(k.faultErrorRatio, 1.0);  // clamped
  EXPECT_TRUE(k.faultNeverReady);
  EXPECT_FALSE(k.faultCrashLoop);
  EXPECT_EQ(knobsFromDeployment(Json()), Knobs{});
}

TEST(KnobsTest, ProfileDetectsFlagAndCollector) {
  struct Case {
    const char* spec;
    bool telemetry;
    const char* app;
    const char* collector;
  };
  const Case cases[] = {
      {R"({"containers": [{"name": "api", "image": "shop"}]})", false, "api", ""},
      {R"({"containers": [{"name": "api", "env": [{"name": "FEATURE_OTEL", "value": "true"}]}]})",
       true, "api", ""},
      {R"({"containers": [{"name": "api", "env": [{"name": "FEATURE_OTEL", "value": "false"}]}]})",
       false, "api", ""},
      {R"({"containers": [{"name": "api", "env": [{"name": "TELEMETRY_ENABLED", "value": "True"}]}]})",
       true, "api", ""},
      {R"({"containers": [{"name": "api", "env": [{"name": "OTHER", "value": "true"}]}]})", false,
       "api", ""},
      {R"({"containers": [{"name": "sc", "image": "otel/opentelemetry-collector-contrib:0.90.0"}, {"name": "api"}]})",
       false, "api", "sc"},
      {R"({"containers": [{"name": "api"}, {"name": "otel-collector", "image": "x"}]})", false,
       "api", "otel-collector"},
  };
  for (const auto& c : cases) {
    PodProfile p = profileOf(Json::parse(c.spec), kFlags);
    EXPECT_EQ(p.telemetryOn, c.telemetry) << c.spec;
    EXPECT_EQ(p.appContainer, c.app) << c.spec;
    EXPECT_EQ(p.collectorContainer, c.collector) << c.spec;
  }
}

TEST(KnobsTest, FaultsApplyOnlyWithTelemetryOn) {
  Knobs k;
  k.errorRatio = 0.1;
  k.faultErrorRatio = 0.3;
  k.faultLatencyMs = 100;
  k.faultNeverReady = true;
  PodProfile off;
  PodProfile on;
  on.telemetryOn = true;
  Behaviour a = behaviourOf(k, off);
  EXPECT_DOUBLE_EQ(a.errorRatio, 0.1);
  EXPECT_DOUBLE_EQ(a.latencySeconds, 0.05);
  EXPECT_FALSE(a.neverReady);
  Behaviour b = behaviourOf(k, on);
  EXPECT_DOUBLE_EQ(b.errorRatio, 0.4);
  EXPECT_DOUBLE_EQ(b.latencySeconds, 0.15);
  EXPECT_TRUE(b.neverReady);
}

class AppModelTest : public ::testing::Test {
 protected:
  tro::base::TimePoint t0{seconds(1'000'000)};
  PodIdentity id{"shop", "api", "api-abc-x1"};
};

TEST_F(AppModelTest, CountersFollowRateErrorRatioAndTime) {
  AppModel m;
  PodProfile p = profileOf(Json::parse(R"({"containers": [{"name": "app"}]})"), kFlags);
  Behaviour b{10, 0.25, 0.05, 0, false, false};
  m.upsert("u1", id, p, b, true, t0);
  m.advance(t0 + seconds(100));
  std::string text = m.render();
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total", {"code=\"200\""}), 750);
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total", {"code=\"500\""}), 250);
  EXPECT_DOUBLE_EQ(sample(text, "http_request_duration_seconds_count"), 1000);
  EXPECT_DOUBLE_EQ(sample(text, "http_request_duration_seconds_bucket", {"le=\"+Inf\""}), 1000);
  // mean latency 50 ms: 30 ms and 60 ms fall under 0.1, 110 ms under 0.25
  EXPECT_DOUBLE_EQ(sample(text, "http_request_duration_seconds_bucket", {"le=\"0.05\""}), 500);
  EXPECT_DOUBLE_EQ(sample(text, "http_request_duration_seconds_bucket", {"le=\"0.1\""}), 900);
  EXPECT_DOUBLE_EQ(sample(text, "http_request_duration_seconds_bucket", {"le=\"0.25\""}), 1000);
  EXPECT_NEAR(sample(text, "http_request_duration_seconds_sum"), 50, 1e-6);
  EXPECT_NE(text.find("namespace=\"shop\",deployment=\"api\",pod=\"api-abc-x1\",container=\"app\""),
            std::string::npos);
  // Advancing in many small steps gives the same counters: monotonic and rate x elapsed.
  AppModel fine;
  fine.upsert("u1", id, p, b, true, t0);
  for (int i = 1; i <= 1000; ++i) fine.advance(t0 + std::chrono::milliseconds(100 * i));
  EXPECT_NEAR(sample(fine.render(), "http_requests_total"), 1000, 1);
  m.advance(t0 + seconds(50));  // time never goes back
  EXPECT_DOUBLE_EQ(sample(m.render(), "http_requests_total"), 1000);
}

TEST_F(AppModelTest, UnreadyPodsHaveSeriesButNoTraffic) {
  AppModel m;
  PodProfile p = profileOf(Json::parse(R"({"containers": [{"name": "app"}]})"), kFlags);
  m.upsert("u1", id, p, Behaviour{10, 0, 0.05, 0, false, false}, false, t0);
  m.advance(t0 + seconds(10));
  std::string text = m.render();
  EXPECT_NE(text.find("http_requests_total{namespace=\"shop\""), std::string::npos);
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total"), 0);
  EXPECT_GT(sample(text, "container_cpu_usage_seconds_total"), 0);
  m.retain({});
  EXPECT_EQ(m.render().find("api-abc-x1"), std::string::npos);
}

TEST_F(AppModelTest, CollectorSeriesUnderTheSidecarContainer) {
  AppModel m;
  PodProfile p = profileOf(
      Json::parse(
          R"({"containers": [{"name": "app", "env": [{"name": "FEATURE_OTEL", "value": "true"}]}, {"name": "otel-collector", "image": "otel/opentelemetry-collector-contrib:0.90.0"}]})"),
      kFlags);
  m.upsert("u1", id, p, Behaviour{10, 0, 0.05, 0.2, false, false}, true, t0);
  m.advance(t0 + seconds(10));
  std::string text = m.render();
  const std::string sidecar = "container=\"otel-collector\"";
  EXPECT_DOUBLE_EQ(sample(text, "otelcol_receiver_accepted_spans", {sidecar}), 100);
  EXPECT_DOUBLE_EQ(sample(text, "otelcol_exporter_sent_spans", {sidecar}), 80);
  EXPECT_DOUBLE_EQ(sample(text, "otelcol_exporter_send_failed_spans", {sidecar}), 20);
  EXPECT_DOUBLE_EQ(sample(text, "otelcol_exporter_queue_size", {sidecar}), 200);
  EXPECT_GT(sample(text, "container_cpu_usage_seconds_total", {sidecar}), 0);
  EXPECT_GT(sample(text, "container_memory_working_set_bytes", {sidecar}), 0);
  EXPECT_GT(sample(text, "container_memory_working_set_bytes", {"container=\"app\""}), 0);
}

}  // namespace
}  // namespace kubesim::world
