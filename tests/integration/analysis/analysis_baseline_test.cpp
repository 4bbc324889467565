// Issue 6 (e): a regression too small for a fixed threshold is caught by comparing cohorts. Every
// app fails 0.5 % of requests; telemetry adds 1 %, so the enabled Deployments run at 1.5 %, under
// the fixed 2 % SLO, but 1 point above the not-yet-enabled ones. The baseline check (enabled
// cohort vs baseline cohort, 0.4 point margin) rolls back; the same analysis tick judged the
// fixed-threshold query Successful, and Prometheus itself confirms the enabled cohort's ratio is
// under 2 % when the rollback happens.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNs = "catalog";
constexpr const char* kName = "catalog-otel";

// The error ratio of the Deployments matched by DEPLOYMENTS ({{targets}}, {{cohort}} or a regex).
constexpr const char* kRatio =
    R"q(sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"DEPLOYMENTS",code=~"5.."}[10s])))q"
    R"q( / sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"DEPLOYMENTS"}[10s])))q";

std::string ratio(const std::string& deployments) {
  return fill(kRatio, {{"DEPLOYMENTS", deployments}});
}

// The same ratio judged two ways: against a fixed 2 % bound, and enabled vs baseline cohort.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: catalog-otel, namespace: catalog}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: catalog}}
  flag: {name: FEATURE_OTEL}
  strategy:
    steps:
      - setWeight: 50
      - pause: {duration: 60s}
      - setWeight: 100
      - pause: {duration: 5s}
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: 1s
    queries:
      - name: error-rate
        query: 'TARGETS_RATIO'
        max: 0.02
    baseline:
      - name: error-rate-vs-baseline
        query: 'COHORT_RATIO'
        direction: HigherIsWorse
        absoluteMargin: 0.004
)yaml";

std::string rolloutYaml(const std::string& prometheusUrl) {
  return fill(kRollout, {{"PROMETHEUS_URL", prometheusUrl},
                         {"TARGETS_RATIO", ratio("{{targets}}")},
                         {"COHORT_RATIO", ratio("{{cohort}}")}});
}

std::string substituteNamespace(const std::string& promql) {
  return fill(promql, {{"{{namespace}}", kNs}});
}

TEST(AnalysisBaselineTest, CohortComparisonCatchesWhatAFixedThresholdPasses) {
  std::string error;
  auto cluster = AnalysisCluster::start(highErrorRateRule(), error);
  ASSERT_NE(cluster, nullptr) << error;
  ASSERT_TRUE(cluster->apply("ns.yaml", namespaceYaml(kNs))) << cluster->lastError();
  const std::map<std::string, std::string> knobs = {
      {"kubesim.io/request-rate", "200"},
      {"kubesim.io/error-ratio", "0.005"},
      {"kubesim.io/telemetry-fault-error-ratio", "0.01"}};
  const std::vector<std::string> names = {"books", "music", "search", "videos"};
  std::vector<App> apps;
  for (const auto& n : names) apps.push_back({n, "catalog", "false", knobs});
  ASSERT_TRUE(cluster->applyApps(kNs, apps)) << cluster->lastError();
  ASSERT_TRUE(cluster->waitForScrapes(kNs, names)) << cluster->lastError();

  ASSERT_TRUE(cluster->apply("rollout.yaml", rolloutYaml(cluster->prometheus().url())))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForPhase(kNs, kName, "RolledBack", 90s))
      << cluster->diagnostics(kNs, kName);
  // Straight away, as the operator saw it: the enabled cohort (the first wave) is under 2 %.
  const auto enabledNow = cluster->queryValue(substituteNamespace(ratio("books|music")));
  const auto baselineNow = cluster->queryValue(substituteNamespace(ratio("search|videos")));

  auto rollout = cluster->rollout(kNs, kName);
  ASSERT_TRUE(rollout) << cluster->lastError();
  const Json status = rollout->value("status", Json::object());
  const Json rollback = status.value("rollback", Json::object());
  EXPECT_EQ(rollback.value("reason", ""), "AnalysisFailed") << status.dump(2);
  EXPECT_EQ(rollback.value("check", ""), "baseline/error-rate-vs-baseline") << status.dump(2);
  ASSERT_TRUE(rollback.contains("value") && rollback["value"].is_number()) << status.dump(2);
  const double enabledRatio = rollback["value"].get<double>();
  EXPECT_GT(enabledRatio, 0.007);  // above baseline (~0.005) + 0.004
  EXPECT_LT(enabledRatio, 0.02);   // and yet under the fixed SLO
  EXPECT_NE(rollback.value("threshold", "").find("baseline"), std::string::npos) << status.dump(2);
  EXPECT_EQ(eventsWith(cluster->events(kNs, kName), "RolledBack", "error-rate-vs-baseline").size(),
            1u)
      << cluster->diagnostics(kNs, kName);

  // The tick that rolled back judged the fixed 2 % query a pass, on the very same value (the
  // same PromQL over the enabled Deployments, evaluated at the same instant).
  const Json fixed = analysisCheck(*rollout, "query/error-rate");
  EXPECT_EQ(fixed.value("outcome", ""), "Successful") << status.dump(2);
  ASSERT_TRUE(fixed.contains("value") && fixed["value"].is_number()) << status.dump(2);
  EXPECT_DOUBLE_EQ(fixed["value"].get<double>(), enabledRatio);
  EXPECT_EQ(analysisCheck(*rollout, "baseline/error-rate-vs-baseline").value("outcome", ""),
            "Failed");

  // Prometheus agrees: a fixed threshold at 2 % alone would have passed.
  ASSERT_TRUE(enabledNow && baselineNow) << cluster->diagnostics(kNs, kName);
  EXPECT_LT(*enabledNow, 0.02);
  EXPECT_NEAR(*baselineNow, 0.005, 0.002);

  // The first wave is rolled back; the baseline cohort was never touched.
  for (const char* name : {"books", "music"}) {
    EXPECT_EQ(eventsWith(cluster->events(kNs, name), "TelemetryDisabled").size(), 1u) << name;
  }
  for (const char* name : {"search", "videos"}) {
    auto d = cluster->deployment(kNs, name);
    ASSERT_TRUE(d) << cluster->lastError();
    EXPECT_EQ(envValue(*d, "app", "FEATURE_OTEL"), "false") << name;
    EXPECT_EQ(d->value(Json::json_pointer("/metadata/generation"), 0), 1) << name;
  }
}

}  // namespace
}  // namespace tro::testing::analysis
