// Issue 6 (a): a healthy rollout over four Deployments, three waves each followed by a canary
// window guarded by the runbooks' alert and two SLO queries, passes every window and succeeds.
// Each window can only pass after an analysis judged it at its end (planner.h), so a
// WindowPassed Event per window, the operator's analysis tick count and the measurements kept in
// status.analysis show that the checks really ran against Prometheus.

#include <gtest/gtest.h>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNs = "storefront";
constexpr const char* kName = "storefront-otel";

// PROMETHEUS_URL is filled in once Prometheus has its port.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: storefront-otel, namespace: storefront}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: storefront}}
  flag: {name: FEATURE_OTEL}
  env:
    - {name: OTEL_SERVICE_NAME, value: "$(DEPLOYMENT_NAME)"}
  collector: {image: otel/opentelemetry-collector-contrib:0.90.0, configMap: otel-collector-config}
  strategy:
    steps:
      - setWeight: 25
      - pause: {duration: 4s}
      - setWeight: 50
      - pause: {duration: 4s}
      - setWeight: 100
      - pause: {duration: 4s}
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: 1s
    alerts:
      - {name: HighErrorRate, matchLabels: {namespace: storefront}}
    queries:
      - name: error-rate
        query: sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"{{targets}}",code=~"5.."}[10s])) / sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"{{targets}}"}[10s]))
        max: 0.02
      - name: p95-latency
        query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",deployment=~"{{targets}}"}[10s])))
        max: 0.3
)yaml";

TEST(AnalysisHealthyTest, PassesEveryWindowAndSucceedsWithMeasurementsInStatus) {
  std::string error;
  auto cluster = AnalysisCluster::start(highErrorRateRule(), error);
  ASSERT_NE(cluster, nullptr) << error;
  const std::vector<std::string> names = {"api", "cart", "checkout", "search"};
  std::vector<App> apps;
  for (const auto& n : names) apps.push_back({n, "storefront", "false", {}});
  ASSERT_TRUE(cluster->apply("ns.yaml", namespaceYaml(kNs))) << cluster->lastError();
  ASSERT_TRUE(cluster->applyApps(kNs, apps)) << cluster->lastError();
  ASSERT_TRUE(cluster->waitForScrapes(kNs, names)) << cluster->lastError();

  ASSERT_TRUE(cluster->apply("rollout.yaml",
                             fill(kRollout, {{"PROMETHEUS_URL", cluster->prometheus().url()}})))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForPhase(kNs, kName, "Succeeded", 80s))
      << cluster->diagnostics(kNs, kName);

  auto rollout = cluster->rollout(kNs, kName);
  ASSERT_TRUE(rollout) << cluster->lastError();
  const Json status = rollout->value("status", Json::object());
  EXPECT_EQ(status.value("stepProgress", ""), "6/6");
  EXPECT_EQ(status.value("targetProgress", ""), "4/4");
  EXPECT_EQ(condition(*rollout, "Ready").value("status", ""), "True");
  EXPECT_FALSE(status.contains("rollback")) << status.dump(2);

  // Every window passed, each only after an analysis at its end.
  const std::vector<Json> events = cluster->events(kNs, kName);
  for (const char* step : {"step 2/6", "step 4/6", "step 6/6"}) {
    EXPECT_EQ(eventsWith(events, "WindowPassed", step).size(), 1u)
        << step << cluster->diagnostics(kNs, kName);
  }
  EXPECT_TRUE(eventsWith(events, "AnalysisFailed").empty());
  EXPECT_TRUE(eventsWith(events, "RolledBack").empty());

  // The last window's measurements stay in status: every check judged, with the values seen.
  const Json analysis = status.value("analysis", Json::object());
  EXPECT_EQ(analysis.value("lastOutcome", ""), "Successful");
  EXPECT_EQ(analysis.value("totalFailures", -1), 0);
  auto lastRun = parseTime(analysis.value("lastRunAt", Json()));
  auto finishedAt = parseTime(status.value("stepStartedAt", Json()));
  ASSERT_TRUE(lastRun && finishedAt) << analysis.dump(2);
  // The final analysis of the last window is the one that let the rollout finish (same tick).
  EXPECT_EQ(*lastRun, *finishedAt) << status.dump(2);
  ASSERT_EQ(analysis.value("checks", Json::array()).size(), 3u) << analysis.dump(2);
  const Json alert = analysisCheck(*rollout, "alert/HighErrorRate");
  EXPECT_EQ(alert.value("outcome", ""), "Successful") << analysis.dump(2);
  const Json errorRate = analysisCheck(*rollout, "query/error-rate");
  EXPECT_EQ(errorRate.value("outcome", ""), "Successful") << analysis.dump(2);
  ASSERT_TRUE(errorRate.contains("value") && errorRate["value"].is_number()) << analysis.dump(2);
  EXPECT_DOUBLE_EQ(errorRate["value"].get<double>(), 0.0);  // the apps serve no errors
  EXPECT_EQ(errorRate.value("threshold", ""), "max 0.02");
  const Json p95 = analysisCheck(*rollout, "query/p95-latency");
  EXPECT_EQ(p95.value("outcome", ""), "Successful") << analysis.dump(2);
  ASSERT_TRUE(p95.contains("value") && p95["value"].is_number()) << analysis.dump(2);
  // 50 ms mean latency (+15 % with telemetry): p95 interpolates to 0.175 s in the 0.1-0.25 bucket.
  EXPECT_GT(p95["value"].get<double>(), 0.1);
  EXPECT_LT(p95["value"].get<double>(), 0.25);

  // The operator counted its analysis ticks: at least one per window, a final one at each end.
  auto ticks =
      cluster->operatorProcess().metric("telemetry_rollout_analysis_duration_seconds_count");
  ASSERT_TRUE(ticks) << cluster->operatorProcess().metrics();
  EXPECT_GE(*ticks, 3.0);

  // Every Deployment carries telemetry: flag on, env set, collector sidecar added.
  for (const auto& n : names) {
    auto d = cluster->deployment(kNs, n);
    ASSERT_TRUE(d) << cluster->lastError();
    EXPECT_EQ(envValue(*d, "app", "FEATURE_OTEL"), "true") << n;
    EXPECT_EQ(envValue(*d, "app", "OTEL_SERVICE_NAME"), n) << n;
    EXPECT_EQ(containerNames(*d), (std::vector<std::string>{"app", "otel-collector"})) << n;
  }
}

}  // namespace
}  // namespace tro::testing::analysis
