// The operator SIGKILLed in the middle of a rollout resumes from the status it wrote, without
// writing again to Deployments that are already in the desired state. kubesim's request
// accounting is reset while the operator is dead, so everything counted afterwards is the
// restarted process's work.

#include "tests/integration/operator/operator_cluster.h"

namespace tro::testing {
namespace {

constexpr int kDeployments = 6;

class OperatorRestartTest : public OperatorClusterTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(startCluster(kDeployments)); }

  void killResetRestart() {
    operator_->kill();
    resetRequests();
    std::string error;
    ASSERT_TRUE(operator_->restart(error)) << error;
  }

  // Deployments that already carry this rollout's telemetry in `hash` (read while the operator
  // is dead, so the number cannot change under the test).
  int alreadyEnabled(const std::string& hash) {
    int n = 0;
    for (int i = 0; i < kDeployments; ++i) {
      const Json d = deployment(deploymentName(i));
      if (annotationOf(d, "rollout.telemetry.io/owner") == "default/web-otel" &&
          annotationOf(d, "rollout.telemetry.io/state") == "enabled" &&
          annotationOf(d, "rollout.telemetry.io/config-hash") == hash) {
        ++n;
      }
    }
    return n;
  }

  std::string finalHash() {
    const Json targets = statusOf("web-otel").value("targets", Json::array());
    return targets.empty() ? "" : targets[0].value("configHash", "");
  }
};

TEST_F(OperatorRestartTest, KilledInALongWindowResumesWithoutRewritingTheFirstWave) {
  RolloutYaml r;
  r.steps = {"{setWeight: 50}", "{pause: {duration: 1h}}", "{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("phase", "") == "Progressing" && s.value("currentStep", 0) == 1 &&
               targetsIn(s, "Enabled").size() == 3;
      },
      "in the 1h window with 3 enabled"));
  const Json before = statusOf("web-otel");

  ASSERT_NO_FATAL_FAILURE(killResetRestart());
  // A reconcile by the new process has completed (retry is ignored outside RolledBack).
  ASSERT_TRUE(barrier("web-otel", "rollout.telemetry.io/retry", "retry"));
  Json reqs = requests();
  EXPECT_EQ(operatorDeploymentWrites(reqs, "patch") + operatorDeploymentWrites(reqs, "update"), 0u)
      << describeRequests(reqs);
  const Json after = statusOf("web-otel");
  EXPECT_EQ(after.value("phase", ""), "Progressing");
  EXPECT_EQ(after.value("currentStep", -1), 1);
  EXPECT_EQ(after.value("stepStartedAt", ""), before.value("stepStartedAt", ""))
      << "the window restarted";
  EXPECT_EQ(after["targets"], before["targets"]);

  // Promote past the window: only the second wave is written.
  annotate("web-otel", "rollout.telemetry.io/promote", "1");
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  reqs = requests();
  EXPECT_EQ(operatorDeploymentWrites(reqs, "patch"), 3u) << describeRequests(reqs);
  EXPECT_EQ(operatorDeploymentWrites(reqs, "update"), 0u) << describeRequests(reqs);
  EXPECT_EQ(alreadyEnabled(finalHash()), kDeployments);
}

TEST_F(OperatorRestartTest, KilledWhileAWaveRollsOutWritesOnlyTheDeploymentsNotYetWritten) {
  RolloutYaml r;
  r.steps = {"{setWeight: 17}", "{pause: {duration: 1s}}", "{setWeight: 100}"};
  applyRollout(r);
  // Kill as soon as the last wave has started; wherever the operator is in it, after the kill
  // the Deployments say which writes are done.
  ASSERT_TRUE(waitForRollout(
      "web-otel", [](const Json& s) { return s.value("currentStep", 0) >= 2; },
      "the last wave started"));
  operator_->kill();
  const std::string hash = finalHash();
  ASSERT_FALSE(hash.empty());
  const int done = alreadyEnabled(hash);
  resetRequests();
  std::string error;
  ASSERT_TRUE(operator_->restart(error)) << error;

  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  ASSERT_TRUE(barrier("web-otel", "rollout.telemetry.io/promote", "promote"));
  const Json reqs = requests();
  EXPECT_EQ(operatorDeploymentWrites(reqs, "patch"), static_cast<uint64_t>(kDeployments - done))
      << done << " were enabled at the kill\n"
      << describeRequests(reqs);
  EXPECT_EQ(operatorDeploymentWrites(reqs, "update"), 0u) << describeRequests(reqs);
  EXPECT_EQ(alreadyEnabled(hash), kDeployments);
  for (int i = 0; i < kDeployments; ++i)
    ok({"rollout", "status", "-n", kNamespace, "deployment/" + deploymentName(i), "--timeout=60s"});
}

TEST_F(OperatorRestartTest, KilledAfterSuccessRestartsWithoutAnyWrite) {
  RolloutYaml r;
  r.steps = {"{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  const Json before = rollout("web-otel");

  ASSERT_NO_FATAL_FAILURE(killResetRestart());
  ASSERT_TRUE(barrier("web-otel", "rollout.telemetry.io/promote", "promote"));
  const Json reqs = requests();
  EXPECT_EQ(operatorDeploymentWrites(reqs, "patch") + operatorDeploymentWrites(reqs, "update"), 0u)
      << describeRequests(reqs);
  // The barrier's own status write is the only one: the restarted operator wrote no status
  // just because it started.
  EXPECT_EQ(count(reqs, {{"verb", "update"},
                         {"resource", "telemetryrollouts"},
                         {"subresource", "status"},
                         {"fieldManager", kFieldManager},
                         {"code", "200"}}),
            1u)
      << describeRequests(reqs);
  Json after = rollout("web-otel");
  after["status"].erase("handledControls");
  Json expected = before;
  expected["status"].erase("handledControls");
  EXPECT_EQ(after["status"], expected["status"]);
}

}  // namespace
}  // namespace tro::testing
