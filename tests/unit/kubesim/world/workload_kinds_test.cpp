// The world's StatefulSet and DaemonSet controllers, stepped by hand on a simulated clock: the
// order in which pods come and go, partitions and OnDelete, one pod per node, and the status
// fields `kubectl rollout status` reads.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "kubesim/world/template_hash.h"
#include "tests/unit/kubesim/world/world_fixture.h"

namespace kubesim::world {
namespace {

using world_testing::kPods;
using world_testing::WorldTest;

constexpr const char* kStatefulSets = "/apis/apps/v1/namespaces/default/statefulsets";
constexpr const char* kDaemonSets = "/apis/apps/v1/namespaces/default/daemonsets";

std::string workloadJson(const std::string& kind, const std::string& name,
                         const std::string& extraSpec) {
  return R"({"apiVersion": "apps/v1", "kind": ")" + kind + R"(", "metadata": {"name": ")" + name +
         R"(", "namespace": "default"}, "spec": {"selector": {"matchLabels": {"app": ")" + name +
         R"("}}, "template": {"metadata": {"labels": {"app": ")" + name +
         R"("}}, "spec": {"containers": [{"name": "app", "image": "shop:1"}]}})" + extraSpec + "}}";
}

bool ready(const Json& pod) {
  for (const Json& c : pod.value("status", Json::object()).value("conditions", Json::array())) {
    if (c["type"] == "Ready") return c["status"] == "True";
  }
  return false;
}

class WorkloadKindsTest : public WorldTest {
 protected:
  void post(const char* collection, const std::string& body) {
    api::Response r = send("POST", collection, body);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  void mergePatch(const std::string& path, const std::string& body) {
    api::Response r = send("PATCH", path, body, "application/merge-patch+json");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  void removePod(const std::string& name) {
    api::Response r = send("DELETE", std::string(kPods) + "/" + name);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // The pods by name.
  std::map<std::string, Json> pods() {
    std::map<std::string, Json> out;
    for (const Json& p : items(kPods)) out[p["metadata"]["name"]] = p;
    return out;
  }
  std::string revisionOf(const std::string& pod) {
    return pods()[pod]["metadata"]["labels"].value("controller-revision-hash", "");
  }
  Json statefulSet(const std::string& name) { return get(std::string(kStatefulSets) + "/" + name); }
  Json daemonSet(const std::string& name) { return get(std::string(kDaemonSets) + "/" + name); }
  // kubectl rollout status' rule for a StatefulSet with a RollingUpdate strategy.
  bool statefulSetRolledOut(const std::string& name) {
    Json s = statefulSet(name);
    const Json st = s.value("status", Json::object());
    const int replicas = s["spec"]["replicas"];
    const int partition = s["spec"]["updateStrategy"]["rollingUpdate"].value("partition", 0);
    if (st.value("observedGeneration", 0) < s["metadata"]["generation"].get<int>()) return false;
    if (st.value("readyReplicas", 0) < replicas) return false;
    if (partition > 0) return st.value("updatedReplicas", 0) >= replicas - partition;
    return st.value("updateRevision", "") == st.value("currentRevision", "");
  }
  // kubectl rollout status' rule for a DaemonSet.
  bool daemonSetRolledOut(const std::string& name) {
    Json s = daemonSet(name);
    const Json st = s.value("status", Json::object());
    return st.value("observedGeneration", 0) >= s["metadata"]["generation"].get<int>() &&
           st.value("updatedNumberScheduled", 0) >= st.value("desiredNumberScheduled", 1) &&
           st.value("numberAvailable", 0) >= st.value("desiredNumberScheduled", 1);
  }
};

TEST_F(WorkloadKindsTest, OrderedReadyStatefulSetStartsPodsOneAtATimeInOrdinalOrder) {
  post(kStatefulSets,
       workloadJson("StatefulSet", "web", R"(, "replicas": 3, "serviceName": "web")"));
  // Ordinal i+1 never exists before ordinal i is Ready.
  ASSERT_TRUE(stepUntil([&] {
    auto now = pods();
    for (int i = 1; i < 3; ++i) {
      if (now.count("web-" + std::to_string(i)) != 0) {
        const auto lower = now.find("web-" + std::to_string(i - 1));
        EXPECT_TRUE(lower != now.end() && ready(lower->second)) << "web-" << i << " too early";
      }
    }
    return statefulSetRolledOut("web");
  }));
  Json s = statefulSet("web");
  const std::string revision = "web-" + podTemplateHash(s["spec"]["template"]);
  EXPECT_EQ(s["status"]["replicas"], 3);
  EXPECT_EQ(s["status"]["readyReplicas"], 3);
  EXPECT_EQ(s["status"]["availableReplicas"], 3);
  EXPECT_EQ(s["status"]["currentReplicas"], 3);
  EXPECT_EQ(s["status"]["updatedReplicas"], 3);
  EXPECT_EQ(s["status"]["currentRevision"], revision);
  EXPECT_EQ(s["status"]["updateRevision"], revision);
  EXPECT_EQ(s["status"]["collisionCount"], 0);
  EXPECT_EQ(s["status"]["observedGeneration"], 1);
  auto all = pods();
  ASSERT_EQ(all.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const std::string name = "web-" + std::to_string(i);
    const Json& p = all[name];
    EXPECT_EQ(p["metadata"]["labels"]["controller-revision-hash"], revision);
    EXPECT_EQ(p["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"], name);
    EXPECT_EQ(p["metadata"]["labels"]["apps.kubernetes.io/pod-index"], std::to_string(i));
    EXPECT_NE(p["spec"].value("nodeName", "kubesim-control-plane"), "kubesim-control-plane");
    EXPECT_EQ(p["metadata"]["ownerReferences"][0]["kind"], "StatefulSet");
    EXPECT_EQ(p["spec"]["hostname"], name);
    EXPECT_EQ(p["spec"]["subdomain"], "web");
  }
  auto created = eventMessages("SuccessfulCreate");  // listed by name, not in creation order
  std::sort(created.begin(), created.end());
  EXPECT_EQ(created, (std::vector<std::string>{"create Pod web-0 in StatefulSet web successful",
                                               "create Pod web-1 in StatefulSet web successful",
                                               "create Pod web-2 in StatefulSet web successful"}));
  // Settled: no writes.
  const std::uint64_t writes = world_.writesSent();
  for (int i = 0; i < 20; ++i) step();
  EXPECT_EQ(world_.writesSent(), writes);
  EXPECT_EQ(world_.converging(), 0u);
}

TEST_F(WorkloadKindsTest, RollingUpdateReplacesPodsFromTheHighestOrdinalOneAtATime) {
  post(kStatefulSets, workloadJson("StatefulSet", "web", R"(, "replicas": 3)"));
  ASSERT_TRUE(stepUntil([&] { return statefulSetRolledOut("web"); }));
  const std::string before = statefulSet("web")["status"]["currentRevision"];
  mergePatch(
      std::string(kStatefulSets) + "/web",
      R"({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "shop:2"}]}}}})");
  std::vector<std::string> updatedOrder;
  ASSERT_TRUE(stepUntil([&] {
    auto now = pods();
    int unready = 3 - static_cast<int>(now.size());
    for (const auto& [name, p] : now) {
      unready += ready(p) ? 0 : 1;
      const bool updated = p["metadata"]["labels"]["controller-revision-hash"] != before;
      if (updated &&
          std::find(updatedOrder.begin(), updatedOrder.end(), name) == updatedOrder.end()) {
        updatedOrder.push_back(name);
      }
    }
    EXPECT_LE(unready, 1) << "more than one pod down at once";
    return statefulSetRolledOut("web");
  }));
  EXPECT_EQ(updatedOrder, (std::vector<std::string>{"web-2", "web-1", "web-0"}));
  Json s = statefulSet("web");
  EXPECT_NE(s["status"]["updateRevision"], before);
  EXPECT_EQ(s["status"]["currentRevision"], s["status"]["updateRevision"]);
  EXPECT_EQ(s["status"]["updatedReplicas"], 3);
  EXPECT_EQ(pods()["web-0"]["spec"]["containers"][0]["image"], "shop:2");
}

TEST_F(WorkloadKindsTest, APartitionKeepsLowerOrdinalsAtTheCurrentRevision) {
  post(kStatefulSets,
       workloadJson("StatefulSet", "db",
                    R"(, "replicas": 3, "updateStrategy": {"rollingUpdate": {"partition": 2}})"));
  ASSERT_TRUE(stepUntil([&] { return statefulSetRolledOut("db"); }));
  const std::string before = statefulSet("db")["status"]["currentRevision"];
  mergePatch(
      std::string(kStatefulSets) + "/db",
      R"({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "shop:2"}]}}}})");
  step();
  ASSERT_TRUE(stepUntil([&] { return statefulSetRolledOut("db"); }));
  Json s = statefulSet("db");
  EXPECT_EQ(s["status"]["updatedReplicas"], 1);
  EXPECT_EQ(s["status"]["currentReplicas"], 2);
  EXPECT_EQ(s["status"]["currentRevision"], before);
  EXPECT_EQ(revisionOf("db-2"), s["status"]["updateRevision"]);
  for (int i = 0; i < 30; ++i) step();
  EXPECT_EQ(revisionOf("db-0"), before);
  EXPECT_EQ(revisionOf("db-1"), before);
  // A pod below the partition comes back at the current revision, with the current template.
  removePod("db-0");
  ASSERT_TRUE(stepUntil([&] { return pods().count("db-0") == 1 && ready(pods()["db-0"]); }));
  EXPECT_EQ(revisionOf("db-0"), before);
  EXPECT_EQ(pods()["db-0"]["spec"]["containers"][0]["image"], "shop:1");
}

TEST_F(WorkloadKindsTest, OnDeleteReplacesNothingUntilAPodIsDeleted) {
  post(kStatefulSets, workloadJson("StatefulSet", "q",
                                   R"(, "replicas": 2, "updateStrategy": {"type": "OnDelete"})"));
  ASSERT_TRUE(stepUntil([&] {
    return statefulSet("q").value("status", Json::object()).value("readyReplicas", 0) == 2;
  }));
  const std::string before = statefulSet("q")["status"]["currentRevision"];
  mergePatch(
      std::string(kStatefulSets) + "/q",
      R"({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "shop:2"}]}}}})");
  for (int i = 0; i < 30; ++i) step();
  Json s = statefulSet("q");
  EXPECT_NE(s["status"]["updateRevision"], before);
  EXPECT_EQ(s["status"]["currentRevision"], before);
  EXPECT_FALSE(s["status"].contains("updatedReplicas"));
  EXPECT_EQ(revisionOf("q-0"), before);
  EXPECT_EQ(revisionOf("q-1"), before);
  removePod("q-1");
  ASSERT_TRUE(stepUntil([&] {
    return statefulSet("q").value("status", Json::object()).value("updatedReplicas", 0) == 1;
  }));
  EXPECT_EQ(revisionOf("q-1"), statefulSet("q")["status"]["updateRevision"]);
  EXPECT_EQ(revisionOf("q-0"), before);
}

TEST_F(WorkloadKindsTest, ScaleDownRemovesTheHighestOrdinalFirst) {
  post(kStatefulSets, workloadJson("StatefulSet", "web", R"(, "replicas": 3)"));
  ASSERT_TRUE(stepUntil([&] { return statefulSetRolledOut("web"); }));
  mergePatch(std::string(kStatefulSets) + "/web", R"({"spec": {"replicas": 1}})");
  int steps = 0;
  ASSERT_TRUE(stepUntil([&] {
    auto now = pods();
    EXPECT_FALSE(now.count("web-1") == 0 && now.count("web-2") == 1) << "web-1 went first";
    ++steps;
    return now.size() == 1;
  }));
  EXPECT_GE(steps, 3);  // one pod per step
  EXPECT_EQ(pods().begin()->first, "web-0");
  auto deleted = eventMessages("SuccessfulDelete");
  std::sort(deleted.begin(), deleted.end());
  EXPECT_EQ(deleted, (std::vector<std::string>{"delete Pod web-1 in StatefulSet web successful",
                                               "delete Pod web-2 in StatefulSet web successful"}));
}

TEST_F(WorkloadKindsTest, DaemonSetRunsOnePodOnEveryNode) {
  post(kDaemonSets, workloadJson("DaemonSet", "agent", ""));
  ASSERT_TRUE(stepUntil([&] { return daemonSetRolledOut("agent"); }));
  Json s = daemonSet("agent");
  EXPECT_EQ(s["status"]["desiredNumberScheduled"], 3);
  EXPECT_EQ(s["status"]["currentNumberScheduled"], 3);
  EXPECT_EQ(s["status"]["numberMisscheduled"], 0);
  EXPECT_EQ(s["status"]["numberReady"], 3);
  EXPECT_EQ(s["status"]["numberAvailable"], 3);
  EXPECT_EQ(s["status"]["updatedNumberScheduled"], 3);
  EXPECT_FALSE(s["status"].contains("numberUnavailable"));
  EXPECT_EQ(s["status"]["observedGeneration"], 1);
  std::set<std::string> nodes;
  const std::string hash = podTemplateHash(s["spec"]["template"]);
  for (const auto& [name, p] : pods()) {
    EXPECT_EQ(name.rfind("agent-", 0), 0u) << name;
    EXPECT_EQ(name.size(), std::string("agent-").size() + 5);
    nodes.insert(p["spec"]["nodeName"].get<std::string>());
    EXPECT_EQ(p["metadata"]["labels"]["controller-revision-hash"], hash);
    EXPECT_EQ(p["metadata"]["labels"]["pod-template-generation"], "1");
    EXPECT_EQ(
        p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
         ["nodeSelectorTerms"][0]["matchFields"][0]["values"][0],
        p["spec"]["nodeName"]);
  }
  EXPECT_EQ(nodes,
            (std::set<std::string>{"kubesim-control-plane", "kubesim-worker", "kubesim-worker2"}));
  // A pod deleted by hand comes back on its node.
  const std::string first = pods().begin()->first;
  const std::string node = pods().begin()->second["spec"]["nodeName"];
  removePod(first);
  ASSERT_TRUE(stepUntil([&] { return pods().size() == 3 && daemonSetRolledOut("agent"); }));
  std::set<std::string> after;
  for (const auto& [name, p] : pods()) after.insert(p["spec"]["nodeName"].get<std::string>());
  EXPECT_EQ(after, nodes);
  const std::uint64_t writes = world_.writesSent();
  for (int i = 0; i < 20; ++i) step();
  EXPECT_EQ(world_.writesSent(), writes);
}

TEST_F(WorkloadKindsTest, DaemonSetRollingUpdateKeepsAllButMaxUnavailableNodesServing) {
  post(kDaemonSets, workloadJson("DaemonSet", "agent", ""));
  ASSERT_TRUE(stepUntil([&] { return daemonSetRolledOut("agent"); }));
  const std::string before =
      pods().begin()->second["metadata"]["labels"]["controller-revision-hash"];
  mergePatch(
      std::string(kDaemonSets) + "/agent",
      R"({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "shop:2"}]}}}})");
  step();
  ASSERT_TRUE(stepUntil([&] {
    int serving = 0;
    for (const auto& [name, p] : pods()) serving += ready(p) ? 1 : 0;
    EXPECT_GE(serving, 2) << "more than maxUnavailable (1) node without a Ready pod";
    return daemonSetRolledOut("agent");
  }));
  for (const auto& [name, p] : pods()) {
    EXPECT_NE(p["metadata"]["labels"]["controller-revision-hash"], before) << name;
    EXPECT_EQ(p["spec"]["containers"][0]["image"], "shop:2");
  }
  EXPECT_EQ(eventMessages("SuccessfulDelete").size(), 3u);
}

TEST_F(WorkloadKindsTest, OnDeleteDaemonSetKeepsItsPods) {
  post(kDaemonSets,
       workloadJson("DaemonSet", "agent", R"(, "updateStrategy": {"type": "OnDelete"})"));
  ASSERT_TRUE(stepUntil([&] { return daemonSetRolledOut("agent"); }));
  const auto before = pods();
  mergePatch(
      std::string(kDaemonSets) + "/agent",
      R"({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "shop:2"}]}}}})");
  for (int i = 0; i < 30; ++i) step();
  EXPECT_EQ(pods().size(), 3u);
  for (const auto& [name, p] : before) EXPECT_EQ(pods().count(name), 1u) << name;
  Json s = daemonSet("agent");
  EXPECT_EQ(s["status"]["observedGeneration"], 2);
  EXPECT_FALSE(s["status"].contains("updatedNumberScheduled"));
}

}  // namespace
}  // namespace kubesim::world
