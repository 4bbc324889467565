// A built-in telemetry check end to end: the injected collector fails to export half of its spans
// (a kubesim fault that exists only while telemetry is on); builtin/collector-export-failure-ratio
// measures it from the collector's own otelcol_* counters and rolls back. The analysis interval
// is short (1s; the demo uses 2s), which must not leave the built-in's rate() without samples.

#include <gtest/gtest.h>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNs = "tracing";
constexpr const char* kName = "tracing-otel";

// PROMETHEUS_URL is filled in once Prometheus has its port.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: tracing-otel, namespace: tracing}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: tracing}}
  flag: {name: FEATURE_OTEL}
  collector: {image: otel/opentelemetry-collector-contrib:0.90.0, configMap: otel-collector-config}
  strategy:
    steps:
      - setWeight: 50
      - pause: {duration: 60s}
      - setWeight: 100
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: 1s
    # Built-ins alone are a valid analysis (SpecTest.AnalysisOfOnlyABaselineOrABuiltinIsValid);
    # the alert gate is here to show both kinds of check side by side.
    alerts:
      - {name: HighErrorRate, matchLabels: {namespace: tracing}}
    builtins:
      - {name: collector-export-failure-ratio, max: 0.05}
  rollback: {removeCollector: true}
)yaml";

TEST(AnalysisBuiltinTest, CollectorExportFailuresRollBackWithShortInterval) {
  std::string error;
  auto cluster = AnalysisCluster::start(highErrorRateRule(), error);
  ASSERT_NE(cluster, nullptr) << error;
  ASSERT_TRUE(cluster->apply("ns.yaml", namespaceYaml(kNs))) << cluster->lastError();
  const std::map<std::string, std::string> knobs = {
      {"kubesim.io/request-rate", "50"},
      {"kubesim.io/telemetry-fault-export-failure-ratio", "0.5"}};
  ASSERT_TRUE(cluster->applyApps(kNs, {{"collector-a", "tracing", "false", knobs},
                                       {"collector-b", "tracing", "false", knobs}}))
      << cluster->lastError();

  ASSERT_TRUE(cluster->apply("rollout.yaml",
                             fill(kRollout, {{"PROMETHEUS_URL", cluster->prometheus().url()}})))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForPhase(kNs, kName, "RolledBack", 60s))
      << cluster->diagnostics(kNs, kName);

  auto rollout = cluster->rollout(kNs, kName);
  ASSERT_TRUE(rollout) << cluster->lastError();
  const Json rollback = rollout->value(Json::json_pointer("/status/rollback"), Json::object());
  EXPECT_EQ(rollback.value("reason", ""), "AnalysisFailed") << rollback.dump(2);
  EXPECT_EQ(rollback.value("check", ""), "builtin/collector-export-failure-ratio")
      << rollback.dump(2);
  EXPECT_EQ(rollback.value("threshold", ""), "max 0.05") << rollback.dump(2);
  ASSERT_TRUE(rollback.contains("value") && rollback["value"].is_number()) << rollback.dump(2);
  EXPECT_NEAR(rollback["value"].get<double>(), 0.5, 0.1);  // the collector drops half
  // Only the first wave had a collector; its sidecar is gone again.
  auto first = cluster->deployment(kNs, "collector-a");
  ASSERT_TRUE(first);
  EXPECT_EQ(envValue(*first, "app", "FEATURE_OTEL"), "false");
  EXPECT_EQ(containerNames(*first), std::vector<std::string>{"app"});
}

}  // namespace
}  // namespace tro::testing::analysis
