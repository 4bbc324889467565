// `kubectl delete tro` restores every Deployment the rollout touched, byte for byte: the pod
// templates (as the API server prints them) before the rollout and after the deletion are
// identical, the operator's annotations are gone and the resource itself is gone once its
// finalizer has done its work. The 10 Deployments differ (a pre-existing value of a variable the
// operator sets, a second container with a volume, no flag variable at all), so the restore is
// exercised over several shapes.

#include "tests/integration/operator/operator_cluster.h"

namespace tro::testing {
namespace {

constexpr int kDeployments = 10;

class OperatorRestoreTest : public OperatorClusterTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(startCluster(kDeployments));
    before_ = podTemplateTexts();
    ASSERT_EQ(before_.size(), static_cast<size_t>(kDeployments));
  }

  void expectAllRestored() {
    EXPECT_EQ(podTemplateTexts(), before_);
    for (const auto& [name, d] : deployments()) {
      EXPECT_FALSE(hasOperatorAnnotations(d)) << name << ": " << d["metadata"].dump();
    }
    expectAllRolledOut();
  }

  void expectDeleted(const std::string& name) {
    RunResult r = kubectl({"get", "-n", kNamespace, "telemetryrollout/" + name});
    EXPECT_NE(r.exitCode, 0) << r.out;
    EXPECT_NE(r.err.find("NotFound"), std::string::npos) << r.err;
  }

  std::map<std::string, std::string> before_;  // .spec.template text by name, before
};

TEST_F(OperatorRestoreTest, DeleteAfterSuccessRestoresAllTenPodTemplatesByteForByte) {
  RolloutYaml r;
  r.steps = {"{setWeight: 10}", "{pause: {duration: 1s}}", "{setWeight: 50}",
             "{pause: {duration: 1s}}", "{setWeight: 100}"};
  applyRollout(r);
  ok({"wait", "-n", kNamespace, "--for=condition=Ready", "telemetryrollout/web-otel",
      "--timeout=60s"});
  const auto injected = podTemplateTexts();
  for (const auto& [name, text] : before_) {
    ASSERT_NE(injected.at(name), text) << name << " not injected";
  }
  // app-1 had OTEL_SERVICE_NAME=legacy-name: overridden now, given back on restore.
  EXPECT_EQ(envValue(deployment("app-1"), "app", "OTEL_SERVICE_NAME"), "app-1");

  // kubectl delete waits for the finalizer by default.
  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  expectDeleted("web-otel");
  expectAllRestored();
  EXPECT_EQ(envValue(deployment("app-1"), "app", "OTEL_SERVICE_NAME"), "legacy-name");
  EXPECT_EQ(envValue(deployment("app-3"), "app", "FEATURE_OTEL"), std::nullopt);
  for (int i : {0, 5}) {
    EXPECT_TRUE(waitForEvent("Deployment", deploymentName(i), "Normal", "Restored"))
        << deploymentName(i);
  }
}

TEST_F(OperatorRestoreTest, DeleteDuringAManualWindowRestoresTheFirstWaveAndTouchesNothingElse) {
  RolloutYaml r;
  r.steps = {"{setWeight: 30}", "{pause: {}}", "{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("phase", "") == "Paused" && s.value("currentStep", 0) == 1 &&
               targetsIn(s, "Enabled").size() == 3;
      },
      "Paused in the manual window with 3 enabled"));
  const auto paused = podTemplateTexts();
  for (int i = 3; i < kDeployments; ++i) {
    const std::string n = deploymentName(i);
    EXPECT_EQ(paused.at(n), before_.at(n)) << n << " touched beyond the first wave";
  }

  resetRequests();
  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  expectDeleted("web-otel");
  expectAllRestored();
  // Only the three enabled Deployments were written back.
  const Json reqs = requests();
  EXPECT_EQ(operatorDeploymentWrites(reqs, "patch"), 3u) << describeRequests(reqs);
  EXPECT_EQ(operatorDeploymentWrites(reqs, "update"), 0u) << describeRequests(reqs);
}

TEST_F(OperatorRestoreTest, DeleteAfterRollbackRestoresTheOriginalFlagAndRemovesTheSidecar) {
  RolloutYaml r;
  r.steps = {"{setWeight: 100}", "{pause: {}}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Paused"));
  annotate("web-otel", "rollout.telemetry.io/abort", "now");
  ASSERT_TRUE(waitForPhase("web-otel", "RolledBack"));
  const Json rolledBack = deployment("app-0");
  EXPECT_EQ(envValue(rolledBack, "app", "FEATURE_OTEL"), "false");
  EXPECT_EQ(envValue(rolledBack, "app", "OTEL_SERVICE_NAME"), std::nullopt);
  EXPECT_NE(findContainer(rolledBack, "otel-collector"), nullptr)  // rollback.removeCollector off
      << rolledBack["spec"]["template"].dump();
  // app-3 had no flag: the rollback form sets it to the disabled value.
  EXPECT_EQ(envValue(deployment("app-3"), "app", "FEATURE_OTEL"), "false");

  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  expectDeleted("web-otel");
  expectAllRestored();
}

}  // namespace
}  // namespace tro::testing
