// Issue 14's pushed alerts end to end: a real Prometheus fires HighErrorRate, a real Alertmanager
// (group_wait 0s) pushes it to the operator's receiver, and the operator rolls back at once,
// although its analysis.interval is an hour, the canary window ten minutes and the shared alert
// poll hourly: without the push the next analysis would come at the window's end. A bad token or
// payload changes nothing. With Alertmanager down, the shared alert poll (every second) still
// rolls back a rollout whose own interval is an hour.

#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/analysis/analysis_cluster.h"
#include "tests/support/alertmanager_process.h"
#include "tests/support/free_port.h"
#include "tests/support/http_get.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "alerts-token-for-the-test";

// NAMESPACE, INTERVAL, WINDOW and PROMETHEUS_URL are filled in per scenario.
constexpr const char* kRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: otel, namespace: NAMESPACE}
spec:
  selector: {matchLabels: {app.kubernetes.io/part-of: payments}}
  flag: {name: FEATURE_OTEL, enabledValue: "true", disabledValue: "off"}
  strategy:
    steps: [{setWeight: 100}, {pause: {duration: WINDOW}}]
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: INTERVAL
    alerts:
      - {name: HighErrorRate, matchLabels: {namespace: NAMESPACE}}
)yaml";

struct PushWorld {
  TempDir dir{"push-it"};
  std::uint16_t receiverPort = freeLoopbackPort();
  std::unique_ptr<Alertmanager> alertmanager;
  std::unique_ptr<AnalysisCluster> cluster;

  std::string tokenFile() const { return (dir.path() / "token").string(); }
  std::string receiverUrl() const {
    return "http://127.0.0.1:" + std::to_string(receiverPort) + "/alertmanager";
  }
};

// Starts Alertmanager (unless `withAlertmanager` is false: its port then refuses connections),
// then kubesim, Prometheus sending alerts to it, and the operator with its receiver on and its
// shared alert poll every `pollPeriod`.
std::unique_ptr<PushWorld> startWorld(bool withAlertmanager, const std::string& pollPeriod,
                                      std::string& error) {
  auto w = std::make_unique<PushWorld>();
  std::ofstream(w->tokenFile()) << kToken << "\n";
  std::uint16_t alertmanagerPort = freeLoopbackPort();
  if (withAlertmanager) {
    w->alertmanager = Alertmanager::start({w->receiverUrl(), w->tokenFile(), ""}, error);
    if (!w->alertmanager) return nullptr;
    alertmanagerPort = w->alertmanager->port();
  }
  w->cluster = AnalysisCluster::start(
      highErrorRateRule(), error,
      {alertmanagerPort,
       {"--alert-receiver-bind-address", "127.0.0.1:" + std::to_string(w->receiverPort),
        "--alert-receiver-token-file", w->tokenFile(), "--alert-poll-period", pollPeriod}});
  if (!w->cluster) return nullptr;
  return w;
}

// One Deployment whose error ratio jumps by 30 % once its flag is on.
void startFaultyRollout(AnalysisCluster& cluster, const std::string& ns,
                        const std::string& interval, const std::string& window) {
  ASSERT_TRUE(cluster.apply("ns.yaml", namespaceYaml(ns))) << cluster.lastError();
  ASSERT_TRUE(cluster.applyApps(ns, {{"charlie",
                                      "payments",
                                      "false",
                                      {{"kubesim.io/request-rate", "50"},
                                       {"kubesim.io/telemetry-fault-error-ratio", "0.3"}}}}))
      << cluster.lastError();
  ASSERT_TRUE(cluster.waitForScrapes(ns, {"charlie"})) << cluster.lastError();
  ASSERT_TRUE(cluster.apply("rollout.yaml",
                            fill(kRollout, {{"NAMESPACE", ns},
                                            {"INTERVAL", interval},
                                            {"WINDOW", window},
                                            {"PROMETHEUS_URL", cluster.prometheus().url()}})))
      << cluster.lastError();
}

TEST(AnalysisPushTest, APushedAlertRollsBackWithoutWaitingForTheIntervalOrTheWindow) {
  constexpr const char* kNs = "pushed";
  std::string error;
  auto w = startWorld(true, "1h", error);
  ASSERT_NE(w, nullptr) << error;
  AnalysisCluster& cluster = *w->cluster;
  ASSERT_NO_FATAL_FAILURE(startFaultyRollout(cluster, kNs, "1h", "10m"));

  // Well inside the ten-minute window and the one-hour interval.
  ASSERT_TRUE(cluster.waitForPhase(kNs, "otel", "RolledBack", 120s))
      << cluster.diagnostics(kNs, "otel") << "\nAlertmanager:\n"
      << w->alertmanager->logs();
  auto rollout = cluster.rollout(kNs, "otel");
  ASSERT_TRUE(rollout);
  EXPECT_EQ(rollout->value(Json::json_pointer("/status/rollback/check"), ""),
            "alert/HighErrorRate");
  auto accepted = cluster.operatorProcess().metric(
      "telemetry_rollout_alert_receiver_requests_total{result=\"accepted\"}");
  ASSERT_TRUE(accepted) << cluster.operatorProcess().metrics();
  EXPECT_GE(*accepted, 1.0);
  EXPECT_NE(cluster.operatorProcess().logs().find("pushed alerts concern rollouts"),
            std::string::npos);

  // A wrong token or a payload that is not Alertmanager's changes nothing and is counted.
  const std::string lastRun =
      cluster.rollout(kNs, "otel")->value(Json::json_pointer("/status/analysis/lastRunAt"), "");
  const std::string firing = R"({"version":"4","alerts":[{"status":"firing","labels":)"
                             R"({"alertname":"HighErrorRate","namespace":"pushed"}}]})";
  EXPECT_EQ(httpRequest(w->receiverPort, "POST", "/alertmanager", "Authorization: Bearer wrong\r\n",
                        firing)
                .status,
            401);
  EXPECT_EQ(httpRequest(w->receiverPort, "POST", "/alertmanager",
                        std::string("Authorization: Bearer ") + kToken + "\r\n", "{\"version\":3}")
                .status,
            400);
  EXPECT_EQ(cluster.operatorProcess().metric(
                "telemetry_rollout_alert_receiver_requests_total{result=\"unauthorized\"}"),
            1.0);
  EXPECT_EQ(cluster.operatorProcess().metric(
                "telemetry_rollout_alert_receiver_requests_total{result=\"malformed\"}"),
            1.0);
  EXPECT_EQ(
      cluster.rollout(kNs, "otel")->value(Json::json_pointer("/status/analysis/lastRunAt"), ""),
      lastRun);
  EXPECT_EQ(cluster.rollout(kNs, "otel")->value(Json::json_pointer("/status/phase"), ""),
            "RolledBack");
}

TEST(AnalysisPushTest, WithAlertmanagerDownTheSharedPollStillRollsBackAnHourlyRollout) {
  constexpr const char* kNs = "polled";
  std::string error;
  auto w = startWorld(false, "1s", error);
  ASSERT_NE(w, nullptr) << error;
  AnalysisCluster& cluster = *w->cluster;
  ASSERT_NO_FATAL_FAILURE(startFaultyRollout(cluster, kNs, "1h", "10m"));
  ASSERT_TRUE(cluster.waitForPhase(kNs, "otel", "RolledBack", 120s))
      << cluster.diagnostics(kNs, "otel");
  auto wakeups = cluster.operatorProcess().metric("telemetry_rollout_alert_poll_wakeups_total");
  ASSERT_TRUE(wakeups) << cluster.operatorProcess().metrics();
  EXPECT_GE(*wakeups, 1.0) << "the shared poll, not the hourly interval, found the alert";
  EXPECT_NE(cluster.operatorProcess().logs().find("polled alerts concern rollouts"),
            std::string::npos);
  EXPECT_EQ(cluster.operatorProcess().metric(
                "telemetry_rollout_alert_receiver_requests_total{result=\"accepted\"}"),
            std::nullopt)
      << "nothing was pushed: polling found it";
}

}  // namespace
}  // namespace tro::testing::analysis
