// kubesim's request accounting shows one write per Deployment per transition: a rollout over 3
// Deployments in two waves that reaches Succeeded sends exactly 3 PATCHes to Deployments (one
// enable each), an abort exactly 3 more (one rollback each), the deletion exactly 3 more (one
// restore each); never an UPDATE; the rollout's progress goes to the status subresource and its
// main resource is written only for the finalizer.
// It also bounds the status writes: a status write happens only when something a reader cares
// about changed, not for every intermediate replica count of a Deployment's rollout.

#include <iostream>

#include "tests/integration/operator/operator_cluster.h"
#include "tests/support/eventually.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kDeployments = 3;

class OperatorAccountingTest : public OperatorClusterTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(startCluster(kDeployments)); }

  std::uint64_t rolloutWrites(const Json& reqs, const std::string& verb,
                              const std::string& subresource) {
    return count(reqs, {{"verb", verb},
                        {"resource", "telemetryrollouts"},
                        {"subresource", subresource},
                        {"fieldManager", kFieldManager},
                        {"code", "200"}});
  }

  // Issue 11: the operator's status writes never lose to its own earlier writes; a 409 would mean
  // another writer, and nobody else writes these rollouts.
  void expectNoStatusConflicts(const Json& reqs, const std::string& when) {
    EXPECT_EQ(count(reqs, {{"verb", "update"},
                           {"resource", "telemetryrollouts"},
                           {"subresource", "status"},
                           {"fieldManager", kFieldManager},
                           {"code", "409"}}),
              0u)
        << when << "\n"
        << describeRequests(reqs);
  }

  void expectDeploymentWrites(const Json& reqs, std::uint64_t patches, const std::string& when) {
    EXPECT_EQ(operatorDeploymentWrites(reqs, "patch"), patches) << when << "\n"
                                                                << describeRequests(reqs);
    for (const char* verb : {"update", "create", "delete"}) {
      EXPECT_EQ(
          count(reqs,
                {{"verb", verb}, {"resource", "deployments"}, {"fieldManager", kFieldManager}}),
          0u)
          << verb << " " << when << "\n"
          << describeRequests(reqs);
    }
  }
};

TEST_F(OperatorAccountingTest, OneDeploymentWritePerTransitionAndStatusOnTheSubresource) {
  resetRequests();
  RolloutYaml r;
  r.steps = {"{setWeight: 50}", "{pause: {duration: 1s}}", "{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  ASSERT_TRUE(barrier("web-otel", "rollout.telemetry.io/promote", "promote"));
  Json reqs = requests();
  expectDeploymentWrites(reqs, 3, "rollout");
  expectNoStatusConflicts(reqs, "rollout");
  EXPECT_EQ(rolloutWrites(reqs, "patch", ""), 1u) << "the finalizer\n" << describeRequests(reqs);
  EXPECT_EQ(rolloutWrites(reqs, "update", ""), 0u) << describeRequests(reqs);
  EXPECT_GT(rolloutWrites(reqs, "update", "status"), 0u) << describeRequests(reqs);
  EXPECT_EQ(rolloutWrites(reqs, "patch", "status"), 0u) << describeRequests(reqs);
  const std::uint64_t statusWrites = rolloutWrites(reqs, "update", "status");
  RecordProperty("status_writes_rollout", static_cast<int>(statusWrites));
  std::cout << "status writes for a 3-Deployment, 3-step rollout (with one barrier): "
            << statusWrites << "\n";

  resetRequests();
  annotate("web-otel", "rollout.telemetry.io/abort", "1");
  ASSERT_TRUE(waitForPhase("web-otel", "RolledBack"));
  ASSERT_TRUE(barrier("web-otel", "rollout.telemetry.io/promote", "promote"));
  reqs = requests();
  expectDeploymentWrites(reqs, 3, "abort");
  expectNoStatusConflicts(reqs, "abort");
  EXPECT_EQ(rolloutWrites(reqs, "patch", ""), 0u) << describeRequests(reqs);
  for (int i = 0; i < kDeployments; ++i) {
    EXPECT_EQ(envValue(deployment(deploymentName(i)), "app", "FEATURE_OTEL"), "false")
        << deploymentName(i);
  }

  resetRequests();
  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  reqs = requests();
  expectDeploymentWrites(reqs, 3, "delete");
  expectNoStatusConflicts(reqs, "delete");
  EXPECT_EQ(rolloutWrites(reqs, "patch", ""), 1u) << "the finalizer\n" << describeRequests(reqs);
}

// Status writes follow transitions, not replica counts: on the rollout's watch stream, no two
// consecutive versions differ only in a target's message (the noise a per-replica health message
// in status.targets[].message would cause; see plan_finish.cpp).
TEST_F(OperatorAccountingTest, StatusIsNotRewrittenForEveryReplicaCountOfADeploymentRollout) {
  RolloutYaml r;
  r.steps = {"{setWeight: 50}", "{pause: {duration: 1s}}", "{setWeight: 100}"};
  r.paused = true;
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Paused"));
  auto w =
      kubesim_->kubectlAsync({"get", "telemetryrollouts", "-n", kNamespace, "-w", "-o", "json"});
  ASSERT_TRUE(w.has_value());
  ASSERT_TRUE(eventually([&] { return !parseJsonStream(w->out()).empty(); }, 30s));
  resetRequests();
  ok({"patch", "-n", kNamespace, "telemetryrollout/web-otel", "--type=merge", "-p",
      R"({"spec":{"paused":false}})"});
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  ASSERT_TRUE(eventually(
      [&] {
        auto all = parseJsonStream(w->out());
        return !all.empty() &&
               all.back().value("status", Json::object()).value("phase", "") == "Succeeded";
      },
      30s));
  w->terminate();

  auto withoutTargetMessages = [](Json s) {
    for (auto& t : s["targets"]) t.erase("message");
    return s;
  };
  const auto versions = parseJsonStream(w->out());
  int noisy = 0;
  for (size_t i = 1; i < versions.size(); ++i) {
    const Json prev = versions[i - 1].value("status", Json::object());
    const Json cur = versions[i].value("status", Json::object());
    if (prev != cur && withoutTargetMessages(prev) == withoutTargetMessages(cur)) {
      ++noisy;
      ADD_FAILURE() << "a status write changed only targets[].message:\nbefore: "
                    << prev["targets"].dump() << "\nafter:  " << cur["targets"].dump();
    }
  }
  const Json reqs = requests();
  std::cout << "status writes from unpause to Succeeded: "
            << rolloutWrites(reqs, "update", "status") << " (" << noisy
            << " changed only a target message)\n";
}

}  // namespace
}  // namespace tro::testing
