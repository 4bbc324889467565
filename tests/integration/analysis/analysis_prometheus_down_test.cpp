// Issue 6 (d): Prometheus goes away during a canary window under onInconclusive: Pause. The
// operator must not promote while it cannot measure, even after the window's time is up: the
// rollout shows Paused with the reason, and the step does not advance. When Prometheus comes back
// (same port, same data) analysis resumes and the rollout succeeds.
//
// "The window's time is up" is read from the operator's own clock: an analysis it ran (status
// lastRunAt) after stepStartedAt + the window, so the test never guesses how fast anything is.

#include <gtest/gtest.h>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNs = "outage";
constexpr const char* kName = "outage-otel";
constexpr auto kWindow = std::chrono::seconds(15);

// PROMETHEUS_URL is filled in once Prometheus has its port.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: outage-otel, namespace: outage}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: outage}}
  flag: {name: FEATURE_OTEL}
  strategy:
    steps:
      - setWeight: 50
      - pause: {duration: 15s}
      - setWeight: 100
      - pause: {duration: 2s}
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 1s}
    interval: 1s
    onInconclusive: Pause
    alerts:
      - {name: HighErrorRate, matchLabels: {namespace: outage}}
    queries:
      - name: error-rate
        query: sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"{{targets}}",code=~"5.."}[10s])) / sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"{{targets}}"}[10s]))
        max: 0.02
        onNoData: Pass
)yaml";

std::string phaseOf(const Json& rollout) {
  return rollout.value(Json::json_pointer("/status/phase"), "");
}

TEST(AnalysisPrometheusDownTest, HoldsWhileUnreachableThenResumesAndSucceeds) {
  std::string error;
  auto cluster = AnalysisCluster::start(highErrorRateRule(), error);
  ASSERT_NE(cluster, nullptr) << error;
  ASSERT_TRUE(cluster->apply("ns.yaml", namespaceYaml(kNs))) << cluster->lastError();
  ASSERT_TRUE(cluster->applyApps(
      kNs, {{"first", "outage", "false", {}}, {"second", "outage", "false", {}}}))
      << cluster->lastError();
  ASSERT_TRUE(cluster->waitForScrapes(kNs, {"first", "second"})) << cluster->lastError();
  ASSERT_TRUE(cluster->apply("rollout.yaml",
                             fill(kRollout, {{"PROMETHEUS_URL", cluster->prometheus().url()}})))
      << cluster->lastError();

  // In the window (step 2/4) with a successful analysis: now take Prometheus away.
  ASSERT_TRUE(waitFor(
      [&] {
        auto r = cluster->rollout(kNs, kName);
        return r && r->value(Json::json_pointer("/status/currentStep"), -1) == 1 &&
               r->value(Json::json_pointer("/status/analysis/lastOutcome"), "") == "Successful";
      },
      60s))
      << cluster->diagnostics(kNs, kName);
  cluster->prometheus().stop();

  // Held: Paused, and still held after an analysis past the window's end.
  Json held;
  ASSERT_TRUE(waitFor(
      [&] {
        auto r = cluster->rollout(kNs, kName);
        if (!r || phaseOf(*r) != "Paused") return false;
        auto started = parseTime(r->value(Json::json_pointer("/status/stepStartedAt"), Json()));
        auto lastRun =
            parseTime(r->value(Json::json_pointer("/status/analysis/lastRunAt"), Json()));
        held = *r;
        return started && lastRun && *lastRun > *started + kWindow;
      },
      60s))
      << cluster->diagnostics(kNs, kName);
  const Json status = held.value("status", Json::object());
  EXPECT_EQ(status.value("currentStep", -1), 1) << status.dump(2);
  EXPECT_EQ(status.value("targetProgress", ""), "1/2") << status.dump(2);
  EXPECT_EQ(status.value("analysis", Json::object()).value("lastOutcome", ""), "Inconclusive")
      << status.dump(2);
  EXPECT_GE(status.value("analysis", Json::object()).value("consecutiveInconclusive", 0), 2)
      << status.dump(2);
  EXPECT_NE(status.value("message", "").find("inconclusive"), std::string::npos) << status.dump(2);
  const Json progressing = condition(held, "Progressing");
  EXPECT_EQ(progressing.value("status", ""), "False") << status.dump(2);
  EXPECT_EQ(progressing.value("reason", ""), "AnalysisInconclusive") << status.dump(2);
  EXPECT_EQ(condition(held, "Ready").value("status", ""), "False");
  EXPECT_EQ(condition(held, "Stalled").value("status", ""), "False");
  EXPECT_FALSE(status.contains("rollback")) << status.dump(2);
  // The checks that could not be measured say so.
  for (const char* check : {"alert/HighErrorRate", "query/error-rate"}) {
    EXPECT_EQ(analysisCheck(held, check).value("outcome", ""), "Inconclusive") << check;
  }
  const auto warnings = eventsWith(cluster->events(kNs, kName), "AnalysisInconclusive");
  ASSERT_EQ(warnings.size(), 1u) << cluster->diagnostics(kNs, kName);
  EXPECT_EQ(warnings[0].value("type", ""), "Warning");
  EXPECT_TRUE(eventsWith(cluster->events(kNs, kName), "WindowPassed").empty());
  // The second wave did not start.
  auto second = cluster->deployment(kNs, "second");
  ASSERT_TRUE(second);
  EXPECT_EQ(envValue(*second, "app", "FEATURE_OTEL"), "false");

  ASSERT_TRUE(cluster->prometheus().restart(error)) << error;
  ASSERT_TRUE(cluster->waitForPhase(kNs, kName, "Succeeded", 60s))
      << cluster->diagnostics(kNs, kName);
  auto done = cluster->rollout(kNs, kName);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->value(Json::json_pointer("/status/analysis/lastOutcome"), ""), "Successful");
  EXPECT_EQ(done->value(Json::json_pointer("/status/analysis/consecutiveInconclusive"), -1), 0);
  const std::vector<Json> events = cluster->events(kNs, kName);
  EXPECT_EQ(eventsWith(events, "AnalysisRecovered").size(), 1u) << cluster->diagnostics(kNs, kName);
  EXPECT_EQ(eventsWith(events, "WindowPassed", "step 2/4").size(), 1u);
  EXPECT_EQ(eventsWith(events, "WindowPassed", "step 4/4").size(), 1u);
  for (const char* name : {"first", "second"}) {
    auto d = cluster->deployment(kNs, name);
    ASSERT_TRUE(d);
    EXPECT_EQ(envValue(*d, "app", "FEATURE_OTEL"), "true") << name;
  }
}

}  // namespace
}  // namespace tro::testing::analysis
