// Other writers' changes survive the operator. While a rollout waits in a manual window, a user
// runs `kubectl set env` and a GitOps tool server-side-applies (its own field manager) a label,
// an annotation and an env var, on a Deployment already enabled and on one the next wave will
// enable. Their changes must survive the next wave's injection, the rollback (abort annotation)
// and the restore on deletion, and the GitOps tool must still own its fields.

#include "tests/integration/operator/operator_cluster.h"

namespace tro::testing {
namespace {

constexpr int kDeployments = 3;

std::string gitopsYaml(const std::string& name) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\n  namespace: default\n  labels: {team: payments}\n"
         "  annotations: {gitops.example/revision: abc123}\n"
         "spec:\n  template:\n    spec:\n      containers:\n      - name: app\n"
         "        env:\n        - {name: GITOPS_VAR, value: from-git}\n";
}

class OperatorCoexistenceTest : public OperatorClusterTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(startCluster(kDeployments)); }

  // The changes of the user and of the GitOps tool, on app-0 (enabled in wave 1) and app-2 (not
  // yet enabled: the last in name order).
  void changeAsOthers() {
    for (const std::string n : {"app-0", "app-2"}) {
      ok({"set", "env", "-n", kNamespace, "deployment/" + n, "LOG_LEVEL=debug"});
      ok({"apply", "--server-side", "--field-manager=gitops", "-f",
          kubesim_->writeFile("gitops-" + n + ".yaml", gitopsYaml(n))});
    }
  }

  void expectOthersKept(const std::string& when) {
    for (const std::string n : {"app-0", "app-2"}) {
      SCOPED_TRACE(n + " " + when);
      const Json d = deployment(n);
      EXPECT_EQ(envValue(d, "app", "LOG_LEVEL"), "debug");
      EXPECT_EQ(envValue(d, "app", "GITOPS_VAR"), "from-git");
      EXPECT_EQ(d["metadata"].value("labels", Json::object()).value("team", ""), "payments");
      EXPECT_EQ(annotationOf(d, "gitops.example/revision"), "abc123");
      EXPECT_TRUE(managedBy(n, "gitops")) << "the GitOps tool lost its fields";
    }
  }

  bool managedBy(const std::string& name, const std::string& manager) {
    RunResult r = kubectl(
        {"get", "-n", kNamespace, "deployment/" + name, "--show-managed-fields", "-o", "json"});
    Json d = Json::parse(r.out, nullptr, false);
    if (d.is_discarded()) return false;
    for (const auto& m : d["metadata"].value("managedFields", Json::array())) {
      if (m.value("manager", "") == manager && m.value("operation", "") == "Apply" &&
          m.dump().find("GITOPS_VAR") != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(OperatorCoexistenceTest, SetEnvAndServerSideApplySurviveInjectionRollbackAndDeletion) {
  RolloutYaml r;
  r.steps = {"{setWeight: 33}", "{pause: {}}", "{setWeight: 100}", "{pause: {}}"};
  applyRollout(r);
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("phase", "") == "Paused" && s.value("currentStep", 0) == 1 &&
               targetsIn(s, "Enabled") == std::vector<std::string>{"app-0"};
      },
      "paused in the first manual window with app-0 enabled"));
  const Json paused = rollout("web-otel");
  EXPECT_EQ(conditionOf(paused["status"], "Ready").value("reason", ""), "AwaitingPromotion");

  changeAsOthers();
  // The operator saw those changes (a reconcile ran after them) and kept its own fields.
  ASSERT_TRUE(barrier("web-otel", "rollout.telemetry.io/retry", "retry"));
  EXPECT_EQ(envValue(deployment("app-0"), "app", "FEATURE_OTEL"), "true");
  expectOthersKept("in the window");

  // The next wave injects app-2 on top of the others' changes.
  annotate("web-otel", "rollout.telemetry.io/promote", "1");
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("phase", "") == "Paused" && s.value("currentStep", 0) == 3 &&
               targetsIn(s, "Enabled").size() == 3;
      },
      "paused in the second manual window with every Deployment enabled"));
  for (const std::string n : {"app-0", "app-1", "app-2"}) {
    const Json d = deployment(n);
    EXPECT_EQ(envValue(d, "app", "FEATURE_OTEL"), "true") << n;
    EXPECT_EQ(envValue(d, "app", "OTEL_SERVICE_NAME"), n) << n;
    EXPECT_NE(findContainer(d, "otel-collector"), nullptr) << n;
  }
  expectOthersKept("after injection");

  annotate("web-otel", "rollout.telemetry.io/abort", "1");
  ASSERT_TRUE(waitForPhase("web-otel", "RolledBack"));
  for (const std::string n : {"app-0", "app-1", "app-2"}) {
    const Json d = deployment(n);
    EXPECT_EQ(envValue(d, "app", "FEATURE_OTEL"), "false") << n;
    // Given back: app-1 had its own value before the rollout.
    EXPECT_EQ(envValue(d, "app", "OTEL_SERVICE_NAME"),
              n == "app-1" ? std::optional<std::string>("legacy-name") : std::nullopt)
        << n;
  }
  const Json rolledBack = rollout("web-otel");
  EXPECT_EQ(rolledBack["status"].value("rollback", Json::object()).value("reason", ""),
            "ManualAbort");
  EXPECT_EQ(conditionOf(rolledBack["status"], "Stalled").value("status", ""), "True");
  expectOthersKept("after rollback");

  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  for (const std::string n : {"app-0", "app-1", "app-2"}) {
    const Json d = deployment(n);
    EXPECT_FALSE(hasOperatorAnnotations(d)) << n;
    EXPECT_EQ(findContainer(d, "otel-collector"), nullptr) << n;
    EXPECT_EQ(envValue(d, "app", "FEATURE_OTEL"), "false") << n;
  }
  expectOthersKept("after deletion");
  // Nothing but the others' changes differs from the original: app-0's env is exactly the
  // original list with the user's value and the GitOps variable.
  const Json app0 = deployment("app-0");
  const Json* app = findContainer(app0, "app");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->value("env", Json::array()),
            Json::parse(R"([{"name":"FEATURE_OTEL","value":"false"},
                            {"name":"LOG_LEVEL","value":"debug"},
                            {"name":"GITOPS_VAR","value":"from-git"}])"));
}

// Issue 21 item 6: after Succeeded, argocd forces FEATURE_OTEL=false on app-1 (it owns that value
// now, per managedFields) and app-1 goes to Conflict. Deleting the rollout restores the others but
// leaves argocd's value in place, and the Restored Event says so.
TEST_F(OperatorCoexistenceTest, RestoreLeavesAValueAnotherManagerOwnsAndSaysSo) {
  RolloutYaml r;
  r.steps = {"{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  ok({"apply", "--server-side", "--force-conflicts", "--field-manager=argocd", "-f",
      kubesim_->writeFile("argocd.yaml",
                          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-1\n"
                          "  namespace: default\nspec:\n  template:\n    spec:\n"
                          "      containers:\n      - name: app\n        env:\n"
                          "        - {name: FEATURE_OTEL, value: \"false\"}\n")});
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) { return targetsIn(s, "Conflict") == std::vector<std::string>{"app-1"}; },
      "app-1 in Conflict with argocd"));

  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  EXPECT_EQ(envValue(deployment("app-1"), "app", "FEATURE_OTEL"), "false")
      << "argocd's value was removed";
  for (const std::string n : {"app-0", "app-2"}) {
    EXPECT_FALSE(hasOperatorAnnotations(deployment(n))) << n;
    EXPECT_EQ(findContainer(deployment(n), "otel-collector"), nullptr) << n;
  }
  bool named = false;
  for (const Json& e : eventsFor("Deployment", "app-1")) {
    named = named || (e.value("reason", "") == "Restored" &&
                      e.value("message", "")
                              .find("FEATURE_OTEL in container app, owned by "
                                    "argocd") != std::string::npos);
  }
  EXPECT_TRUE(named) << "no Restored Event on app-1 names argocd";
}

TEST_F(OperatorCoexistenceTest, AUserChangeToAnEnabledDeploymentCausesNoOperatorWrite) {
  RolloutYaml r;
  r.steps = {"{setWeight: 100}", "{pause: {}}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Paused"));
  resetRequests();
  changeAsOthers();
  ASSERT_TRUE(barrier("web-otel", "rollout.telemetry.io/retry", "retry"));
  const Json reqs = requests();
  EXPECT_EQ(operatorDeploymentWrites(reqs, "patch") + operatorDeploymentWrites(reqs, "update"), 0u)
      << describeRequests(reqs);
  expectOthersKept("after the barrier");
}

}  // namespace
}  // namespace tro::testing
