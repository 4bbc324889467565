// StatefulSets and DaemonSets as targets (spec.targetKinds, issue 15): the real operator rolls
// telemetry out over Deployments, a StatefulSet and a DaemonSet in waves, waits for each kind's
// own rollout (kubesim simulates both controllers), leaves an OnDelete StatefulSet alone, rolls
// every kind back, and gives every template back byte for byte when the rollout is deleted. A
// rollout that names no kinds touches Deployments only.

#include "tests/integration/operator/operator_cluster.h"

namespace tro::testing {
namespace {

// A StatefulSet or DaemonSet labelled tier=web with the same app container as the Deployments.
std::string podSetYaml(const std::string& kind, const std::string& name,
                       const std::string& extraSpec) {
  return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
         "\n  namespace: default\n  labels: {tier: web}\nspec:\n" + extraSpec +
         "  selector:\n    matchLabels: {app: " + name +
         "}\n  template:\n    metadata:\n"
         "      labels: {app: " +
         name +
         "}\n    spec:\n      containers:\n      - name: app\n        image: example.test/app:1\n"
         "        env:\n        - {name: FEATURE_OTEL, value: \"false\"}\n";
}

class OperatorWorkloadKindsTest : public OperatorClusterTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(startCluster(2));
    applyYaml("db.yaml", podSetYaml("StatefulSet", "db", "  replicas: 2\n  serviceName: db\n"));
    applyYaml("agent.yaml", podSetYaml("DaemonSet", "agent", ""));
    applyYaml("queue.yaml",
              podSetYaml("StatefulSet", "queue", "  updateStrategy: {type: OnDelete}\n"));
    ok({"rollout", "status", "-n", kNamespace, "statefulset/db", "--timeout=60s"});
    ok({"rollout", "status", "-n", kNamespace, "daemonset/agent", "--timeout=60s"});
    before_ = templates();
    ASSERT_EQ(before_.size(), 5u);
  }

  // `.spec.template` as kubectl prints it, for every workload, by "<kind>/<name>".
  std::map<std::string, std::string> templates() {
    std::map<std::string, std::string> out;
    for (const char* kind : {"deployment", "statefulset", "daemonset"}) {
      std::istringstream lines(ok(
          {"get", kind, "-n", kNamespace, "-l", "tier=web", "-o",
           "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.template}{\"\\n\"}{end}"}));
      for (std::string line; std::getline(lines, line);) {
        const auto tab = line.find('\t');
        if (tab != std::string::npos) {
          out[std::string(kind) + "/" + line.substr(0, tab)] = line.substr(tab + 1);
        }
      }
    }
    return out;
  }

  std::string flagOf(const std::string& ref) {
    return envValue(getJson(ref), "app", "FEATURE_OTEL").value_or("<unset>");
  }

  // status.targets as "<kind or Deployment>/<name>=<state>", in status order.
  static std::vector<std::string> targetStates(const Json& status) {
    std::vector<std::string> out;
    for (const Json& t : status.value("targets", Json::array())) {
      out.push_back(t.value("kind", "Deployment") + "/" + t.value("name", "") + "=" +
                    t.value("state", ""));
    }
    return out;
  }

  std::map<std::string, std::string> before_;
};

TEST_F(OperatorWorkloadKindsTest, RollsOutOverEveryKindAndGivesEveryTemplateBack) {
  RolloutYaml r;
  r.targetKindsYaml = "[Deployment, StatefulSet, DaemonSet]";
  r.steps = {"{setWeight: 50}", "{pause: {duration: 1s}}", "{setWeight: 100}", "{pause: {}}"};
  applyRollout(r);
  ASSERT_TRUE(waitForRollout(
      "web-otel",
      [](const Json& s) {
        return s.value("phase", "") == "Paused" && targetsIn(s, "Enabled").size() == 4;
      },
      "four workloads enabled, holding in the manual window"));
  const Json status = statusOf("web-otel");
  // Keys order the targets: app-*, daemonset/agent, statefulset/db, statefulset/queue.
  EXPECT_EQ(targetStates(status),
            (std::vector<std::string>{"Deployment/app-0=Enabled", "Deployment/app-1=Enabled",
                                      "DaemonSet/agent=Enabled", "StatefulSet/db=Enabled",
                                      "StatefulSet/queue=Conflict"}))
      << status.dump();
  for (const Json& t : status["targets"]) {
    if (t.value("name", "") == "queue") {
      EXPECT_NE(t.value("message", "").find("OnDelete"), std::string::npos) << t.dump();
    }
  }
  for (const char* ref :
       {"deployment/app-0", "deployment/app-1", "statefulset/db", "daemonset/agent"}) {
    EXPECT_EQ(flagOf(ref), "true") << ref;
    EXPECT_NE(findContainer(getJson(ref), "otel-collector"), nullptr) << ref;
  }
  EXPECT_EQ(flagOf("statefulset/queue"), "false");
  EXPECT_EQ(templates().at("statefulset/queue"), before_.at("statefulset/queue"));
  // Each kind's own rollout went through: kubectl agrees.
  ok({"rollout", "status", "-n", kNamespace, "statefulset/db", "--timeout=60s"});
  ok({"rollout", "status", "-n", kNamespace, "daemonset/agent", "--timeout=60s"});
  EXPECT_TRUE(waitForEvent("StatefulSet", "db", "Normal", "TargetEnabled"));

  annotate("web-otel", "rollout.telemetry.io/abort", "now");
  ASSERT_TRUE(waitForPhase("web-otel", "RolledBack"));
  for (const char* ref :
       {"deployment/app-0", "deployment/app-1", "statefulset/db", "daemonset/agent"}) {
    EXPECT_EQ(flagOf(ref), "false") << ref;
  }

  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  EXPECT_EQ(templates(), before_);
  for (const char* ref : {"deployment/app-0", "deployment/app-1", "statefulset/db",
                          "daemonset/agent", "statefulset/queue"}) {
    EXPECT_FALSE(hasOperatorAnnotations(getJson(ref))) << ref;
  }
}

// A StatefulSet has no progress deadline of its own: one whose pods never become Ready with
// telemetry on would hold its wave forever. spec.strategy.progressDeadlineSeconds bounds it.
TEST_F(OperatorWorkloadKindsTest, AStatefulSetThatNeverRollsOutIsRolledBackAtTheDeadline) {
  applyYaml("stuck.yaml",
            podSetYaml("StatefulSet", "stuck", "  replicas: 1\n  serviceName: stuck\n"));
  // kubesim's knob: its pods never become Ready while telemetry is on.
  ok({"annotate", "-n", kNamespace, "statefulset/stuck",
      "kubesim.io/telemetry-fault-never-ready=true"});
  ok({"rollout", "status", "-n", kNamespace, "statefulset/stuck", "--timeout=60s"});
  const std::string stuckBefore = templates().at("statefulset/stuck");
  RolloutYaml r;
  r.targetKindsYaml = "[StatefulSet]";
  r.progressDeadlineSeconds = 3;
  r.steps = {"{setWeight: 100}", "{pause: {duration: 1h}}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "RolledBack"));
  const Json status = statusOf("web-otel");
  EXPECT_EQ(status.value(Json::json_pointer("/rollback/reason"), ""), "ProgressDeadlineExceeded")
      << status.dump(2);
  EXPECT_EQ(status.value(Json::json_pointer("/rollback/check"), ""), "statefulset/stuck")
      << status.dump(2);
  EXPECT_NE(status.value(Json::json_pointer("/rollback/message"), "")
                .find("StatefulSet stuck did not roll out within 3s"),
            std::string::npos)
      << status.dump(2);
  // Rolled back: the flag is off again on every StatefulSet it enabled.
  EXPECT_EQ(flagOf("statefulset/stuck"), "false");
  EXPECT_EQ(flagOf("statefulset/db"), "false");
  ok({"delete", "-n", kNamespace, "telemetryrollout/web-otel", "--timeout=60s"});
  EXPECT_EQ(templates().at("statefulset/stuck"), stuckBefore);
}

TEST_F(OperatorWorkloadKindsTest, WithoutTargetKindsOnlyDeploymentsAreTouched) {
  RolloutYaml r;
  r.steps = {"{setWeight: 100}"};
  applyRollout(r);
  ASSERT_TRUE(waitForPhase("web-otel", "Succeeded"));
  const Json status = statusOf("web-otel");
  EXPECT_EQ(targetStates(status),
            (std::vector<std::string>{"Deployment/app-0=Enabled", "Deployment/app-1=Enabled"}))
      << status.dump();
  const auto now = templates();
  for (const char* ref : {"statefulset/db", "daemonset/agent", "statefulset/queue"}) {
    EXPECT_EQ(now.at(ref), before_.at(ref)) << ref;
  }
}

TEST_F(OperatorWorkloadKindsTest, AKindNamedTwiceIsRefusedAsOnARealServer) {
  RolloutYaml r;
  r.targetKindsYaml = "[Deployment, StatefulSet, Deployment]";
  r.steps = {"{setWeight: 100}"};
  RunResult applied = kubectl({"apply", "-f", kubesim_->writeFile("twice.yaml", r.render())});
  EXPECT_NE(applied.exitCode, 0);
  EXPECT_NE(applied.err.find("spec.targetKinds[2]: Duplicate value: \"Deployment\""),
            std::string::npos)
      << applied.err;
  EXPECT_TRUE(getJson("telemetryrollout/web-otel").is_null());
  EXPECT_EQ(templates(), before_);
}

}  // namespace
}  // namespace tro::testing
