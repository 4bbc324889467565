// A rollout over 10 Deployments in three waves (10% / 50% / 100%, a 1 s canary window between
// them) reaches Succeeded with every Deployment injected and rolled out. The order of the waves
// is shown from two ordered watch streams (the rollout's and the Deployments'), not from timing:
// no status ever shows more Deployments enabled than the weight in force allows, and on the
// Deployments' stream the second wave is written only after the first one finished rolling out.

#include <algorithm>
#include <set>
#include <sstream>

#include "tests/integration/operator/operator_cluster.h"
#include "tests/support/eventually.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kDeployments = 10;

// Deployments the weight in force at each step allows: ceil(10%) = 1, ceil(50%) = 5, 10.
int allowedAt(int step) { return step <= 1 ? 1 : step <= 3 ? 5 : 10; }

std::vector<std::string> firstNames(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(deploymentName(i));
  return out;
}

bool rolledOut(const Json& d) {
  const Json& st = d.value("status", Json::object());
  const int64_t generation = d["metadata"].value("generation", int64_t{0});
  const int replicas = d["spec"].value("replicas", 0);
  return st.value("observedGeneration", int64_t{0}) >= generation &&
         st.value("updatedReplicas", 0) == replicas && st.value("replicas", 0) == replicas &&
         st.value("availableReplicas", 0) == replicas;
}

class OperatorWavesTest : public OperatorClusterTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(startCluster(kDeployments)); }

  RolloutYaml threeWaves() {
    RolloutYaml r;
    r.steps = {"{setWeight: 10}", "{pause: {duration: 1s}}", "{setWeight: 50}",
               "{pause: {duration: 1s}}", "{setWeight: 100}"};
    return r;
  }

  // Starts `kubectl get <what> -w -o json` and waits until its output holds `minObjects`
  // objects, so that nothing that happens afterwards can be missed.
  std::optional<ChildProcess> watch(const std::vector<std::string>& what, size_t minObjects) {
    std::vector<std::string> args = {"get"};
    args.insert(args.end(), what.begin(), what.end());
    args.insert(args.end(), {"-n", kNamespace, "-w", "-o", "json"});
    auto w = kubesim_->kubectlAsync(args);
    EXPECT_TRUE(w.has_value());
    if (w) {
      EXPECT_TRUE(eventually([&] { return parseJsonStream(w->out()).size() >= minObjects; }, 30s))
          << "watch printed: " << w->out() << w->err();
    }
    return w;
  }
};

TEST_F(OperatorWavesTest, ThreeWavesReachSucceededWithEveryDeploymentInjectedAndRolledOut) {
  // Created paused, so that both watches are running before anything is written.
  RolloutYaml spec = threeWaves();
  spec.paused = true;
  applyRollout(spec);
  ASSERT_TRUE(waitForPhase("web-otel", "Paused"));
  auto rolloutWatch = watch({"telemetryrollouts"}, 1);
  auto deploymentWatch = watch({"deployments", "-l", "tier=web"}, kDeployments);
  ASSERT_TRUE(rolloutWatch && deploymentWatch);
  for (const auto& [name, d] : deployments())
    EXPECT_FALSE(hasOperatorAnnotations(d)) << name << ": paused, yet written";

  ok({"patch", "-n", kNamespace, "telemetryrollout/web-otel", "--type=merge", "-p",
      R"({"spec":{"paused":false}})"});
  ok({"wait", "-n", kNamespace, "--for=condition=Ready", "telemetryrollout/web-otel",
      "--timeout=60s"});

  // The resource's status as the CRD documents it.
  const Json ro = rollout("web-otel");
  const Json status = ro.value("status", Json::object());
  const int64_t generation = ro["metadata"].value("generation", int64_t{0});
  EXPECT_EQ(status.value("phase", ""), "Succeeded");
  EXPECT_EQ(status.value("currentStep", -1), 5);
  EXPECT_EQ(status.value("stepProgress", ""), "5/5");
  EXPECT_EQ(status.value("targetProgress", ""), "10/10");
  EXPECT_EQ(status.value("observedGeneration", int64_t{-1}), generation);
  EXPECT_EQ(targetsIn(status, "Enabled"), firstNames(kDeployments));
  const std::map<std::string, std::string> conditions = {
      {"Ready", "True"}, {"Progressing", "False"}, {"Stalled", "False"}};
  for (const auto& [type, want] : conditions) {
    Json c = conditionOf(status, type);
    EXPECT_EQ(c.value("status", ""), want) << type;
    EXPECT_EQ(c.value("observedGeneration", int64_t{-1}), generation) << type;
  }
  // The printer columns: NAME PHASE STEP ENABLED REASON AGE.
  std::string table = ok({"get", "-n", kNamespace, "telemetryrollout/web-otel", "--no-headers"});
  std::istringstream columns(table);
  std::string name, phase, step, enabled, reason;
  columns >> name >> phase >> step >> enabled >> reason;
  EXPECT_EQ(phase + " " + step + " " + enabled + " " + reason, "Succeeded 5/5 10/10 Succeeded")
      << table;

  // Every Deployment injected, annotated and rolled out.
  expectAllRolledOut();
  const auto all = deployments();
  ASSERT_EQ(all.size(), static_cast<size_t>(kDeployments));
  for (int i = 0; i < kDeployments; ++i) {
    const std::string n = deploymentName(i);
    SCOPED_TRACE(n);
    const Json& d = all.at(n);
    EXPECT_EQ(envValue(d, "app", "FEATURE_OTEL"), "true");
    EXPECT_EQ(envValue(d, "app", "OTEL_SERVICE_NAME"), n);  // $(DEPLOYMENT_NAME) substituted
    EXPECT_EQ(envValue(d, "app", "LOG_LEVEL"), "info");
    const Json* sidecar = findContainer(d, "otel-collector");
    ASSERT_NE(sidecar, nullptr);
    EXPECT_EQ(sidecar->value("image", ""), kCollectorImage);
    std::set<int> ports;
    for (const auto& p : sidecar->value("ports", Json::array()))
      ports.insert(p.value("containerPort", 0));
    EXPECT_EQ(ports, (std::set<int>{4317, 4318}));
    EXPECT_NE(sidecar->dump().find("--config"), std::string::npos) << sidecar->dump();
    EXPECT_TRUE(sidecar->contains("securityContext")) << sidecar->dump();
    bool volume = false;
    for (const auto& v : d["spec"]["template"]["spec"].value("volumes", Json::array())) {
      volume = volume ||
               v.value("configMap", Json::object()).value("name", "") == "otel-collector-config";
    }
    EXPECT_TRUE(volume) << "no volume of ConfigMap otel-collector-config";
    EXPECT_EQ(annotationOf(d, "rollout.telemetry.io/owner"), "default/web-otel");
    EXPECT_EQ(annotationOf(d, "rollout.telemetry.io/state"), "enabled");
    EXPECT_EQ(annotationOf(d, "rollout.telemetry.io/config-hash"),
              status["targets"][i].value("configHash", "?"));
    EXPECT_TRUE(rolledOut(d)) << d["status"].dump();
  }
  // Every application container gets the flag, not only the first (app-2 has a proxy too).
  EXPECT_EQ(envValue(all.at("app-2"), "proxy", "FEATURE_OTEL"), "true");

  // The rollout's own stream: waves never exceed their weight and never shrink.
  ASSERT_TRUE(eventually(
      [&] {
        auto all = parseJsonStream(rolloutWatch->out());
        return !all.empty() &&
               all.back().value("status", Json::object()).value("phase", "") == "Succeeded";
      },
      30s));
  rolloutWatch->terminate();
  int lastStep = 0;
  size_t lastEnabled = 0;
  bool sawFirstWindow = false, sawSecondWindow = false;
  for (const Json& o : parseJsonStream(rolloutWatch->out())) {
    const Json s = o.value("status", Json::object());
    if (o["metadata"].value("generation", int64_t{0}) != generation ||
        s.value("observedGeneration", int64_t{0}) != generation) {
      continue;  // the paused generation
    }
    const int step = s.value("currentStep", 0);
    const auto on = targetsIn(s, "Enabled");
    SCOPED_TRACE("status at resourceVersion " + o["metadata"].value("resourceVersion", "") + ": " +
                 s.dump());
    EXPECT_GE(step, lastStep);
    EXPECT_GE(on.size(), lastEnabled);
    EXPECT_LE(static_cast<int>(on.size()), allowedAt(step));
    EXPECT_EQ(on, firstNames(static_cast<int>(on.size())));  // waves go in name order
    sawFirstWindow = sawFirstWindow || (step == 1 && on == firstNames(1));
    sawSecondWindow = sawSecondWindow || (step == 3 && on == firstNames(5));
    lastStep = step;
    lastEnabled = on.size();
  }
  EXPECT_TRUE(sawFirstWindow) << "no status showed the first window with app-0 alone enabled";
  EXPECT_TRUE(sawSecondWindow) << "no status showed the second window with 5 enabled";

  // The Deployments' stream: when each got telemetry, and whether the previous wave had rolled
  // out by then.
  deploymentWatch->terminate();
  std::map<std::string, size_t> enabledAt;    // first event showing state=enabled
  std::map<std::string, size_t> rolledOutAt;  // first event after that showing it rolled out
  const auto events = parseJsonStream(deploymentWatch->out());
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string n = events[i]["metadata"].value("name", "");
    if (annotationOf(events[i], "rollout.telemetry.io/state") != "enabled") continue;
    enabledAt.emplace(n, i);
    if (rolledOut(events[i])) rolledOutAt.emplace(n, i);
  }
  ASSERT_EQ(enabledAt.size(), static_cast<size_t>(kDeployments));
  auto latest = [&](const std::map<std::string, size_t>& at, int from, int to) {
    size_t m = 0;
    for (int i = from; i < to; ++i) m = std::max(m, at.at(deploymentName(i)));
    return m;
  };
  auto earliest = [&](int from, int to) {
    size_t m = events.size();
    for (int i = from; i < to; ++i) m = std::min(m, enabledAt.at(deploymentName(i)));
    return m;
  };
  ASSERT_EQ(rolledOutAt.size(), static_cast<size_t>(kDeployments));
  EXPECT_LT(latest(rolledOutAt, 0, 1), earliest(1, 10)) << "wave 2 began before app-0 rolled out";
  EXPECT_LT(latest(rolledOutAt, 1, 5), earliest(5, 10)) << "wave 3 began before wave 2 rolled out";
}

}  // namespace
}  // namespace tro::testing
