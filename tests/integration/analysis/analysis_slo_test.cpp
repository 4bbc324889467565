// Issue 6 (c): an SLO query breach. The guard is p95 latency from the request-duration histogram
// (histogram_quantile over the enabled Deployments) with a max threshold; the apps' latency
// fault applies only while telemetry is on, so the first wave pushes p95 over the bound and the
// operator rolls back, recording the measured value and the threshold in status.rollback.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNs = "checkout";
constexpr const char* kName = "checkout-otel";

// PROMETHEUS_URL is filled in once Prometheus has its port.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: checkout-otel, namespace: checkout}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: checkout}}
  flag: {name: FEATURE_OTEL}
  env:
    - {name: OTEL_SERVICE_NAME, value: "$(DEPLOYMENT_NAME)"}
  strategy:
    steps:
      - setWeight: 33
      - pause: {duration: 60s}
      - setWeight: 100
      - pause: {duration: 5s}
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: 1s
    queries:
      - name: p95-latency
        query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="{{namespace}}",deployment=~"{{targets}}"}[10s])))
        max: 0.3
)yaml";

std::string p95Of(const std::string& deploymentRegex) {
  return "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{"
         "namespace=\"checkout\",deployment=~\"" +
         deploymentRegex + "\"}[10s])))";
}

TEST(AnalysisSloTest, P95LatencyBreachRollsBackWithValueAndThreshold) {
  std::string error;
  auto cluster = AnalysisCluster::start(highErrorRateRule(), error);
  ASSERT_NE(cluster, nullptr) << error;
  ASSERT_TRUE(cluster->apply("ns.yaml", namespaceYaml(kNs))) << cluster->lastError();
  const std::map<std::string, std::string> knobs = {
      {"kubesim.io/request-rate", "50"}, {"kubesim.io/telemetry-fault-latency-ms", "400"}};
  const std::vector<std::string> names = {"web-a", "web-b", "web-c"};
  std::vector<App> apps;
  for (const auto& n : names) apps.push_back({n, "checkout", "false", knobs});
  ASSERT_TRUE(cluster->applyApps(kNs, apps)) << cluster->lastError();
  ASSERT_TRUE(cluster->waitForScrapes(kNs, names)) << cluster->lastError();

  // The fault is dormant while telemetry is off: p95 is well under the SLO before the rollout.
  std::optional<double> before;
  ASSERT_TRUE(waitFor(
      [&] {
        before = cluster->queryValue(p95Of(".*"));
        return before && !std::isnan(*before);
      },
      30s));
  EXPECT_LT(*before, 0.3);

  ASSERT_TRUE(cluster->apply("rollout.yaml",
                             fill(kRollout, {{"PROMETHEUS_URL", cluster->prometheus().url()}})))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForPhase(kNs, kName, "RolledBack", 90s))
      << cluster->diagnostics(kNs, kName);

  auto rollout = cluster->rollout(kNs, kName);
  ASSERT_TRUE(rollout) << cluster->lastError();
  const Json status = rollout->value("status", Json::object());
  const Json rollback = status.value("rollback", Json::object());
  EXPECT_EQ(rollback.value("reason", ""), "AnalysisFailed") << status.dump(2);
  EXPECT_EQ(rollback.value("check", ""), "query/p95-latency") << status.dump(2);
  EXPECT_EQ(rollback.value("threshold", ""), "max 0.3") << status.dump(2);
  ASSERT_TRUE(rollback.contains("value") && rollback["value"].is_number()) << status.dump(2);
  const double measured = rollback["value"].get<double>();
  EXPECT_GT(measured, 0.3);
  // The same measurement is in the last analysis, judged Failed.
  const Json check = analysisCheck(*rollout, "query/p95-latency");
  EXPECT_EQ(check.value("outcome", ""), "Failed") << status.dump(2);
  EXPECT_DOUBLE_EQ(check.value("value", 0.0), measured);
  EXPECT_NE(status.value("message", "").find("p95-latency"), std::string::npos) << status.dump(2);
  EXPECT_EQ(condition(*rollout, "Stalled").value("status", ""), "True");
  EXPECT_EQ(eventsWith(cluster->events(kNs, kName), "RolledBack", "p95-latency").size(), 1u)
      << cluster->diagnostics(kNs, kName);

  // Only the first wave (web-a) was enabled; it is rolled back, the others were never touched.
  ASSERT_TRUE(waitFor(
      [&] {
        auto d = cluster->deployment(kNs, "web-a");
        return d && envValue(*d, "app", "FEATURE_OTEL") == "false";
      },
      30s))
      << cluster->diagnostics(kNs, kName);
  auto webA = cluster->deployment(kNs, "web-a");
  ASSERT_TRUE(webA);
  EXPECT_EQ(envValue(*webA, "app", "OTEL_SERVICE_NAME"), std::nullopt);
  EXPECT_EQ(eventsWith(cluster->events(kNs, "web-a"), "TelemetryDisabled").size(), 1u);
  for (const char* name : {"web-b", "web-c"}) {
    auto d = cluster->deployment(kNs, name);
    ASSERT_TRUE(d) << cluster->lastError();
    EXPECT_EQ(envValue(*d, "app", "FEATURE_OTEL"), "false") << name;
    EXPECT_EQ(envValue(*d, "app", "OTEL_SERVICE_NAME"), std::nullopt) << name;
    EXPECT_EQ(d->value(Json::json_pointer("/metadata/generation"), 0), 1) << name;
  }
}

}  // namespace
}  // namespace tro::testing::analysis
