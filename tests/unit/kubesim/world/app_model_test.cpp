#include "kubesim/world/app_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "kubesim/world/knobs.h"

namespace kubesim::world {
namespace {

using std::chrono::seconds;

// Lines of the samples of `name`.
int series(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.rfind(name + "{", 0) == 0;
  return n;
}

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
      "kubesim.io/telemetry-fault-never-ready": "TRUE", "kubesim.io/per-pod-metrics": "true"}}})");
  Knobs k = knobsFromDeployment(d);
  EXPECT_TRUE(k.perPodMetrics);
  EXPECT_TRUE(behaviourOf(k, PodProfile{}).perPodMetrics);
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
  static PodProfile withCollector() {
    PodProfile p;
    p.telemetryOn = true;
    p.appContainer = "app";
    p.collectorContainer = "otel-collector";
    p.containers = {"app", "otel-collector"};
    return p;
  }
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
  EXPECT_DOUBLE_EQ(sample(text, "otelcol_exporter_queue_capacity", {sidecar}), 1000);
  EXPECT_GT(sample(text, "container_cpu_usage_seconds_total", {sidecar}), 0);
  EXPECT_GT(sample(text, "container_memory_working_set_bytes", {sidecar}), 0);
  EXPECT_GT(sample(text, "container_memory_working_set_bytes", {"container=\"app\""}), 0);
}

// Queue capacity: beside the queue size, with the same labels, only for pods with a collector;
// the operator's collector-queue-saturation check divides one by the other.
TEST_F(AppModelTest, QueueCapacityBesideQueueSize) {
  AppModel m;
  PodProfile plain;
  plain.appContainer = "app";
  m.upsert("u1", id, withCollector(), Behaviour{10, 0, 0.05, 0.3, false, false}, true, t0);
  m.upsert("u2", {"shop", "web", "web-abc-x2"}, plain, Behaviour{10, 0, 0.05, 0.3, false, false},
           true, t0);
  m.advance(t0 + seconds(1));
  const std::string text = m.render();
  const std::string labels =
      "{namespace=\"shop\",deployment=\"api\",pod=\"api-abc-x1\",container=\"otel-collector\"} ";
  EXPECT_NE(text.find("\notelcol_exporter_queue_size" + labels + "300\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\notelcol_exporter_queue_capacity" + labels + "1000\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE otelcol_exporter_queue_capacity gauge\n"), std::string::npos);
  EXPECT_EQ(series(text, "otelcol_exporter_queue_capacity"), 1);  // not for the plain pod
  EXPECT_DOUBLE_EQ(AppModel::kExporterQueueCapacity, 1000);
}

// Per-pod series up to perPodSeriesLimit tracked pods, per-Deployment aggregates above; the
// counters are the same totals either way.
TEST_F(AppModelTest, PerPodSeriesUpToTheLimitThenPerDeployment) {
  struct Case {
    std::size_t limit;
    bool aggregated;
  };
  const Case cases[] = {{1000, false}, {4, false}, {3, false}, {2, true}, {1, true}, {0, true}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.limit);
    AppModel m(c.limit);
    EXPECT_EQ(m.perPodSeriesLimit(), c.limit);
    const Behaviour b{10, 0.1, 0.05, 0.2, false, false};
    m.upsert("u1", {"shop", "api", "api-abc-x1"}, withCollector(), b, true, t0);
    m.upsert("u2", {"shop", "api", "api-abc-x2"}, withCollector(), b, true, t0);
    m.upsert("u3", {"shop", "web", "web-def-y1"}, withCollector(), b, true, t0);
    m.advance(t0 + seconds(10));
    EXPECT_EQ(m.aggregated(), c.aggregated);
    const std::string text = m.render();
    const int groups = c.aggregated ? 2 : 3;  // Deployments or pods
    EXPECT_EQ(text.find("pod=\"") == std::string::npos, c.aggregated);
    EXPECT_EQ(series(text, "http_requests_total"), 2 * groups);
    EXPECT_EQ(series(text, "http_request_duration_seconds_bucket"), 9 * groups);
    EXPECT_EQ(series(text, "container_cpu_usage_seconds_total"), 2 * groups);
    EXPECT_EQ(series(text, "container_memory_working_set_bytes"), 2 * groups);
    EXPECT_EQ(series(text, "otelcol_exporter_sent_spans"), groups);
    EXPECT_EQ(series(text, "otelcol_exporter_queue_size"), groups);
    EXPECT_EQ(series(text, "otelcol_exporter_queue_capacity"), groups);
    // 3 pods x 10/s x 10 s, whatever the grouping.
    EXPECT_DOUBLE_EQ(sample(text, "http_requests_total"), 300);
    EXPECT_DOUBLE_EQ(sample(text, "http_requests_total", {"deployment=\"api\"", "code=\"500\""}),
                     20);
    EXPECT_DOUBLE_EQ(sample(text, "http_request_duration_seconds_count"), 300);
    EXPECT_DOUBLE_EQ(sample(text, "otelcol_receiver_accepted_spans"), 300);
    EXPECT_DOUBLE_EQ(sample(text, "otelcol_exporter_send_failed_spans", {"deployment=\"web\""}),
                     20);
    if (c.aggregated) {
      EXPECT_NE(text.find("\nhttp_requests_total{namespace=\"shop\",deployment=\"api\","
                          "container=\"app\",code=\"200\"} 180\n"),
                std::string::npos)
          << text;
      EXPECT_NE(text.find("\nhttp_request_duration_seconds_bucket{namespace=\"shop\","
                          "deployment=\"web\",container=\"app\",le=\"+Inf\"} 100\n"),
                std::string::npos)
          << text;
    }
  }
  // The setter switches at the next render.
  AppModel m;
  m.upsert("u1", id, withCollector(), Behaviour{10, 0, 0.05, 0, false, false}, true, t0);
  EXPECT_EQ(m.perPodSeriesLimit(), AppModel::kDefaultPerPodSeriesLimit);
  EXPECT_NE(m.render().find("pod=\"api-abc-x1\""), std::string::npos);
  m.setPerPodSeriesLimit(0);
  EXPECT_TRUE(m.aggregated());
  EXPECT_EQ(m.render().find("pod=\""), std::string::npos);
}

// Aggregated counters keep what a pod counted after the pod is gone, so they never go back;
// gauges cover only the live pods (memory summed, queue size the most saturated pod's).
TEST_F(AppModelTest, AggregatedCountersStayMonotonicWhenPodsGo) {
  AppModel m(1);
  m.upsert("u1", {"shop", "api", "api-abc-x1"}, withCollector(),
           Behaviour{10, 0, 0.05, 0.2, false, false}, true, t0);
  m.upsert("u2", {"shop", "api", "api-abc-x2"}, withCollector(),
           Behaviour{10, 0, 0.05, 0.5, false, false}, true, t0);
  m.upsert("u3", {"shop", "api", "api-abc-x3"}, withCollector(),
           Behaviour{10, 0, 0.05, 0.1, false, false}, true, t0);
  m.advance(t0 + seconds(10));
  const std::string before = m.render();
  const std::string app = "container=\"app\"";
  const std::string sidecar = "container=\"otel-collector\"";
  EXPECT_DOUBLE_EQ(sample(before, "http_requests_total"), 300);
  EXPECT_DOUBLE_EQ(sample(before, "otelcol_exporter_send_failed_spans"), 80);  // 20 + 50 + 10
  EXPECT_DOUBLE_EQ(sample(before, "container_memory_working_set_bytes", {app}),
                   3 * 72 * 1024.0 * 1024.0);
  EXPECT_DOUBLE_EQ(sample(before, "container_memory_working_set_bytes", {sidecar}),
                   3 * 48 * 1024.0 * 1024.0);
  EXPECT_DOUBLE_EQ(sample(before, "otelcol_exporter_queue_size"), 500);  // max, not sum
  EXPECT_DOUBLE_EQ(sample(before, "otelcol_exporter_queue_capacity"), 1000);

  // The most saturated pod goes: nothing it counted is lost.
  m.retain({{"u1", true}, {"u3", true}});
  ASSERT_TRUE(m.aggregated());
  const std::string gone = m.render();
  for (const char* counter :
       {"http_requests_total", "http_request_duration_seconds_count",
        "container_cpu_usage_seconds_total", "otelcol_receiver_accepted_spans",
        "otelcol_exporter_sent_spans", "otelcol_exporter_send_failed_spans"}) {
    EXPECT_DOUBLE_EQ(sample(gone, counter), sample(before, counter)) << counter;
  }
  EXPECT_DOUBLE_EQ(sample(gone, "container_memory_working_set_bytes", {app}),
                   2 * 72 * 1024.0 * 1024.0);
  EXPECT_DOUBLE_EQ(sample(gone, "otelcol_exporter_queue_size"), 200);

  m.advance(t0 + seconds(20));
  const std::string after = m.render();
  EXPECT_DOUBLE_EQ(sample(after, "http_requests_total"), 300 + 2 * 100);
  EXPECT_DOUBLE_EQ(sample(after, "otelcol_exporter_send_failed_spans"), 80 + 20 + 10);
  EXPECT_GT(sample(after, "container_cpu_usage_seconds_total", {sidecar}),
            sample(gone, "container_cpu_usage_seconds_total", {sidecar}));
}

// A Deployment without pods keeps its aggregated counters for kIdleAggregateTtl (a Recreate
// rollout), without gauges; then its series end.
TEST_F(AppModelTest, AggregatesWithoutPodsEndAfterTheTtl) {
  AppModel m(0);
  const Behaviour b{10, 0, 0.05, 0, false, false};
  m.upsert("u1", {"shop", "api", "api-abc-x1"}, withCollector(), b, true, t0);
  m.upsert("u2", {"shop", "web", "web-abc-x1"}, withCollector(), b, true, t0);
  m.advance(t0 + seconds(10));
  m.retain({{"u1", true}});
  const std::string web = "deployment=\"web\"";
  auto at = [&](tro::base::TimePoint t) {
    m.advance(t);
    return m.render();
  };
  std::string text = at(t0 + seconds(10) + AppModel::kIdleAggregateTtl - seconds(1));
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total", {web}), 100);
  EXPECT_EQ(series(text, "http_requests_total"), 4);
  EXPECT_EQ(series(text, "container_memory_working_set_bytes"), 2);  // api's only
  EXPECT_EQ(series(text, "otelcol_exporter_queue_size"), 1);
  // A pod of the Deployment coming back within the TTL continues its counters.
  m.upsert("u3", {"shop", "web", "web-abc-x2"}, withCollector(), b, true,
           t0 + seconds(10) + AppModel::kIdleAggregateTtl - seconds(1));
  text = at(t0 + seconds(20) + AppModel::kIdleAggregateTtl - seconds(1));
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total", {web}), 200);
  m.retain({{"u1", true}});
  text = at(t0 + seconds(20) + 2 * AppModel::kIdleAggregateTtl);
  EXPECT_EQ(text.find(web), std::string::npos);
  EXPECT_EQ(series(text, "http_requests_total"), 2);
}

// Values are written in full: a counter past 6 digits still moves by 1 (a "%.6g" rendering froze
// it at 1.23457e+06).
TEST_F(AppModelTest, LargeCountersAreExact) {
  AppModel m;
  PodProfile p;
  p.appContainer = "app";
  m.upsert("u1", id, p, Behaviour{1, 0, 0.05, 0, false, false}, true, t0);
  m.advance(t0 + seconds(1'234'567));
  EXPECT_NE(m.render().find("code=\"200\"} 1234567\n"), std::string::npos);
  m.advance(t0 + seconds(1'234'568));
  EXPECT_NE(m.render().find("code=\"200\"} 1234568\n"), std::string::npos);
}

// 10,000 pods of 100 Deployments render as a few thousand lines, not hundreds of thousands.
TEST_F(AppModelTest, FleetSizeRendersPerDeployment) {
  AppModel m;
  const Behaviour b{10, 0, 0.05, 0.1, false, false};
  for (int i = 0; i < 10'000; ++i) {
    const std::string deployment = "d" + std::to_string(i % 100);
    m.upsert("u" + std::to_string(i),
             {"fleet", deployment, deployment + "-abc-" + std::to_string(i)}, withCollector(), b,
             true, t0);
  }
  m.advance(t0 + seconds(10));
  ASSERT_TRUE(m.aggregated());
  const std::string text = m.render();
  EXPECT_EQ(series(text, "http_requests_total"), 200);
  EXPECT_EQ(series(text, "container_cpu_usage_seconds_total"), 200);
  EXPECT_LT(std::count(text.begin(), text.end(), '\n'), 3'000);
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total"), 1'000'000);
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total", {"deployment=\"d7\""}), 10'000);
  m.advance(t0 + seconds(10) + std::chrono::milliseconds(100));
  EXPECT_DOUBLE_EQ(sample(m.render(), "http_requests_total"), 1'010'000);
}

// A Deployment annotated kubesim.io/per-pod-metrics keeps per-pod series in an aggregated model
// (the built-in checks select pods by name) and has no aggregate beside them: no double count.
TEST_F(AppModelTest, OptedInDeploymentsKeepPerPodSeriesAtFleetSize) {
  AppModel m(1);
  Behaviour perPod{10, 0, 0.05, 0, false, false};
  perPod.perPodMetrics = true;
  const Behaviour plain{10, 0, 0.05, 0, false, false};
  m.upsert("u1", {"shop", "api", "api-abc-x1"}, withCollector(), perPod, true, t0);
  m.upsert("u2", {"shop", "api", "api-abc-x2"}, withCollector(), perPod, true, t0);
  m.upsert("u3", {"shop", "web", "web-def-y1"}, withCollector(), plain, true, t0);
  m.advance(t0 + seconds(10));
  ASSERT_TRUE(m.aggregated());
  const std::string text = m.render();
  EXPECT_NE(text.find("pod=\"api-abc-x1\""), std::string::npos);
  EXPECT_NE(text.find("pod=\"api-abc-x2\""), std::string::npos);
  EXPECT_EQ(text.find("pod=\"web-def-y1\""), std::string::npos);
  EXPECT_EQ(series(text, "otelcol_exporter_queue_capacity"), 3);  // 2 pods + web's aggregate
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total", {"deployment=\"api\""}), 200);
  EXPECT_DOUBLE_EQ(sample(text, "http_requests_total"), 300);
}

}  // namespace
}  // namespace kubesim::world
