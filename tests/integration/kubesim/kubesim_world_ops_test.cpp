// The kubesim binary as a whole cluster: the simulated world rolls Deployments out (or misses the
// progress deadline when an app never turns Ready), serves the apps' metrics, and the operations
// endpoints inject API faults and count requests. Driven with the real kubectl; assertions are on
// what kubectl reports and on kubesim's own accounting.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/http_get.h"
#include "tests/support/kubectl_ok.h"
#include "tests/support/kubesim_process.h"

namespace kubesim::testing {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

std::string deployment(const std::string& name, const std::string& extraAnnotations,
                       const std::string& env, int progressDeadlineSeconds) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\n  namespace: default\n  annotations:\n    note: test\n" + extraAnnotations +
         "spec:\n  replicas: 2\n  progressDeadlineSeconds: " +
         std::to_string(progressDeadlineSeconds) + "\n  selector:\n    matchLabels: {app: " + name +
         "}\n  template:\n    metadata:\n"
         "      labels: {app: " +
         name +
         "}\n    spec:\n      containers:\n      - name: app\n"
         "        image: example.test/app:1\n" +
         env;
}

class WorldOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    kubesim_ = Kubesim::start({"--pod-ready-delay", "100ms"}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
  }

  RunResult kubectl(const std::vector<std::string>& args) { return kubesim_->kubectl(args); }

  std::string ok(const std::vector<std::string>& args) { return kubectlOk(*kubesim_, args); }

  void apply(const std::string& name, const std::string& manifest) {
    ok({"apply", "-f", kubesim_->writeFile(name + ".yaml", manifest)});
  }

  // POST a JSON body to a kubesim control endpoint through kubectl (same credentials).
  Json control(const std::string& path, const Json& body) {
    const std::string file = kubesim_->writeFile("control.json", body.dump());
    return Json::parse(ok({"create", "--raw", path, "-f", file}));
  }

  std::unique_ptr<Kubesim> kubesim_;
};

TEST_F(WorldOpsTest, RolloutStatusSucceedsForAHealthyDeployment) {
  apply("web", deployment("web", "", "", 600));
  const std::string out = ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  EXPECT_NE(out.find("deployment \"web\" successfully rolled out"), std::string::npos) << out;
  EXPECT_EQ(ok({"get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"}), "2");
}

TEST_F(WorldOpsTest, RolloutStatusFailsWhenTheProgressDeadlineIsExceeded) {
  apply("slow", deployment("slow", "    kubesim.io/telemetry-fault-never-ready: \"true\"\n",
                           "        env:\n        - {name: FEATURE_OTEL, value: \"true\"}\n", 2));
  RunResult r = kubectl({"rollout", "status", "deployment/slow", "--timeout=60s"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("deployment \"slow\" exceeded its progress deadline"), std::string::npos)
      << "stdout: " << r.out << "\nstderr: " << r.err;
  EXPECT_EQ(ok({"get", "deployment", "slow", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}"}),
            "ProgressDeadlineExceeded");
}

std::string podSet(const std::string& kind, const std::string& name, const std::string& extraSpec) {
  return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
         "\n  namespace: default\nspec:\n" + extraSpec +
         "  selector:\n    matchLabels: {app: " + name +
         "}\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      containers:\n      - name: app\n        image: example.test/app:1\n";
}

TEST_F(WorldOpsTest, StatefulSetRolloutStatusAsKubectlReportsIt) {
  apply("db", podSet("StatefulSet", "db", "  replicas: 3\n  serviceName: db\n"));
  std::string out = ok({"rollout", "status", "statefulset/db", "--timeout=60s"});
  const std::string revision = ok({"get", "sts", "db", "-o", "jsonpath={.status.updateRevision}"});
  EXPECT_EQ(revision.rfind("db-", 0), 0u) << revision;
  // kubectl reads the defaulted rollingUpdate.partition (0) as a partitioned rollout.
  EXPECT_NE(out.find("partitioned roll out complete: 3 new pods have been updated..."),
            std::string::npos)
      << out;
  EXPECT_EQ(ok({"get", "pods", "-l", "app=db", "-o", "jsonpath={.items[*].metadata.name}"}),
            "db-0 db-1 db-2");
  // A template change rolls through every pod; kubectl waits for the new revision.
  ok({"set", "image", "statefulset/db", "app=example.test/app:2"});
  out = ok({"rollout", "status", "statefulset/db", "--timeout=60s"});
  const std::string updated = ok({"get", "sts", "db", "-o", "jsonpath={.status.updateRevision}"});
  EXPECT_NE(updated, revision);
  EXPECT_NE(out.find("Waiting for partitioned roll out to finish: 1 out of 3 new pods have been "
                     "updated..."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("partitioned roll out complete: 3 new pods have been updated..."),
            std::string::npos)
      << out;
  EXPECT_EQ(ok({"get", "sts", "db", "-o", "jsonpath={.status.currentRevision}"}), updated);
  EXPECT_EQ(ok({"get", "pods", "-l", "controller-revision-hash=" + updated, "-o", "name"}),
            "pod/db-0\npod/db-1\npod/db-2\n");
  // With a partition, kubectl reports the partitioned rollout.
  ok({"patch", "statefulset", "db", "-p",
      R"({"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}})"});
  ok({"set", "image", "statefulset/db", "app=example.test/app:3"});
  out = ok({"rollout", "status", "statefulset/db", "--timeout=60s"});
  EXPECT_NE(out.find("partitioned roll out complete: 1 new pods have been updated..."),
            std::string::npos)
      << out;
  EXPECT_EQ(ok({"get", "pod", "db-0", "-o", "jsonpath={.spec.containers[0].image}"}),
            "example.test/app:2");
  const std::string table = ok({"get", "statefulsets"});
  EXPECT_EQ(table.substr(0, table.find('\n')).substr(0, 16), "NAME   READY   A") << table;
  EXPECT_NE(table.find("db     3/3"), std::string::npos) << table;
}

TEST_F(WorldOpsTest, OnDeleteStatefulSetIsNotRollable) {
  apply("q", podSet("StatefulSet", "q", "  updateStrategy: {type: OnDelete}\n"));
  RunResult r = kubectl({"rollout", "status", "statefulset/q", "--timeout=20s"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_NE(r.err.find("rollout status is only available for RollingUpdate strategy type"),
            std::string::npos)
      << r.err;
}

TEST_F(WorldOpsTest, DaemonSetRunsOnEveryNodeAndRollsOut) {
  apply("agent", podSet("DaemonSet", "agent", ""));
  std::string out = ok({"rollout", "status", "daemonset/agent", "--timeout=60s"});
  EXPECT_NE(out.find("daemon set \"agent\" successfully rolled out"), std::string::npos) << out;
  EXPECT_EQ(ok({"get", "pods", "-l", "app=agent", "-o",
                "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}", "--sort-by",
                ".spec.nodeName"}),
            "kubesim-control-plane\nkubesim-worker\nkubesim-worker2\n");
  ok({"set", "env", "daemonset/agent", "FEATURE_OTEL=true"});
  out = ok({"rollout", "status", "daemonset/agent", "--timeout=60s"});
  EXPECT_NE(out.find("daemon set \"agent\" successfully rolled out"), std::string::npos) << out;
  EXPECT_EQ(ok({"get", "ds", "agent", "-o",
                "jsonpath={.status.desiredNumberScheduled} {.status.updatedNumberScheduled} "
                "{.status.numberAvailable} {.metadata.generation}"}),
            "3 3 3 2");
  const std::string table = ok({"get", "daemonsets"});
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE")
      << table;
}

TEST_F(WorldOpsTest, MetricsEndpointHasSeriesForEveryPod) {
  apply("web", deployment("web", "", "", 600));
  ok({"rollout", "status", "deployment/web", "--timeout=60s"});
  std::istringstream names(ok({"get", "pods", "-l", "app=web", "-o",
                               "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"}));
  const HttpReply reply = httpGet(kubesim_->metricsPort(), "/metrics");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const std::string& metrics = reply.body;
  int pods = 0;
  for (std::string pod; std::getline(names, pod);) {
    if (pod.empty()) continue;
    ++pods;
    EXPECT_NE(metrics.find("pod=\"" + pod + "\""), std::string::npos) << pod << "\n" << metrics;
  }
  EXPECT_EQ(pods, 2);
  EXPECT_NE(metrics.find("http_requests_total{"), std::string::npos);
}

TEST_F(WorldOpsTest, InjectedUnavailabilityFailsKubectlUntilCleared) {
  ok({"get", "pods"});
  const Json set =
      control("/kubesim/faults", {{"errorShare", 1}, {"errorCode", 503}, {"resources", {"pods"}}});
  EXPECT_EQ(set["errorShare"], 1.0);
  RunResult failed = kubectl({"get", "pods"});
  EXPECT_NE(failed.exitCode, 0);
  EXPECT_NE(failed.err.find("ServiceUnavailable"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("the server is currently unable to handle the request"),
            std::string::npos)
      << failed.err;
  ok({"delete", "--raw", "/kubesim/faults"});
  ok({"get", "pods"});
}

TEST_F(WorldOpsTest, AccountingCountsKubectlSetEnvAsOnePatchByItsFieldManager) {
  apply("web", deployment("web", "", "", 600));
  control("/kubesim/requests/reset", Json::object());
  ok({"set", "env", "deployment/web", "LOG_LEVEL=debug"});
  const Json counts = Json::parse(ok({"get", "--raw", "/kubesim/requests"}));
  int patches = 0;
  int patchesByOthers = 0;
  for (const auto& row : counts["requests"]) {
    if (row["verb"] != "patch") continue;
    if (row["resource"] == "deployments" && row["fieldManager"] == "kubectl-set" &&
        row["code"] == 200) {
      patches += row["count"].get<int>();
    } else {
      patchesByOthers += row["count"].get<int>();
    }
  }
  EXPECT_EQ(patches, 1) << counts.dump(1);
  EXPECT_EQ(patchesByOthers, 0) << counts.dump(1);
}

}  // namespace
}  // namespace kubesim::testing
