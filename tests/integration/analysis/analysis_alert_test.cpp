// Issue 6 (b) and the failed-rollout breach: what makes the operator roll back, end to end.
//  - A telemetry-only fault on the last wave's Deployment makes the runbooks' HighErrorRate fire
//    in a real Prometheus; the operator rolls back EVERY Deployment it enabled (not only the
//    implicated one): flag at its disabled value, extra env gone, collector sidecar removed; the
//    alert then clears in Prometheus.
//  - A Deployment that cannot become Ready once telemetry is on exceeds its progress deadline:
//    a breach too, rolled back with reason ProgressDeadlineExceeded.

#include <gtest/gtest.h>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

// NAMESPACE, STEPS and PROMETHEUS_URL are filled in per scenario.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: otel, namespace: NAMESPACE}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: payments}}
  flag: {name: FEATURE_OTEL, enabledValue: "true", disabledValue: "off"}
  env:
    - {name: OTEL_SERVICE_NAME, value: "$(DEPLOYMENT_NAME)"}
    - {name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://localhost:4318"}
  collector: {image: otel/opentelemetry-collector-contrib:0.90.0, configMap: otel-collector-config}
  strategy:
    steps: STEPS
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: 1s
    alerts:
      - {name: HighErrorRate, matchLabels: {namespace: NAMESPACE}}
  rollback: {removeCollector: true}
)yaml";

std::string rolloutYaml(const std::string& ns, const std::string& prometheusUrl,
                        const std::string& steps) {
  return fill(kRollout, {{"NAMESPACE", ns}, {"STEPS", steps}, {"PROMETHEUS_URL", prometheusUrl}});
}

// The rolled-back form: flag at disabledValue, the operator's env gone, the sidecar removed, the
// application's own env untouched.
void expectRolledBack(AnalysisCluster& cluster, const std::string& ns, const std::string& name) {
  auto d = cluster.deployment(ns, name);
  ASSERT_TRUE(d) << cluster.lastError();
  EXPECT_EQ(envValue(*d, "app", "FEATURE_OTEL"), "off") << name;
  EXPECT_EQ(envValue(*d, "app", "OTEL_SERVICE_NAME"), std::nullopt) << name;
  EXPECT_EQ(envValue(*d, "app", "OTEL_EXPORTER_OTLP_ENDPOINT"), std::nullopt) << name;
  EXPECT_EQ(envValue(*d, "app", "LOG_LEVEL"), "info") << name;
  EXPECT_EQ(containerNames(*d), std::vector<std::string>{"app"}) << name;
  EXPECT_EQ(eventsWith(cluster.events(ns, name), "TelemetryDisabled").size(), 1u)
      << "Events about Deployment " << name;
}

TEST(AnalysisAlertTest, FiringAlertRollsBackEveryEnabledDeploymentAndTheAlertClears) {
  constexpr const char* kNs = "payments";
  std::string error;
  auto cluster = AnalysisCluster::start(highErrorRateRule(), error);
  ASSERT_NE(cluster, nullptr) << error;
  ASSERT_TRUE(cluster->apply("ns.yaml", namespaceYaml(kNs))) << cluster->lastError();
  // Waves go by name: alpha and bravo first (healthy), then charlie, whose error ratio jumps by
  // 30 % once its flag is on. bravo has no flag at all before the rollout.
  const std::map<std::string, std::string> busy = {{"kubesim.io/request-rate", "50"}};
  std::map<std::string, std::string> faulty = busy;
  faulty["kubesim.io/telemetry-fault-error-ratio"] = "0.3";
  ASSERT_TRUE(cluster->applyApps(kNs, {{"alpha", "payments", "false", busy},
                                       {"bravo", "payments", std::nullopt, busy},
                                       {"charlie", "payments", "false", faulty}}))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForScrapes(kNs, {"alpha", "bravo", "charlie"})) << cluster->lastError();

  const std::string steps =
      "[{setWeight: 50}, {pause: {duration: 3s}}, {setWeight: 100}, {pause: {duration: 60s}}]";
  ASSERT_TRUE(cluster->apply("rollout.yaml", rolloutYaml(kNs, cluster->prometheus().url(), steps)))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForPhase(kNs, "otel", "RolledBack", 90s))
      << cluster->diagnostics(kNs, "otel");

  auto rollout = cluster->rollout(kNs, "otel");
  ASSERT_TRUE(rollout) << cluster->lastError();
  const Json status = rollout->value("status", Json::object());
  // Rolled back once charlie (the last wave) was on.
  EXPECT_GE(status.value("currentStep", -1), 2) << status.dump(2);
  const Json rollback = status.value("rollback", Json::object());
  EXPECT_EQ(rollback.value("reason", ""), "AnalysisFailed") << status.dump(2);
  EXPECT_EQ(rollback.value("check", ""), "alert/HighErrorRate") << status.dump(2);
  EXPECT_EQ(rollback.value("threshold", ""), "firing") << status.dump(2);
  EXPECT_NE(rollback.value("message", "").find("charlie"), std::string::npos) << status.dump(2);
  EXPECT_EQ(condition(*rollout, "Stalled").value("status", ""), "True");
  EXPECT_EQ(condition(*rollout, "Stalled").value("reason", ""), "RolledBack");
  EXPECT_EQ(condition(*rollout, "Ready").value("status", ""), "False");
  const std::vector<Json> events = cluster->events(kNs, "otel");
  const std::vector<Json> rolledBack = eventsWith(events, "RolledBack", "HighErrorRate");
  ASSERT_EQ(rolledBack.size(), 1u) << cluster->diagnostics(kNs, "otel");
  EXPECT_EQ(rolledBack[0].value("type", ""), "Warning");

  // Every enabled Deployment is rolled back, the healthy ones too.
  ASSERT_TRUE(waitFor(
      [&] {
        auto r = cluster->rollout(kNs, "otel");
        return r && r->value(Json::json_pointer("/status/targetProgress"), "") == "0/3";
      },
      30s))
      << cluster->diagnostics(kNs, "otel");
  for (const char* name : {"alpha", "bravo", "charlie"}) {
    expectRolledBack(*cluster, kNs, name);
    EXPECT_EQ(cluster
                  ->kubectl({"-n", kNs, "rollout", "status", std::string("deployment/") + name,
                             "--timeout=60s"})
                  .exitCode,
              0)
        << name;
  }
  auto rollbacks = cluster->operatorProcess().metric(
      "telemetry_rollout_rollbacks_total{reason=\"AnalysisFailed\"}");
  EXPECT_EQ(rollbacks, 1.0) << cluster->operatorProcess().metrics();

  // With the flag off the fault is gone: Prometheus stops firing.
  const std::map<std::string, std::string> charlie = {{"namespace", kNs},
                                                      {"deployment", "charlie"}};
  EXPECT_TRUE(waitFor(
      [&] {
        return !cluster->prometheus().alertIs("HighErrorRate", charlie, "firing") &&
               !cluster->prometheus().alertIs("HighErrorRate", charlie, "pending");
      },
      60s))
      << "HighErrorRate still active after the rollback" << cluster->diagnostics(kNs, "otel");
  EXPECT_EQ(cluster->rollout(kNs, "otel")->value(Json::json_pointer("/status/phase"), ""),
            "RolledBack");
}

TEST(AnalysisAlertTest, DeploymentThatNeverBecomesReadyIsABreach) {
  constexpr const char* kNs = "stuck";
  std::string error;
  auto cluster = AnalysisCluster::start(highErrorRateRule(), error);
  ASSERT_NE(cluster, nullptr) << error;
  ASSERT_TRUE(cluster->apply("ns.yaml", namespaceYaml(kNs))) << cluster->lastError();
  App healthy{"ledger", "payments", "false", {}};
  App stuck{"wallet", "payments", "false", {{"kubesim.io/telemetry-fault-never-ready", "true"}}};
  stuck.progressDeadlineSeconds = 3;
  ASSERT_TRUE(cluster->applyApps(kNs, {healthy, stuck})) << cluster->lastError();

  const std::string steps = "[{setWeight: 100}, {pause: {duration: 60s}}]";
  ASSERT_TRUE(cluster->apply("rollout.yaml", rolloutYaml(kNs, cluster->prometheus().url(), steps)))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForPhase(kNs, "otel", "RolledBack", 90s))
      << cluster->diagnostics(kNs, "otel");

  auto rollout = cluster->rollout(kNs, "otel");
  ASSERT_TRUE(rollout) << cluster->lastError();
  const Json rollback = rollout->value(Json::json_pointer("/status/rollback"), Json::object());
  EXPECT_EQ(rollback.value("reason", ""), "ProgressDeadlineExceeded") << rollback.dump(2);
  EXPECT_EQ(rollback.value("check", ""), "deployment/wallet") << rollback.dump(2);
  EXPECT_NE(rollback.value("message", "").find("wallet"), std::string::npos) << rollback.dump(2);
  EXPECT_EQ(condition(*rollout, "Stalled").value("status", ""), "True");
  EXPECT_EQ(eventsWith(cluster->events(kNs, "otel"), "RolledBack", "wallet").size(), 1u)
      << cluster->diagnostics(kNs, "otel");

  // Both were enabled in the one wave; both go back, and wallet becomes Ready again.
  for (const char* name : {"ledger", "wallet"}) {
    ASSERT_TRUE(waitFor(
        [&] {
          auto d = cluster->deployment(kNs, name);
          return d && envValue(*d, "app", "FEATURE_OTEL") == "off";
        },
        30s))
        << name << cluster->diagnostics(kNs, "otel");
    expectRolledBack(*cluster, kNs, name);
    EXPECT_EQ(cluster
                  ->kubectl({"-n", kNs, "rollout", "status", std::string("deployment/") + name,
                             "--timeout=60s"})
                  .exitCode,
              0)
        << name;
  }
  EXPECT_EQ(cluster->operatorProcess().metric(
                "telemetry_rollout_rollbacks_total{reason=\"ProgressDeadlineExceeded\"}"),
            1.0);
}

}  // namespace
}  // namespace tro::testing::analysis
