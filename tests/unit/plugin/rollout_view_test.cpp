// What `kubectl telemetry get` and `list` print, pinned down exactly for a rolled-back rollout
// with analysis, a rollback record and Events, and the cleaning of hostile server text.

#include "plugin/rollout_view.h"

#include <gtest/gtest.h>

#include "operator/base/rfc3339.h"

namespace tro::plugin {
namespace {

using kube::Json;
using namespace std::chrono_literals;

base::TimePoint at(const char* rfc3339) { return *base::parseRfc3339(rfc3339); }

Json event(const std::string& time, const std::string& type, const std::string& reason,
           const std::string& message) {
  return {{"lastTimestamp", time}, {"type", type}, {"reason", reason}, {"message", message}};
}

RolloutView rolledBack() {
  RolloutView v;
  v.rollout = Json::parse(R"json({
    "metadata": {"name": "enable-otel", "namespace": "shop", "generation": 2,
                 "creationTimestamp": "2026-12-02T09:00:00Z"},
    "spec": {"strategy": {"steps": [
      {"setWeight": 10}, {"pause": {"duration": "30m"}},
      {"setEnv": {"OTEL_TRACES_SAMPLER_ARG": "0.05"}}, {"setWeight": 100}, {"pause": {}}]}},
    "status": {
      "observedGeneration": 2, "phase": "RolledBack", "currentStep": 1,
      "stepStartedAt": "2026-12-02T09:50:00Z", "stepProgress": "2/5", "targetProgress": "0/2",
      "message": "rolled back (AnalysisFailed): query/error-rate 0.31 > max 0.02",
      "targets": [{"name": "api", "state": "RolledBack"},
                  {"name": "cart", "state": "Conflict", "message": "claimed by TelemetryRollout shop/other"}],
      "analysis": {"lastRunAt": "2026-12-02T09:59:30Z", "lastOutcome": "Failed",
                   "consecutiveFailures": 1, "totalFailures": 1, "consecutiveInconclusive": 0,
                   "checks": [{"check": "query/error-rate", "outcome": "Failed", "value": 0.3125,
                               "threshold": "max 0.02", "message": "0.3125 > max 0.02"},
                              {"check": "alert/HighErrorRate", "outcome": "Successful"}]},
      "rollback": {"reason": "AnalysisFailed", "at": "2026-12-02T09:59:31Z",
                   "check": "query/error-rate", "value": 0.3125, "threshold": "max 0.02",
                   "message": "query/error-rate 0.31 > max 0.02"},
      "conditions": [{"type": "Ready", "status": "False", "reason": "AnalysisFailed",
                      "message": "", "observedGeneration": 2,
                      "lastTransitionTime": "2026-12-02T09:59:31Z"}]
    }})json");
  v.workloads = {Json::parse(R"json({"metadata": {"name": "api", "generation": 4},
      "spec": {"replicas": 3},
      "status": {"observedGeneration": 4, "replicas": 4, "updatedReplicas": 3,
                 "availableReplicas": 3}})json")};
  v.events = {
      event("2026-12-02T09:59:31Z", "Warning", "RolledBack", "query/error-rate 0.31 > max 0.02"),
      event("2026-12-02T09:00:01Z", "Normal", "RolloutStarted", "started"),
      event("2026-12-02T09:40:00Z", "Normal", "WaveEnabled", "step 1/5"),
      event("2026-12-02T09:50:00Z", "Normal", "WindowStarted", "30m"),
      event("2026-12-02T09:59:31Z", "Warning", "TelemetryDisabled", "api \x1b[2J\x1b[Hcleared?"),
      event("2026-12-02T09:00:00Z", "Normal", "Created", "oldest: not shown"),
      event("2026-12-02T09:59:30Z", "Warning", "AnalysisFailed", "error-rate"),
  };
  return v;
}

TEST(PluginRolloutView, DrawsEverySectionOfARolledBackRollout) {
  const std::string screen = renderRollout(rolledBack(), at("2026-12-02T10:00:00Z"));
  EXPECT_EQ(screen, R"(Name:        enable-otel
Namespace:   shop
Phase:       RolledBack (AnalysisFailed)
Message:     rolled back (AnalysisFailed): query/error-rate 0.31 > max 0.02
Step:        2/5
Targets:     0/2 enabled

Steps:
 ✓ 1  setWeight: 10%
 > 2  pause: 30m
   3  setEnv: OTEL_TRACES_SAMPLER_ARG=0.05
   4  setWeight: 100%
   5  pause: until promoted

Targets:
  NAME  STATE       WORKLOAD                    MESSAGE
  api   RolledBack  3/3 available, rolling out
  cart  Conflict    not found                   claimed by TelemetryRollout shop/other

Analysis: last run 30s ago, Failed (failures: 1 in a row, 1 in total)
  CHECK                OUTCOME     VALUE   THRESHOLD  MESSAGE
  query/error-rate     Failed      0.3125  max 0.02   0.3125 > max 0.02
  alert/HighErrorRate  Successful  -       -

Rollback: AnalysisFailed, 29s ago
  Check:      query/error-rate
  Value:      0.3125
  Threshold:  max 0.02
  Message:    query/error-rate 0.31 > max 0.02

Events:
  AGE  TYPE     REASON             MESSAGE
  20m  Normal   WaveEnabled        step 1/5
  10m  Normal   WindowStarted      30m
  30s  Warning  AnalysisFailed     error-rate
  29s  Warning  RolledBack         query/error-rate 0.31 > max 0.02
  29s  Warning  TelemetryDisabled  api ?[2J?[Hcleared?
)");
  EXPECT_EQ(screen.find('\x1b'), std::string::npos) << "a server's escape codes reach the terminal";
}

TEST(PluginRolloutView, AWindowShowsItsRemainingTime) {
  RolloutView v = rolledBack();
  v.rollout["status"]["phase"] = "Progressing";
  v.rollout["status"].erase("rollback");
  const std::string screen = renderRollout(v, at("2026-12-02T10:05:30Z"));
  EXPECT_NE(screen.find("Window:      14m left of 30m\n"), std::string::npos) << screen;
  EXPECT_NE(screen.find(" > 2  pause: 30m\n"), std::string::npos) << screen;
  EXPECT_NE(renderRollout(v, at("2026-12-02T10:30:00Z")).find("Window:      ended (30m)"),
            std::string::npos);
}

TEST(PluginRolloutView, StatefulSetAndDaemonSetTargetsShowTheirOwnProgress) {
  RolloutView v = rolledBack();
  v.rollout["status"]["targets"] = Json::parse(R"json([
      {"kind": "DaemonSet", "name": "agent", "state": "Enabled"},
      {"name": "api", "state": "Enabled"},
      {"kind": "StatefulSet", "name": "api", "state": "Conflict", "message": "OnDelete"}])json");
  v.workloads.push_back(Json::parse(R"json({"kind": "DaemonSet",
      "metadata": {"name": "agent", "generation": 2}, "spec": {},
      "status": {"observedGeneration": 2, "desiredNumberScheduled": 3,
                 "updatedNumberScheduled": 2, "numberAvailable": 3}})json"));
  v.workloads.push_back(Json::parse(R"json({"kind": "StatefulSet",
      "metadata": {"name": "api", "generation": 1},
      "spec": {"replicas": 2, "updateStrategy": {"type": "OnDelete"}},
      "status": {"observedGeneration": 1, "availableReplicas": 2}})json"));
  const std::string screen = renderRollout(v, at("2026-12-02T10:00:00Z"));
  EXPECT_NE(screen.find("  daemonset/agent  Enabled   3/3 available, rolling out"),
            std::string::npos)
      << screen;
  // A Deployment and a StatefulSet of the same name are two targets.
  EXPECT_NE(screen.find("  api              Enabled   3/3 available, rolling out"),
            std::string::npos)
      << screen;
  EXPECT_NE(screen.find("  statefulset/api  Conflict  2/2 available, not rollable"),
            std::string::npos)
      << screen;
}

TEST(PluginRolloutView, ARolloutWithoutStatusSaysSo) {
  RolloutView v;
  v.rollout = {{"metadata", {{"name", "new"}, {"namespace", "shop"}}},
               {"spec", {{"strategy", {{"steps", Json::array({{{"setWeight", 100}}})}}}}}};
  EXPECT_EQ(renderRollout(v, at("2026-12-02T10:00:00Z")),
            "Name:        new\n"
            "Namespace:   shop\n"
            "Phase:       (no status yet: is the operator running?)\n"
            "\n"
            "Steps:\n"
            "   1  setWeight: 100%\n");
}

TEST(PluginRolloutView, ListsWithAndWithoutNamespaces) {
  std::vector<Json> rollouts = {
      rolledBack().rollout,
      {{"metadata",
        {{"name", "fresh"}, {"namespace", "web"}, {"creationTimestamp", "2026-12-02T09:59:15Z"}}}}};
  EXPECT_EQ(renderList(rollouts, false, at("2026-12-02T10:00:00Z")),
            "NAME         PHASE       REASON          STEP  TARGETS  AGE\n"
            "enable-otel  RolledBack  AnalysisFailed  2/5   0/2      60m\n"
            "fresh        -           -               -     -        45s\n");
  EXPECT_EQ(renderList(rollouts, true, at("2026-12-02T10:00:00Z")).substr(0, 24),
            "NAMESPACE  NAME         ");
}

TEST(PluginRolloutView, ShortDurationsReadLikeKubectls) {
  const std::vector<std::pair<std::chrono::nanoseconds, std::string>> cases = {
      {0s, "0s"},       {59s, "59s"},   {119s, "119s"},   {2min, "2m"},
      {200s, "3m20s"},  {10min, "10m"}, {179min, "179m"}, {3h, "3h"},
      {185min, "3h5m"}, {47h, "47h"},   {48h, "2d"},      {76h, "3d4h"},
  };
  for (const auto& [d, want] : cases) EXPECT_EQ(shortDuration(d), want);
}

}  // namespace
}  // namespace tro::plugin
