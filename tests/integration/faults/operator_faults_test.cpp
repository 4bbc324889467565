// The real operator binary against the real kubesim while kubesim injects API faults (issue 4)
// and rollbacks must survive them (issue 6): a rollout through 503s, spurious 409s and cut
// watches ends with every Deployment injected exactly once; an abort completes while half the
// Deployment patches fail; and a rollback interrupted by SIGKILL is finished by the next process.
// The test reads and writes through the operator's own client stack (which retries reads), not
// kubectl, because kubectl would suffer the same faults; checks are on the end state of the world.

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <string>

#include "operator/kube/kubeconfig.h"
#include "tests/integration/runtime/kubesim_server.h"
#include "tests/support/eventually.h"
#include "tests/support/kubectl_ok.h"
#include "tests/support/kubesim_process.h"
#include "tests/support/operator_process.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;
using kube::Json;

constexpr const char* kNamespace = "shop";
constexpr const char* kRollout = "otel";
constexpr int kDeployments = 4;
constexpr const char* kAbortAnnotation = "rollout.telemetry.io/abort";  // annotations.h
constexpr const char* kStateAnnotation = "rollout.telemetry.io/state";

std::string deploymentYaml(int i) {
  const std::string name = "web-" + std::to_string(i);
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\n  namespace: shop\n  labels: {app.kubernetes.io/part-of: faults}\n"
         "spec:\n  replicas: 1\n  selector:\n    matchLabels: {app: " +
         name + "}\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      containers:\n      - name: app\n        image: example.test/app:1\n"
         "        env:\n        - {name: FEATURE_OTEL, value: \"false\"}\n"
         "        - {name: LOG_LEVEL, value: info}\n---\n";
}

std::string workloadsYaml() {
  std::string yaml =
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: otel-collector-config, namespace: shop}\n"
      "data: {config.yaml: \"receivers: {}\"}\n---\n";
  for (int i = 0; i < kDeployments; ++i) yaml += deploymentYaml(i);
  return yaml;
}

// Two waves and a short window; no analysis block (this test is about the API, not Prometheus).
constexpr const char* kRolloutYaml = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: otel, namespace: shop}
spec:
  selector:
    matchLabels: {app.kubernetes.io/part-of: faults}
  flag: {name: FEATURE_OTEL, enabledValue: "true", disabledValue: "false"}
  env:
    - {name: OTEL_SERVICE_NAME, value: "$(DEPLOYMENT_NAME)"}
    - {name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://localhost:4318"}
  collector:
    image: otel/opentelemetry-collector-contrib:0.90.0
    configMap: otel-collector-config
  strategy:
    steps:
      - setWeight: 50
      - pause: {duration: 1s}
      - setWeight: 100
)yaml";

kube::ResourceType rollouts() { return kube::resources::telemetryRollouts(); }
kube::ResourceType deployments() { return kube::resources::deployments(); }

int countNamed(const Json& list, const std::string& name) {
  int n = 0;
  for (const auto& item : list) n += item.value("name", "") == name ? 1 : 0;
  return n;
}

const Json* envVar(const Json& env, const std::string& name) {
  for (const auto& item : env) {
    if (item.value("name", "") == name) return &item;
  }
  return nullptr;
}

// What is wrong with one Deployment's injected form ("" when nothing): each operator variable,
// container and volume present exactly once, the user's variable untouched.
std::string enabledProblem(const Json& d) {
  const std::string name = d["metadata"]["name"];
  const Json& pod = d["spec"]["template"]["spec"];
  const Json containers = pod.value("containers", Json::array());
  if (countNamed(containers, "app") != 1) return name + ": app container count";
  if (countNamed(containers, "otel-collector") != 1) return name + ": collector count";
  if (containers.size() != 2u)
    return name + ": " + std::to_string(containers.size()) + " containers";
  const Json volumes = pod.value("volumes", Json::array());
  int configVolumes = 0;
  for (const auto& v : volumes) {
    configVolumes +=
        v.value("/configMap/name"_json_pointer, std::string()) == "otel-collector-config" ? 1 : 0;
  }
  if (configVolumes != 1) return name + ": " + std::to_string(configVolumes) + " config volumes";
  for (const auto& c : containers) {
    if (c["name"] != "app") continue;
    const Json env = c.value("env", Json::array());
    const std::map<std::string, std::string> want = {
        {"FEATURE_OTEL", "true"},
        {"LOG_LEVEL", "info"},
        {"OTEL_SERVICE_NAME", name},
        {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318"}};
    if (env.size() != want.size()) return name + ": env " + env.dump();
    for (const auto& [var, value] : want) {
      if (countNamed(env, var) != 1 || envVar(env, var)->value("value", "") != value)
        return name + ": env " + env.dump();
    }
  }
  if (d.value("/metadata/annotations"_json_pointer, Json::object()).value(kStateAnnotation, "") !=
      "enabled")
    return name + ": state annotation not enabled";
  return "";
}

// The rollback form: flag off, the operator's other variables gone, the user's kept.
std::string disabledProblem(const Json& d) {
  const std::string name = d["metadata"]["name"];
  const Json containers = d["spec"]["template"]["spec"].value("containers", Json::array());
  if (countNamed(containers, "app") != 1) return name + ": app container count";
  if (countNamed(containers, "otel-collector") > 1) return name + ": duplicate collector";
  for (const auto& c : containers) {
    if (c["name"] != "app") continue;
    const Json env = c.value("env", Json::array());
    if (env.size() != 2u || countNamed(env, "FEATURE_OTEL") != 1 ||
        envVar(env, "FEATURE_OTEL")->value("value", "") != "false" ||
        countNamed(env, "LOG_LEVEL") != 1 || envVar(env, "LOG_LEVEL")->value("value", "") != "info")
      return name + ": env " + env.dump();
  }
  if (d.value("/metadata/annotations"_json_pointer, Json::object()).value(kStateAnnotation, "") !=
      "disabled")
    return name + ": state annotation not disabled";
  return "";
}

class OperatorFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ = Kubesim::start({"--pod-ready-delay", "100ms"}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
    ok({"apply", "-f", PROJECT_SOURCE_DIR "/crds/telemetryrollouts.rollout.telemetry.io.yaml"});
    ok({"wait", "--for=condition=Established", "crd/telemetryrollouts.rollout.telemetry.io",
        "--timeout=30s"});
    ok({"apply", "-f", kubesim_->writeFile("workloads.yaml", workloadsYaml())});
    ok({"-n", kNamespace, "wait", "--for=condition=Available", "deployment", "--all",
        "--timeout=60s"});
    auto config = kube::loadKubeconfigFile(kubesim_->kubeconfig().string());
    ASSERT_TRUE(config.ok()) << config.error().toString();
    auto stack = connect(*config);
    ASSERT_TRUE(stack.ok()) << stack.error().toString();
    stack_ = std::move(stack).value();
    operator_ = OperatorProcess::start(kubesim_->kubeconfig(), {"--log-level", "debug"}, error);
    ASSERT_NE(operator_, nullptr) << error;
  }
  void TearDown() override {
    if (HasFailure() && operator_) {
      const std::string logs = operator_->logs();
      std::cerr << "operator logs (tail):\n"
                << logs.substr(logs.size() > 6000 ? logs.size() - 6000 : 0) << "\n";
    }
  }

  std::string ok(const std::vector<std::string>& args) { return kubectlOk(*kubesim_, args); }
  void setFaults(const Json& settings) {
    std::string error;
    ASSERT_TRUE(kubesim_->setFaults(settings, &error)) << error;
  }
  void clearFaults() {
    std::string error;
    ASSERT_TRUE(kubesim_->clearFaults(&error)) << error;
  }
  void resetRequests() {
    std::string error;
    ASSERT_TRUE(kubesim_->resetRequests(&error)) << error;
  }
  std::uint64_t count(const std::map<std::string, std::string>& match) {
    std::string error;
    auto requests = kubesim_->requests(&error);
    EXPECT_TRUE(requests.has_value()) << error;
    return requests ? countRequests(*requests, match) : 0;
  }

  kube::ApiClient& api() { return *stack_->api; }

  // Creates the TelemetryRollout through faults: a refused create is sent again; AlreadyExists
  // means an earlier attempt was processed.
  void createRollout() {
    auto object = yamlToJson(kRolloutYaml);
    ASSERT_TRUE(object.ok()) << object.error().toString();
    std::string last;
    ASSERT_TRUE(eventually(
        [&] {
          auto created = api().create(rollouts(), kNamespace, *object, {});
          if (created.ok() || kube::isAlreadyExists(created.error())) return true;
          last = created.error().toString();
          return false;
        },
        30s))
        << last;
  }
  // Sets the abort annotation (a merge patch, sent again until it lands).
  void requestAbort() {
    const std::string patch =
        Json{{"metadata", {{"annotations", {{kAbortAnnotation, "test"}}}}}}.dump();
    std::string last;
    ASSERT_TRUE(eventually(
        [&] {
          auto patched =
              api().patch(rollouts(), kNamespace, kRollout, kube::PatchType::Merge, patch, {});
          if (patched.ok()) return true;
          last = patched.error().toString();
          return false;
        },
        30s))
        << last;
  }
  std::string phase() {
    auto got = api().get(rollouts(), kNamespace, kRollout);
    if (!got.ok()) return "<" + got.error().toString() + ">";
    return got->value("/status/phase"_json_pointer, std::string());
  }
  bool waitForPhase(const std::string& want, std::chrono::milliseconds deadline) {
    return eventually([&] { return phase() == want; }, deadline);
  }
  // The problems of every selected Deployment under `check` ("" when all are fine).
  std::string problems(std::string (*check)(const Json&)) {
    kube::ListOptions options;
    options.labelSelector = "app.kubernetes.io/part-of=faults";
    auto list = api().list(deployments(), kNamespace, options);
    if (!list.ok()) return "list: " + list.error().toString();
    if ((*list)["items"].size() != static_cast<size_t>(kDeployments)) return "count";
    std::string out;
    for (const auto& d : (*list)["items"]) {
      if (std::string p = check(d); !p.empty()) out += p + "\n";
    }
    return out;
  }
  bool allAre(std::string (*check)(const Json&), std::chrono::milliseconds deadline,
              std::string& last) {
    return eventually(
        [&] {
          last = problems(check);
          return last.empty();
        },
        deadline);
  }
  // Rollout to Succeeded without faults, the starting point of the rollback tests.
  void rollOut() {
    createRollout();
    ASSERT_TRUE(waitForPhase("Succeeded", 60s)) << "phase: " << phase();
    std::string last;
    ASSERT_TRUE(allAre(enabledProblem, 10s, last)) << last;
  }

  std::unique_ptr<Kubesim> kubesim_;
  std::unique_ptr<ClientStack> stack_;
  std::unique_ptr<OperatorProcess> operator_;
};

TEST_F(OperatorFaultsTest, RolloutSucceedsThroughErrorsConflictsAndCutWatches) {
  resetRequests();
  setFaults({{"seed", 23},
             {"errorShare", 0.25},
             {"errorCode", 503},
             {"conflictShare", 0.15},
             {"resources", {"deployments", "telemetryrollouts"}},
             {"watchCutShare", 0.5},
             {"watchCutAfterMs", 2000}});
  createRollout();

  ASSERT_TRUE(waitForPhase("Succeeded", 60s)) << "phase: " << phase();
  std::string last;
  EXPECT_TRUE(allAre(enabledProblem, 10s, last)) << last;
  // The faults did hit the operator's traffic.
  EXPECT_GT(count({{"resource", "deployments"}, {"code", "503"}}) +
                count({{"resource", "telemetryrollouts"}, {"code", "503"}}),
            0u);
  // Spurious 409s are likelier than not, but not certain with this few writes: only reported.
  RecordProperty("conflicts",
                 std::to_string(count({{"resource", "deployments"}, {"code", "409"}}) +
                                count({{"resource", "telemetryrollouts"}, {"code", "409"}})));
  clearFaults();
  // Nothing more to do once the faults are gone: the end state holds.
  EXPECT_EQ(phase(), "Succeeded");
  EXPECT_EQ(problems(enabledProblem), "");
}

TEST_F(OperatorFaultsTest, AbortRollsBackWhileHalfTheDeploymentPatchesFail) {
  rollOut();
  resetRequests();
  setFaults({{"seed", 29},
             {"errorShare", 0.5},
             {"errorCode", 503},
             {"verbs", {"patch"}},
             {"resources", {"deployments"}}});
  requestAbort();

  std::string last;
  ASSERT_TRUE(allAre(disabledProblem, 60s, last)) << last;
  EXPECT_EQ(phase(), "RolledBack");
  EXPECT_GT(count({{"verb", "patch"}, {"resource", "deployments"}, {"code", "503"}}), 0u)
      << "no Deployment patch was refused: the test proves nothing";
  clearFaults();
  EXPECT_EQ(problems(disabledProblem), "");
}

TEST_F(OperatorFaultsTest, RollbackInterruptedBySigkillIsFinishedByTheNextProcess) {
  rollOut();
  resetRequests();
  // Every Deployment patch fails: the abort is decided but none of its writes lands.
  setFaults({{"seed", 31},
             {"errorShare", 1.0},
             {"errorCode", 503},
             {"verbs", {"patch"}},
             {"resources", {"deployments"}}});
  requestAbort();
  ASSERT_TRUE(eventually(
      [&] {
        return phase() == "RolledBack" &&
               count({{"verb", "patch"}, {"resource", "deployments"}, {"code", "503"}}) >=
                   static_cast<std::uint64_t>(kDeployments);
      },
      30s))
      << "phase: " << phase();
  operator_->kill();
  clearFaults();
  // Killed in the middle: decided, recorded, and not one Deployment restored yet.
  EXPECT_EQ(problems(enabledProblem), "");

  std::string error;
  ASSERT_TRUE(operator_->restart(error)) << error;
  std::string last;
  ASSERT_TRUE(allAre(disabledProblem, 60s, last)) << last;
  auto rollout = api().get(rollouts(), kNamespace, kRollout);
  ASSERT_TRUE(rollout.ok()) << rollout.error().toString();
  EXPECT_EQ(rollout->value("/status/phase"_json_pointer, std::string()), "RolledBack");
  EXPECT_EQ(rollout->value("/status/rollback/reason"_json_pointer, std::string()), "ManualAbort");
}

}  // namespace
}  // namespace tro::testing
