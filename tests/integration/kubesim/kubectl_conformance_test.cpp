// Issue 3's kubectl conformance suite: the real kubectl 1.32 against the kubesim binary with the
// TelemetryRollout CRD. Each case asserts what kubectl prints and the state the server ends in, as
// a real cluster would answer (reference/kubectl-traces.md).

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/kubectl_ok.h"
#include "tests/support/kubesim_process.h"

namespace kubesim::testing {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

const char* kRollout = R"(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata:
  name: demo
  namespace: default
  labels: {team: a}
spec:
  selector:
    matchLabels: {app: shop}
  flag: {name: FEATURE_OTEL}
  strategy:
    steps:
    - setWeight: 50
    - pause: {duration: 30s}
)";

const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: example/app:v1
        env:
        - {name: MODE, value: fast}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class ConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ = Kubesim::start({}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
  }

  // kubectl that must succeed; returns stdout.
  std::string ok(const std::vector<std::string>& args) { return kubectlOk(*kubesim_, args); }

  void installCrd() {
    EXPECT_EQ(ok({"apply", "-f", CRD_FILE}),
              "customresourcedefinition.apiextensions.k8s.io/"
              "telemetryrollouts.rollout.telemetry.io created\n");
  }

  std::string applyRollout(const std::string& manifest, const std::string& file = "tro.yaml") {
    return ok({"apply", "-f", kubesim_->writeFile(file, manifest)});
  }

  Json getJson(const std::vector<std::string>& what) {
    std::vector<std::string> args = {"get"};
    args.insert(args.end(), what.begin(), what.end());
    args.insert(args.end(), {"-o", "json"});
    const std::string out = ok(args);
    return Json::parse(out, nullptr, false);
  }

  // Polls a child's stdout (a file) until `done` holds or the deadline passes.
  static std::string waitForOutput(const ChildProcess& child,
                                   const std::function<bool(const std::string&)>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::string out = child.out();
    while (!done(out) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);  // polling the output file, not synchronising
      out = child.out();
    }
    return out;
  }

  std::unique_ptr<Kubesim> kubesim_;
};

TEST_F(ConformanceTest, ApplyCreatesThenConfiguresThenLeavesUnchanged) {
  installCrd();
  EXPECT_EQ(applyRollout(kRollout), "telemetryrollout.rollout.telemetry.io/demo created\n");
  EXPECT_EQ(applyRollout(kRollout), "telemetryrollout.rollout.telemetry.io/demo unchanged\n");
  const std::string changed = replaced(kRollout, "setWeight: 50", "setWeight: 25");
  EXPECT_EQ(applyRollout(changed, "tro-v2.yaml"),
            "telemetryrollout.rollout.telemetry.io/demo configured\n");

  YAML::Node r = YAML::Load(ok({"get", "tro", "demo", "-o", "yaml"}));
  EXPECT_EQ(r["kind"].as<std::string>(), "TelemetryRollout");
  EXPECT_EQ(r["metadata"]["generation"].as<int>(), 2);
  EXPECT_EQ(r["spec"]["strategy"]["steps"][0]["setWeight"].as<int>(), 25);
  // Schema defaults are applied on create and kept on update.
  EXPECT_EQ(r["spec"]["onDelete"].as<std::string>(), "Restore");
  EXPECT_EQ(r["spec"]["flag"]["enabledValue"].as<std::string>(), "true");
  EXPECT_TRUE(r["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]);
}

TEST_F(ConformanceTest, StrictValidationRejectsUnknownFieldAndStoresNothing) {
  installCrd();
  const std::string bad = replaced(kRollout, "  flag: {name: FEATURE_OTEL}\n",
                                   "  flag: {name: FEATURE_OTEL}\n  bogus: 1\n");
  RunResult r = kubesim_->kubectl({"apply", "-f", kubesim_->writeFile("bad.yaml", bad)});
  EXPECT_NE(r.exitCode, 0) << r.out;
  EXPECT_TRUE(contains(r.err, "strict decoding error: unknown field \"spec.bogus\"")) << r.err;
  RunResult get = kubesim_->kubectl({"get", "tro", "demo"});
  EXPECT_NE(get.exitCode, 0);
  EXPECT_TRUE(contains(get.err, "NotFound")) << get.err;
}

TEST_F(ConformanceTest, BadRequestsChangeNothing) {
  installCrd();
  applyRollout(kRollout);
  const Json before = getJson({"tro", "demo"});
  ASSERT_TRUE(before.is_object());

  RunResult yaml =
      kubesim_->kubectl({"apply", "-f", kubesim_->writeFile("broken.yaml", "spec: [a\n  b: {")});
  EXPECT_NE(yaml.exitCode, 0) << yaml.out;
  // A malformed body that reaches the server: 400 with a Status, nothing stored.
  const std::string path =
      "/apis/rollout.telemetry.io/v1alpha1/namespaces/default/telemetryrollouts";
  RunResult raw = kubesim_->kubectl(
      {"create", "--raw", path, "-f", kubesim_->writeFile("raw.json", "{\"a\":")});
  EXPECT_NE(raw.exitCode, 0) << raw.out;
  EXPECT_TRUE(contains(raw.err, "BadRequest") || contains(raw.err, "400")) << raw.err;
  // Schema violation (setWeight above its maximum): 422 Invalid naming the field.
  RunResult invalid = kubesim_->kubectl(
      {"apply", "-f",
       kubesim_->writeFile("invalid.yaml", replaced(kRollout, "setWeight: 50", "setWeight: 500"))});
  EXPECT_NE(invalid.exitCode, 0);
  EXPECT_TRUE(contains(invalid.err, "spec.strategy.steps[0].setWeight")) << invalid.err;

  const Json after = getJson({"tro", "demo"});
  EXPECT_EQ(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"]);
  EXPECT_EQ(after["spec"], before["spec"]);
  const Json all = getJson({"tro"});
  EXPECT_EQ(all["items"].size(), 1u);
}

TEST_F(ConformanceTest, ServerSideApplyConflictsUntilForced) {
  installCrd();
  const std::string a = kubesim_->writeFile("alice.yaml", kRollout);
  EXPECT_EQ(ok({"apply", "--server-side", "--field-manager=alice", "-f", a}),
            "telemetryrollout.rollout.telemetry.io/demo serverside-applied\n");
  EXPECT_EQ(ok({"apply", "--server-side", "--field-manager=alice", "-f", a}),
            "telemetryrollout.rollout.telemetry.io/demo serverside-applied\n");

  const std::string b =
      kubesim_->writeFile("bob.yaml", replaced(kRollout, "FEATURE_OTEL", "FEATURE_TELEMETRY"));
  RunResult conflict =
      kubesim_->kubectl({"apply", "--server-side", "--field-manager=bob", "-f", b});
  EXPECT_NE(conflict.exitCode, 0) << conflict.out;
  EXPECT_TRUE(contains(conflict.err, "conflict")) << conflict.err;
  EXPECT_TRUE(contains(conflict.err, "alice")) << conflict.err;
  EXPECT_TRUE(contains(conflict.err, ".spec.flag.name")) << conflict.err;
  EXPECT_EQ(getJson({"tro", "demo"})["spec"]["flag"]["name"], "FEATURE_OTEL");

  EXPECT_EQ(ok({"apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", b}),
            "telemetryrollout.rollout.telemetry.io/demo serverside-applied\n");
  const Json r = getJson({"tro", "demo", "--show-managed-fields"});
  EXPECT_EQ(r["spec"]["flag"]["name"], "FEATURE_TELEMETRY");
  ASSERT_TRUE(r["metadata"]["managedFields"].is_array()) << r.dump();
  std::set<std::string> managers;
  for (const auto& m : r["metadata"]["managedFields"]) {
    managers.insert(m["manager"].get<std::string>());
    EXPECT_EQ(m["operation"], "Apply");
  }
  EXPECT_EQ(managers, (std::set<std::string>{"alice", "bob"}));
}

TEST_F(ConformanceTest, GetPrintsColumnsAndHonoursSelectors) {
  installCrd();
  applyRollout(kRollout);
  applyRollout(replaced(replaced(kRollout, "name: demo", "name: other"), "team: a", "team: b"),
               "other.yaml");
  ok({"patch", "tro", "demo", "--subresource=status", "--type=merge", "-p",
      R"({"status":{"phase":"Progressing","stepProgress":"1/2","targetProgress":"3/4",)"
      R"("conditions":[{"type":"Ready","status":"False","reason":"StepInProgress"}]}})"});

  const std::string table = ok({"get", "telemetryrollouts"});
  std::istringstream lines(table);
  std::string header;
  std::getline(lines, header);
  std::istringstream words(header);
  std::vector<std::string> columns{std::istream_iterator<std::string>(words), {}};
  EXPECT_EQ(columns,
            (std::vector<std::string>{"NAME", "PHASE", "STEP", "ENABLED", "REASON", "AGE"}))
      << table;
  std::string demoRow;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("demo ", 0) == 0) demoRow = line;
  }
  std::istringstream cells(demoRow);
  std::vector<std::string> row{std::istream_iterator<std::string>(cells), {}};
  ASSERT_EQ(row.size(), 6u) << table;
  EXPECT_EQ(row[1], "Progressing");
  EXPECT_EQ(row[2], "1/2");
  EXPECT_EQ(row[3], "3/4");
  EXPECT_EQ(row[4], "StepInProgress");
  EXPECT_TRUE(row[5].back() == 's' || row[5].back() == 'm') << row[5];

  EXPECT_EQ(ok({"get", "tro", "-l", "team=b", "-o", "name"}),
            "telemetryrollout.rollout.telemetry.io/other\n");
  EXPECT_EQ(ok({"get", "tro", "-l", "team in (a,b),team!=b", "-o", "name"}),
            "telemetryrollout.rollout.telemetry.io/demo\n");
  EXPECT_EQ(ok({"get", "tro", "--field-selector", "metadata.name=other", "-o", "name"}),
            "telemetryrollout.rollout.telemetry.io/other\n");
  EXPECT_EQ(ok({"get", "telemetry", "-o", "name"}),  // the CRD's category
            "telemetryrollout.rollout.telemetry.io/demo\n"
            "telemetryrollout.rollout.telemetry.io/other\n");
  YAML::Node y = YAML::Load(ok({"get", "tro", "demo", "-o", "yaml"}));
  EXPECT_EQ(y["status"]["phase"].as<std::string>(), "Progressing");
  EXPECT_EQ(y["metadata"]["generation"].as<int>(), 1);  // status writes never bump it
}

TEST_F(ConformanceTest, WatchStreamsAChange) {
  installCrd();
  applyRollout(kRollout);
  auto watcher = kubesim_->kubectlAsync({"get", "tro", "-w"});
  ASSERT_TRUE(watcher.has_value());
  std::string out =
      waitForOutput(*watcher, [](const std::string& o) { return contains(o, "demo"); });
  ASSERT_TRUE(contains(out, "NAME")) << out << watcher->err();
  ok({"patch", "tro", "demo", "--subresource=status", "--type=merge", "-p",
      R"({"status":{"phase":"Paused"}})"});
  out = waitForOutput(*watcher, [](const std::string& o) { return contains(o, "Paused"); });
  EXPECT_TRUE(contains(out, "Paused")) << out << watcher->err();
  // Later events reuse the first event's columns: one header, custom columns throughout.
  EXPECT_EQ(out.find("NAME"), out.rfind("NAME")) << out;
  EXPECT_FALSE(watcher->waitFor(0ms).has_value()) << "the watch must stay open";
  watcher->terminate();
}

TEST_F(ConformanceTest, WaitForConditionSetThroughStatusSubresource) {
  installCrd();
  applyRollout(kRollout);
  auto waiter =
      kubesim_->kubectlAsync({"wait", "--for=condition=Ready", "tro/demo", "--timeout=30s"});
  ASSERT_TRUE(waiter.has_value());
  EXPECT_FALSE(waiter->waitFor(300ms).has_value()) << waiter->out() << waiter->err();
  EXPECT_EQ(ok({"patch", "tro", "demo", "--subresource=status", "--type=merge", "-p",
                R"({"status":{"phase":"Succeeded","conditions":[{"type":"Ready","status":"True",)"
                R"("reason":"Succeeded","lastTransitionTime":"2026-01-01T00:00:00Z"}]}})"}),
            "telemetryrollout.rollout.telemetry.io/demo patched\n");
  EXPECT_EQ(waiter->waitFor(40s), 0) << waiter->err();
  EXPECT_EQ(waiter->out(), "telemetryrollout.rollout.telemetry.io/demo condition met\n");
}

TEST_F(ConformanceTest, DescribeShowsMetadataAndSpec) {
  installCrd();
  applyRollout(kRollout);
  const std::string out = ok({"describe", "tro", "demo"});
  for (const char* want : {"Name:", "demo", "Namespace:", "default", "Labels:", "team=a",
                           "API Version:", "rollout.telemetry.io/v1alpha1",
                           "Kind:", "TelemetryRollout", "FEATURE_OTEL", "Set Weight:", "Events:"}) {
    EXPECT_TRUE(contains(out, want)) << want << " in\n" << out;
  }
}

TEST_F(ConformanceTest, EditThroughKubeEditor) {
  installCrd();
  applyRollout(kRollout);
  const auto script = kubesim_->dir() / "editor.sh";
  std::ofstream(script) << "#!/bin/sh\nsed -i 's/FEATURE_OTEL/FEATURE_EDITED/' \"$1\"\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  const std::vector<std::string> argv = {KUBECTL_BINARY,
                                         "--kubeconfig",
                                         kubesim_->kubeconfig().string(),
                                         "--cache-dir",
                                         (kubesim_->dir() / "cache-edit").string(),
                                         "edit",
                                         "tro",
                                         "demo"};
  RunResult r = run(argv,
                    {{"HOME", kubesim_->dir().string()},
                     {"KUBECONFIG", kubesim_->kubeconfig().string()},
                     {"KUBE_EDITOR", script.string()}},
                    kubesim_->dir());
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "telemetryrollout.rollout.telemetry.io/demo edited\n") << r.err;
  const Json got = getJson({"tro", "demo"});
  EXPECT_EQ(got["spec"]["flag"]["name"], "FEATURE_EDITED");
  EXPECT_EQ(got["metadata"]["generation"], 2);
}

// kubectl scale goes through the scale subresource (autoscaling/v1 Scale); the write is recorded
// under kubectl's manager with subresource "scale"; a stale resource version or a negative count
// changes nothing.
TEST_F(ConformanceTest, ScaleThroughTheScaleSubresource) {
  ok({"apply", "-f", kubesim_->writeFile("deploy.yaml", kDeployment)});
  EXPECT_EQ(ok({"scale", "deployment/web", "--replicas=4"}), "deployment.apps/web scaled\n");
  const Json d = getJson({"deploy", "web", "--show-managed-fields"});
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d["spec"]["replicas"], 4);
  EXPECT_EQ(d["metadata"]["generation"], 2);
  bool scaleEntry = false;
  for (const auto& m : d["metadata"]["managedFields"]) {
    scaleEntry = scaleEntry || (m.value("subresource", "") == "scale" &&
                                m["fieldsV1"] == Json::parse(R"({"f:spec":{"f:replicas":{}}})"));
  }
  EXPECT_TRUE(scaleEntry) << d["metadata"]["managedFields"].dump();

  const Json scale =
      Json::parse(ok({"get", "--raw", "/apis/apps/v1/namespaces/default/deployments/web/scale"}));
  EXPECT_EQ(scale["kind"], "Scale");
  EXPECT_EQ(scale["apiVersion"], "autoscaling/v1");
  EXPECT_EQ(scale["spec"]["replicas"], 4);
  EXPECT_EQ(scale["status"]["selector"], "app=web");

  RunResult stale =
      kubesim_->kubectl({"scale", "deployment/web", "--replicas=1", "--resource-version=1"});
  EXPECT_NE(stale.exitCode, 0);  // kubectl compares the Scale's resourceVersion before writing
  EXPECT_NE(stale.err.find("Expected resource version to be 1"), std::string::npos) << stale.err;
  RunResult negative = kubesim_->kubectl({"scale", "deployment/web", "--replicas=-1"});
  EXPECT_NE(negative.exitCode, 0);
  EXPECT_EQ(getJson({"deploy", "web"})["spec"]["replicas"], 4);
}

TEST_F(ConformanceTest, PatchTypesAndSetEnvOnADeployment) {
  ok({"apply", "-f", kubesim_->writeFile("deploy.yaml", kDeployment)});
  EXPECT_EQ(ok({"patch", "deploy", "web", "--type=json", "-p",
                R"([{"op":"test","path":"/spec/replicas","value":2},)"
                R"({"op":"replace","path":"/spec/replicas","value":3}])"}),
            "deployment.apps/web patched\n");
  RunResult failedTest =
      kubesim_->kubectl({"patch", "deploy", "web", "--type=json", "-p",
                         R"([{"op":"test","path":"/spec/replicas","value":2},)"
                         R"({"op":"replace","path":"/spec/replicas","value":9}])"});
  EXPECT_NE(failedTest.exitCode, 0);
  EXPECT_EQ(ok({"patch", "deploy", "web", "--type=merge", "-p",
                R"({"metadata":{"labels":{"tier":"front"}}})"}),
            "deployment.apps/web patched\n");
  EXPECT_EQ(ok({"patch", "deploy", "web", "--type=strategic", "-p",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"app",)"
                R"("env":[{"name":"EXTRA","value":"1"}]}]}}}})"}),
            "deployment.apps/web patched\n");
  EXPECT_EQ(ok({"set", "env", "deployment/web", "MODE=slow", "FEATURE_OTEL=true"}),
            "deployment.apps/web env updated\n");

  const Json d = getJson({"deploy", "web"});
  EXPECT_EQ(d["spec"]["replicas"], 3);
  EXPECT_EQ(d["metadata"]["labels"]["tier"], "front");
  const Json& env = d["spec"]["template"]["spec"]["containers"][0]["env"];
  std::map<std::string, std::string> vars;
  for (const auto& e : env) vars[e["name"]] = e.value("value", "");
  EXPECT_EQ(vars, (std::map<std::string, std::string>{
                      {"MODE", "slow"}, {"EXTRA", "1"}, {"FEATURE_OTEL", "true"}}))
      << env.dump();
  EXPECT_EQ(d["spec"]["template"]["spec"]["containers"].size(), 1u);
  // replicas, template, template, template: the label patch leaves generation alone.
  EXPECT_EQ(d["metadata"]["generation"], 4);
}

TEST_F(ConformanceTest, DeleteWaitsForFinalizerRelease) {
  installCrd();
  applyRollout(replaced(kRollout, "  labels: {team: a}\n",
                        "  labels: {team: a}\n  finalizers: [rollout.telemetry.io/restore]\n"));
  auto deleter = kubesim_->kubectlAsync({"delete", "tro", "demo", "--timeout=60s"});
  ASSERT_TRUE(deleter.has_value());
  const std::string said =
      waitForOutput(*deleter, [](const std::string& o) { return contains(o, "deleted"); });
  EXPECT_EQ(said, "telemetryrollout.rollout.telemetry.io \"demo\" deleted\n") << deleter->err();
  EXPECT_FALSE(deleter->waitFor(300ms).has_value()) << "delete must wait for the finalizer";
  const Json held = getJson({"tro", "demo"});
  EXPECT_TRUE(held["metadata"].contains("deletionTimestamp")) << held.dump();

  RunResult addFinalizer = kubesim_->kubectl(
      {"patch", "tro", "demo", "--type=json", "-p",
       R"([{"op":"add","path":"/metadata/finalizers/-","value":"example.com/new"}])"});
  EXPECT_NE(addFinalizer.exitCode, 0);
  EXPECT_TRUE(contains(addFinalizer.err, "no new finalizers can be added")) << addFinalizer.err;

  ok({"patch", "tro", "demo", "--type=merge", "-p", R"({"metadata":{"finalizers":null}})"});
  EXPECT_EQ(deleter->waitFor(40s), 0) << deleter->err();
  RunResult gone = kubesim_->kubectl({"get", "tro", "demo"});
  EXPECT_NE(gone.exitCode, 0);
  EXPECT_TRUE(contains(gone.err, "NotFound")) << gone.err;
}

TEST_F(ConformanceTest, DeleteWithoutWaitingReturnsAtOnce) {
  installCrd();
  applyRollout(replaced(kRollout, "  labels: {team: a}\n",
                        "  labels: {team: a}\n  finalizers: [rollout.telemetry.io/restore]\n"));
  EXPECT_EQ(ok({"delete", "tro", "demo", "--wait=false"}),
            "telemetryrollout.rollout.telemetry.io \"demo\" deleted\n");
  EXPECT_TRUE(getJson({"tro", "demo"})["metadata"].contains("deletionTimestamp"));
  ok({"patch", "tro", "demo", "--type=json", "-p",
      R"([{"op":"remove","path":"/metadata/finalizers"}])"});
  EXPECT_EQ(ok({"get", "tro", "-o", "name"}), "");
}

TEST_F(ConformanceTest, DiscoveryExplainAndCrdDeletion) {
  installCrd();
  applyRollout(kRollout);
  const std::string resources = ok({"api-resources", "--api-group=rollout.telemetry.io"});
  EXPECT_TRUE(contains(resources, "telemetryrollouts")) << resources;
  EXPECT_TRUE(contains(resources, "tro ")) << resources;
  EXPECT_TRUE(contains(resources, "rollout.telemetry.io/v1alpha1")) << resources;
  const std::string explain = ok({"explain", "tro.spec.flag"});
  EXPECT_TRUE(contains(explain, "The switch the application reads; required unless")) << explain;
  EXPECT_TRUE(contains(explain, "-required-")) << explain;

  EXPECT_EQ(ok({"delete", "crd", "telemetryrollouts.rollout.telemetry.io"}),
            "customresourcedefinition.apiextensions.k8s.io "
            "\"telemetryrollouts.rollout.telemetry.io\" deleted\n");
  RunResult gone = kubesim_->kubectl({"get", "telemetryrollouts.rollout.telemetry.io"});
  EXPECT_NE(gone.exitCode, 0) << gone.out;
  // Recreating the CRD must not resurrect its objects.
  installCrd();
  EXPECT_EQ(ok({"get", "tro", "-o", "name"}), "");
}

TEST_F(ConformanceTest, EventsCreatedFromManifestAreListed) {
  const char* event = R"(apiVersion: v1
kind: Event
metadata:
  name: demo.1
  namespace: default
involvedObject:
  apiVersion: rollout.telemetry.io/v1alpha1
  kind: TelemetryRollout
  name: demo
  namespace: default
reason: StepStarted
message: step 1 of 2 started
type: Normal
source: {component: telemetry-rollout-operator}
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
count: 1
)";
  EXPECT_EQ(ok({"create", "-f", kubesim_->writeFile("event.yaml", event)}),
            "event/demo.1 created\n");
  const std::string out = ok({"get", "events"});
  EXPECT_TRUE(contains(out, "REASON")) << out;
  EXPECT_TRUE(contains(out, "StepStarted")) << out;
  EXPECT_TRUE(contains(out, "telemetryrollout/demo")) << out;
  EXPECT_TRUE(contains(out, "step 1 of 2 started")) << out;
  EXPECT_EQ(ok({"get", "events", "--field-selector", "involvedObject.name=demo", "-o", "name"}),
            "event/demo.1\n");
  EXPECT_EQ(ok({"get", "events", "--field-selector", "involvedObject.name=other", "-o", "name"}),
            "");
}

}  // namespace
}  // namespace kubesim::testing
