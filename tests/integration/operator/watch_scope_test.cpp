// Issue 11: the operator watches Deployments only in the namespaces that hold a
// TelemetryRollout. Before any rollout exists it has neither listed nor watched a Deployment;
// the first rollout starts the watch of its namespace; a Deployment that starts to match the
// selector later is found through that watch; and after the last rollout of the namespace is
// deleted (the watch stops) a new rollout there starts it again and works.

#include <string>

#include "tests/integration/operator/operator_cluster.h"
#include "tests/support/eventually.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;

class OperatorWatchScopeTest : public OperatorClusterTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(startCluster(2)); }

  // The operator's LIST and WATCH requests for Deployments so far (its User-Agent).
  std::uint64_t operatorDeploymentReads() {
    std::uint64_t total = 0;
    for (const auto& row : requests().value("requests", Json::array())) {
      const std::string agent = row.value("userAgent", "");
      const std::string verb = row.value("verb", "");
      if (agent.starts_with("telemetry-rollout-operator") &&
          row.value("resource", "") == "deployments" && (verb == "list" || verb == "watch")) {
        total += row.value("count", std::uint64_t{0});
      }
    }
    return total;
  }

  bool injected(const std::string& name) {
    const Json d = deployment(name);
    return d["metadata"]
        .value("annotations", Json::object())
        .contains("rollout.telemetry.io/owner");
  }
};

TEST_F(OperatorWatchScopeTest, DeploymentsAreWatchedOnlyWhileTheirNamespaceHoldsARollout) {
  // The operator is ready: it listed the TelemetryRollouts (none) and no Deployment.
  EXPECT_EQ(operatorDeploymentReads(), 0u) << describeRequests(requests());

  RolloutYaml r;
  r.matchLabels = "{tier: canary}";  // nothing matches yet
  r.steps = {"{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForEvent("TelemetryRollout", "web-otel", "Warning", "NoTargets"))
      << diagnostics();
  EXPECT_GT(operatorDeploymentReads(), 0u) << "the rollout's namespace is watched now";

  // A Deployment that starts to match arrives through the watch and is rolled out to.
  ok({"label", "-n", kNamespace, "--overwrite", "deployment/app-0", "tier=canary"});
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded")) << diagnostics();
  EXPECT_TRUE(injected("app-0"));
  EXPECT_FALSE(injected("app-1"));

  // The last rollout of the namespace goes (after restoring app-0), and with it the watch; a
  // new rollout there watches the namespace again from a fresh list.
  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  EXPECT_FALSE(injected("app-0"));
  RolloutYaml again = r;
  again.name = "web-otel-2";
  applyRollout(again);
  ASSERT_TRUE(waitForPhase("web-otel-2", "Succeeded")) << diagnostics();
  EXPECT_TRUE(injected("app-0"));
  EXPECT_FALSE(injected("app-1"));
}

// Deleting a namespace that holds a rollout ends as on a real server: the namespace stays
// Terminating while the rollout's finalizer is there, its Deployments go, and the operator,
// finding nothing left to restore, lets the rollout (and so the namespace) go.
TEST_F(OperatorWatchScopeTest, DeletingTheNamespaceOfARolloutFinishes) {
  ok({"create", "namespace", "shop"});
  std::string d = deploymentYaml(0);
  d.replace(d.find("namespace: default"), 18, "namespace: shop");
  applyYaml("shop-app.yaml", d);
  RolloutYaml r;
  r.collectorImage.reset();
  r.steps = {"{setWeight: 100}"};
  std::string rollout = r.render();
  rollout.replace(rollout.find("namespace: default"), 18, "namespace: shop");
  applyYaml("shop-rollout.yaml", rollout);
  const auto phase = [&] {
    return kubectl(
               {"get", "-n", "shop", "telemetryrollout/web-otel", "-o", "jsonpath={.status.phase}"})
        .out;
  };
  ASSERT_TRUE(eventually([&] { return phase() == "Succeeded"; }, kLong, 100ms)) << diagnostics();
  EXPECT_EQ(ok({"get", "-n", "shop", "telemetryrollout/web-otel", "-o",
                "jsonpath={.metadata.finalizers}"}),
            R"(["rollout.telemetry.io/restore"])");

  ok({"delete", "namespace", "shop", "--timeout=60s"});
  RunResult gone = kubectl({"get", "namespace", "shop"});
  EXPECT_NE(gone.exitCode, 0);
  EXPECT_NE(gone.err.find("NotFound"), std::string::npos) << gone.err;
}

}  // namespace
}  // namespace tro::testing
