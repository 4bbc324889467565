#include "kubesim/world/world.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "kubesim/world/json_util.h"
#include "kubesim/world/rollout_math.h"
#include "kubesim/world/template_hash.h"
#include "operator/base/simulated_clock.h"
#include "tests/unit/kubesim/world/world_fixture.h"

namespace kubesim::world {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using world_testing::kDeployments;
using world_testing::kPods;
using world_testing::kReplicaSets;
using world_testing::WorldTest;

std::string deploymentJson(const std::string& name, int replicas, const std::string& extraSpec = "",
                           const std::string& annotations = "{}", const std::string& env = "[]") {
  return R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": ")" + name +
         R"(", "namespace": "default", "annotations": )" + annotations +
         R"(}, "spec": {"replicas": )" + std::to_string(replicas) + extraSpec +
         R"(, "selector": {"matchLabels": {"app": ")" + name +
         R"("}}, "template": {"metadata": {"labels": {"app": ")" + name +
         R"("}}, "spec": {"containers": [{"name": "app", "image": "shop:1", "env": )" + env +
         "}]}}}}";
}

double sample(const std::string& text, const std::string& name,
              const std::vector<std::string>& fragments = {}) {
  std::istringstream in(text);
  std::string line;
  double sum = 0;
  while (std::getline(in, line)) {
    if (line.rfind(name + "{", 0) != 0) continue;
    bool all = true;
    for (const auto& f : fragments) all = all && line.find(f) != std::string::npos;
    if (all) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

TEST_F(WorldTest, CreateConvergesWithReplicaSetPodsAndExactStatus) {
  create(deploymentJson("shop", 3));
  step();
  Json d = get(std::string(kDeployments) + "/shop");
  const std::string hash = podTemplateHash(d["spec"]["template"]);
  const std::string rsName = "shop-" + hash;
  ASSERT_NE(condition(d, "Progressing"), nullptr) << d.dump();
  EXPECT_EQ((*condition(d, "Progressing"))["reason"], "NewReplicaSetCreated");
  EXPECT_EQ((*condition(d, "Progressing"))["message"],
            "Created new replica set \"" + rsName + "\"");

  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  // Pods turn ready 200 ms after they appear: the whole rollout takes well under a second.
  EXPECT_LE(clock_.now() - tro::base::SimulatedClock().now(), seconds(1));
  d = get(std::string(kDeployments) + "/shop");
  Json rs = get(std::string(kReplicaSets) + "/" + rsName);
  EXPECT_EQ(rs["metadata"]["labels"]["pod-template-hash"], hash);
  EXPECT_EQ(rs["spec"]["selector"]["matchLabels"]["pod-template-hash"], hash);
  EXPECT_EQ(rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"], hash);
  const Json& ref = rs["metadata"]["ownerReferences"][0];
  EXPECT_EQ(ref["kind"], "Deployment");
  EXPECT_EQ(ref["uid"], d["metadata"]["uid"]);
  EXPECT_EQ(ref["controller"], true);
  EXPECT_EQ(ref["blockOwnerDeletion"], true);
  EXPECT_EQ(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(rs["status"]["replicas"], 3);
  EXPECT_EQ(rs["status"]["readyReplicas"], 3);
  EXPECT_EQ(rs["status"]["availableReplicas"], 3);
  EXPECT_EQ(rs["status"]["fullyLabeledReplicas"], 3);
  EXPECT_EQ(rs["status"]["observedGeneration"], rs["metadata"]["generation"]);

  Json pods = items(kPods);
  ASSERT_EQ(pods.size(), 3u);
  for (const Json& p : pods) {
    const std::string name = p["metadata"]["name"];
    EXPECT_EQ(name.rfind(rsName + "-", 0), 0u) << name;
    EXPECT_EQ(name.size(), rsName.size() + 6);
    EXPECT_EQ(p["metadata"]["labels"]["pod-template-hash"], hash);
    EXPECT_EQ(p["metadata"]["ownerReferences"][0]["uid"], rs["metadata"]["uid"]);
    EXPECT_EQ(p["status"]["phase"], "Running");
    // Placed on a worker, never the tainted control plane; hostIP is that node's address.
    const std::string node = p["spec"]["nodeName"];
    EXPECT_TRUE(node == "kubesim-worker" || node == "kubesim-worker2") << node;
    EXPECT_EQ(p["status"]["hostIP"], node == "kubesim-worker" ? "172.18.0.3" : "172.18.0.4");
    EXPECT_EQ(p["status"]["hostIPs"][0]["ip"], p["status"]["hostIP"]);
  }

  const Json& s = d["status"];
  EXPECT_EQ(s["observedGeneration"], d["metadata"]["generation"]);
  EXPECT_EQ(s["replicas"], 3);
  EXPECT_EQ(s["updatedReplicas"], 3);
  EXPECT_EQ(s["readyReplicas"], 3);
  EXPECT_EQ(s["availableReplicas"], 3);
  EXPECT_FALSE(s.contains("unavailableReplicas"));
  const Json* available = condition(d, "Available");
  ASSERT_NE(available, nullptr);
  EXPECT_EQ((*available)["status"], "True");
  EXPECT_EQ((*available)["reason"], "MinimumReplicasAvailable");
  EXPECT_EQ((*available)["message"], "Deployment has minimum availability.");
  const Json* progressing = condition(d, "Progressing");
  EXPECT_EQ((*progressing)["status"], "True");
  EXPECT_EQ((*progressing)["reason"], "NewReplicaSetAvailable");
  EXPECT_EQ((*progressing)["message"],
            "ReplicaSet \"" + rsName + "\" has successfully progressed.");

  EXPECT_EQ(eventMessages("ScalingReplicaSet"),
            std::vector<std::string>{"Scaled up replica set " + rsName + " to 3"});
  EXPECT_EQ(eventMessages("SuccessfulCreate").size(), 3u);

  // Steady state: no writes at all, not even no-op ones.
  const std::uint64_t writes = world_.writesSent();
  const std::string rv = get(kDeployments)["metadata"]["resourceVersion"];
  const std::string podsRv = get(kPods)["metadata"]["resourceVersion"];
  for (int i = 0; i < 20; ++i) step();
  EXPECT_EQ(get(kPods)["metadata"]["resourceVersion"], podsRv);
  EXPECT_EQ(get(kDeployments)["metadata"]["resourceVersion"], rv);
  EXPECT_EQ(world_.writesSent(), writes);
}

struct StrategyCase {
  int replicas;
  std::string maxSurge, maxUnavailable;
  int surge, unavailable;  // resolved
};

class RollingUpdateTest : public WorldTest, public ::testing::WithParamInterface<StrategyCase> {};

TEST_P(RollingUpdateTest, RespectsSurgeAndUnavailabilityAtEveryStep) {
  const StrategyCase c = GetParam();
  const std::string strategy =
      R"(, "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": )" + c.maxSurge +
      R"(, "maxUnavailable": )" + c.maxUnavailable + "}}";
  create(deploymentJson("shop", c.replicas, strategy));
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  const std::string oldHash =
      podTemplateHash(get(std::string(kDeployments) + "/shop")["spec"]["template"]);

  api::Response r = send(
      "PATCH", std::string(kDeployments) + "/shop",
      R"({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "shop:1", "env": [{"name": "FEATURE_OTEL", "value": "true"}]}]}}}})",
      "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string newHash = podTemplateHash(Json::parse(r.body)["spec"]["template"]);
  ASSERT_NE(newHash, oldHash);

  int steps = 0;
  std::set<int> newSizes;
  while (!complete("shop") && steps++ < 400) {
    step();
    int specTotal = 0, available = 0, podCount = 0, readyPods = 0;
    for (const Json& rs : items(kReplicaSets)) {
      specTotal += rs["spec"]["replicas"].get<int>();
      available += rs["status"].value("availableReplicas", 0);
      if (rs["metadata"]["name"] == "shop-" + newHash)
        newSizes.insert(rs["spec"]["replicas"].get<int>());
    }
    for (const Json& p : items(kPods)) {
      ++podCount;
      for (const Json& cond : p["status"].value("conditions", Json::array())) {
        if (cond["type"] == "Ready" && cond["status"] == "True") ++readyPods;
      }
    }
    EXPECT_LE(specTotal, c.replicas + c.surge) << "step " << steps;
    EXPECT_LE(podCount, c.replicas + c.surge) << "step " << steps;
    EXPECT_GE(available, c.replicas - c.unavailable) << "step " << steps;
    EXPECT_GE(readyPods, c.replicas - c.unavailable) << "step " << steps;
  }
  ASSERT_TRUE(complete("shop"));
  EXPECT_GT(newSizes.size(), 1u);  // scaled up in steps, not at once

  Json d = get(std::string(kDeployments) + "/shop");
  Json oldRs = get(std::string(kReplicaSets) + "/shop-" + oldHash);
  Json newRs = get(std::string(kReplicaSets) + "/shop-" + newHash);
  EXPECT_EQ(oldRs["spec"]["replicas"], 0);
  EXPECT_EQ(oldRs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(newRs["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "2");
  EXPECT_EQ(d["status"]["observedGeneration"], d["metadata"]["generation"]);
  EXPECT_EQ(d["status"]["updatedReplicas"], c.replicas);
  EXPECT_EQ((*condition(d, "Progressing"))["reason"], "NewReplicaSetAvailable");
  EXPECT_EQ((*condition(d, "Progressing"))["message"],
            "ReplicaSet \"shop-" + newHash + "\" has successfully progressed.");
  for (const Json& p : items(kPods))
    EXPECT_EQ(p["metadata"]["labels"]["pod-template-hash"], newHash);
  auto scaling = eventMessages("ScalingReplicaSet");
  EXPECT_NE(std::find(scaling.begin(), scaling.end(),
                      "Scaled down replica set shop-" + oldHash + " to 0"),
            scaling.end());
  EXPECT_NE(
      std::find(scaling.begin(), scaling.end(),
                "Scaled up replica set shop-" + newHash + " to " + std::to_string(c.replicas)),
      scaling.end());
}

INSTANTIATE_TEST_SUITE_P(Strategies, RollingUpdateTest,
                         ::testing::Values(StrategyCase{3, "\"25%\"", "\"25%\"", 1, 0},
                                           StrategyCase{4, "\"25%\"", "\"25%\"", 1, 1},
                                           StrategyCase{4, "0", "1", 0, 1},
                                           StrategyCase{5, "2", "0", 2, 0},
                                           StrategyCase{10, "\"30%\"", "\"30%\"", 3, 3}));

TEST_F(WorldTest, RecreateStopsOldPodsBeforeStartingNewOnes) {
  create(deploymentJson("shop", 3, R"(, "strategy": {"type": "Recreate"})"));
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  const std::string oldHash =
      podTemplateHash(get(std::string(kDeployments) + "/shop")["spec"]["template"]);
  ASSERT_EQ(send("PATCH", std::string(kDeployments) + "/shop",
                 R"({"spec": {"template": {"metadata": {"labels": {"app": "shop", "v": "2"}}}}})",
                 "application/merge-patch+json")
                .status,
            200);
  bool sawNone = false;
  for (int i = 0; i < 400 && !complete("shop"); ++i) {
    step();
    int oldPods = 0, newPods = 0;
    for (const Json& p : items(kPods)) {
      (p["metadata"]["labels"]["pod-template-hash"] == oldHash ? oldPods : newPods)++;
    }
    EXPECT_FALSE(oldPods > 0 && newPods > 0) << "step " << i;
    sawNone = sawNone || (oldPods == 0 && newPods == 0);
  }
  EXPECT_TRUE(complete("shop"));
  EXPECT_TRUE(sawNone);
  EXPECT_EQ(items(kPods).size(), 3u);
}

TEST_F(WorldTest, RevisionGenerationMatchesTheRealController) {
  create(deploymentJson("shop", 2));
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  Json d = get(std::string(kDeployments) + "/shop");
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(d["status"]["observedGeneration"], d["metadata"]["generation"]);
  // A real controller writes the revision annotation through deployments/status, which resets
  // only spec and labels, so generation stays 1.
  EXPECT_EQ(d["metadata"]["generation"], 1);
}

// The real controller keeps spec.revisionHistoryLimit old ReplicaSets once a rollout is complete,
// deleting the oldest revisions first; `kubectl rollout undo` reaches what is kept.
TEST_F(WorldTest, OldReplicaSetsBeyondTheHistoryLimitAreDeletedOldestFirst) {
  create(deploymentJson("shop", 1));
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  ASSERT_EQ(send("PATCH", std::string(kDeployments) + "/shop",
                 R"({"spec":{"revisionHistoryLimit":1}})", "application/merge-patch+json")
                .status,
            200);
  for (const char* image : {"example/shop:v2", "example/shop:v3", "example/shop:v4"}) {
    const std::string patch = std::string(R"({"spec":{"template":{"spec":{"containers":[)") +
                              R"({"name":"app","image":")" + image + R"("}]}}}})";
    ASSERT_EQ(send("PATCH", std::string(kDeployments) + "/shop", patch,
                   "application/strategic-merge-patch+json")
                  .status,
              200);
    ASSERT_TRUE(stepUntil([&] { return complete("shop"); })) << image;
  }
  ASSERT_TRUE(stepUntil([&] { return items(kReplicaSets).size() == 2; }));
  std::vector<std::string> revisions;
  for (const Json& rs : items(kReplicaSets)) {
    revisions.push_back(rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]);
  }
  std::sort(revisions.begin(), revisions.end());
  EXPECT_EQ(revisions, (std::vector<std::string>{"3", "4"}));
}

TEST_F(WorldTest, NeverReadyPodsExceedTheProgressDeadline) {
  create(deploymentJson("stuck", 2, R"(, "progressDeadlineSeconds": 8)",
                        R"({"kubesim.io/telemetry-fault-never-ready": "true"})",
                        R"([{"name": "FEATURE_OTEL", "value": "true"}])"));
  const auto start = clock_.now();
  ASSERT_TRUE(stepUntil([&] { return clock_.now() - start >= seconds(7); }, 1000));
  Json d = get(std::string(kDeployments) + "/stuck");
  EXPECT_EQ((*condition(d, "Progressing"))["status"], "True");
  ASSERT_TRUE(stepUntil([&] { return clock_.now() - start >= seconds(10); }, 1000));
  d = get(std::string(kDeployments) + "/stuck");
  const std::string rsName = "stuck-" + podTemplateHash(d["spec"]["template"]);
  const Json& s = d["status"];
  EXPECT_EQ(s["observedGeneration"], d["metadata"]["generation"]);
  EXPECT_EQ(s["replicas"], 2);
  EXPECT_EQ(s["updatedReplicas"], 2);
  EXPECT_EQ(s["unavailableReplicas"], 2);
  EXPECT_FALSE(s.contains("readyReplicas"));
  EXPECT_FALSE(s.contains("availableReplicas"));
  const Json* a = condition(d, "Available");
  EXPECT_EQ((*a)["status"], "False");
  EXPECT_EQ((*a)["reason"], "MinimumReplicasUnavailable");
  EXPECT_EQ((*a)["message"], "Deployment does not have minimum availability.");
  const Json* p = condition(d, "Progressing");
  EXPECT_EQ((*p)["status"], "False");
  EXPECT_EQ((*p)["reason"], "ProgressDeadlineExceeded");
  EXPECT_EQ((*p)["message"], "ReplicaSet \"" + rsName + "\" has timed out progressing.");
  EXPECT_EQ(s["conditions"][1]["type"], "Progressing");
  for (const Json& pod : items(kPods)) {
    EXPECT_EQ(pod["status"]["phase"], "Running");
    EXPECT_EQ(pod["status"]["containerStatuses"][0]["ready"], false);
  }
}

TEST_F(WorldTest, NeverReadyFaultNeedsTheTelemetryFlag) {
  create(deploymentJson("calm", 2, "", R"({"kubesim.io/telemetry-fault-never-ready": "true"})"));
  EXPECT_TRUE(stepUntil([&] { return complete("calm"); }));
}

TEST_F(WorldTest, CrashLoopFaultRestartsContainers) {
  create(deploymentJson("crashy", 1, "", R"({"kubesim.io/telemetry-fault-crashloop": "true"})",
                        R"([{"name": "TELEMETRY_ENABLED", "value": "true"}])"));
  for (int i = 0; i < 10; ++i) step(seconds(5));
  Json pods = items(kPods);
  ASSERT_EQ(pods.size(), 1u);
  const Json& cs = pods[0]["status"]["containerStatuses"][0];
  EXPECT_GE(cs["restartCount"].get<int>(), 4);
  EXPECT_EQ(cs["ready"], false);
  EXPECT_EQ(cs["state"]["waiting"]["reason"], "CrashLoopBackOff");
  EXPECT_FALSE(complete("crashy"));
  // The restarts come with time alone, so the pod (and the stuck rollout) are stepped every pass.
  EXPECT_GE(world_.converging(), 2u);
}

TEST_F(WorldTest, ASettledClusterIsSteppedAgainOnlyWhenSomethingChanges) {
  create(deploymentJson("shop", 2));
  create(deploymentJson("cart", 1));
  ASSERT_TRUE(stepUntil([&] { return complete("shop") && complete("cart"); }));
  ASSERT_TRUE(stepUntil([&] { return world_.converging() == 0; }, 10));
  const std::uint64_t writes = world_.writesSent();
  for (int i = 0; i < 5; ++i) step();
  EXPECT_EQ(world_.writesSent(), writes);

  // A change wakes exactly the objects it concerns, and the world settles again.
  ASSERT_EQ(send("PATCH", std::string(kDeployments) + "/cart", R"({"spec": {"replicas": 2}})",
                 "application/merge-patch+json")
                .status,
            200);
  step();
  EXPECT_GT(world_.converging(), 0u);
  ASSERT_TRUE(stepUntil([&] { return complete("cart") && world_.converging() == 0; }));
  EXPECT_EQ(items(kPods).size(), 4u);

  // Objects that exist before a world does come from the feed's initial snapshot: a second
  // world's kubelet has not seen these 4 pods start, so it steps them on its next passes.
  World late{server_, clock_, WorldOptions{}};
  EXPECT_TRUE(late.reconcileAll().empty());
  EXPECT_EQ(late.converging(), 4u);
}

TEST_F(WorldTest, DeletingTheDeploymentCollectsReplicaSetsAndPods) {
  create(deploymentJson("shop", 2));
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  EXPECT_NE(world_.renderMetrics().find("deployment=\"shop\""), std::string::npos);
  api::Response r = send("DELETE", std::string(kDeployments) + "/shop");
  ASSERT_EQ(r.status, 200) << r.body;
  for (int i = 0; i < 5; ++i) step();
  EXPECT_TRUE(items(kDeployments).empty());
  EXPECT_TRUE(items(kReplicaSets).empty());
  EXPECT_TRUE(items(kPods).empty());
  EXPECT_EQ(world_.renderMetrics().find("deployment=\"shop\""), std::string::npos);
}

TEST_F(WorldTest, ScalingChangesPodCount) {
  create(deploymentJson("shop", 2));
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  ASSERT_EQ(send("PATCH", std::string(kDeployments) + "/shop", R"({"spec": {"replicas": 4}})",
                 "application/merge-patch+json")
                .status,
            200);
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  EXPECT_EQ(items(kPods).size(), 4u);
  ASSERT_EQ(send("PATCH", std::string(kDeployments) + "/shop", R"({"spec": {"replicas": 1}})",
                 "application/merge-patch+json")
                .status,
            200);
  ASSERT_TRUE(stepUntil([&] { return complete("shop"); }));
  EXPECT_EQ(items(kPods).size(), 1u);
  EXPECT_EQ(items(kReplicaSets).size(), 1u);
}

TEST_F(WorldTest, MetricsCoverEveryPodAndFollowTheKnobs) {
  create(deploymentJson(
      "api", 2, "",
      R"({"kubesim.io/error-ratio": "0.1", "kubesim.io/request-rate": "20", "kubesim.io/telemetry-fault-error-ratio": "0.5"})"));
  ASSERT_TRUE(stepUntil([&] { return complete("api"); }));
  for (int i = 0; i < 100; ++i) step(milliseconds(100));
  std::string first = world_.renderMetrics();
  for (const Json& p : items(kPods)) {
    const std::string name = p["metadata"]["name"];
    EXPECT_NE(first.find("pod=\"" + name + "\""), std::string::npos) << name;
  }
  const double total1 = sample(first, "http_requests_total");
  const double errors1 = sample(first, "http_requests_total", {"code=\"500\""});
  EXPECT_GT(total1, 300);  // 2 pods x 20/s x ~10 s
  // Telemetry off: the fault does not apply, only the plain error ratio.
  EXPECT_NEAR(errors1 / total1, 0.1, 0.01);
  for (int i = 0; i < 10; ++i) step(seconds(1));
  std::string second = world_.renderMetrics();
  EXPECT_GE(sample(second, "http_requests_total"), total1 + 380);
  EXPECT_GE(sample(second, "container_cpu_usage_seconds_total"),
            sample(first, "container_cpu_usage_seconds_total"));

  // Turn telemetry on with a collector: new pods pay the fault, and the collector reports.
  ASSERT_EQ(
      send(
          "PATCH", std::string(kDeployments) + "/api",
          R"({"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "shop:1", "env": [{"name": "FEATURE_OTEL", "value": "true"}]}, {"name": "otel-collector", "image": "otel/opentelemetry-collector-contrib:0.90.0"}]}}}})",
          "application/merge-patch+json")
          .status,
      200);
  ASSERT_TRUE(stepUntil([&] { return complete("api"); }));
  std::string before = world_.renderMetrics();
  for (int i = 0; i < 10; ++i) step(seconds(1));
  std::string after = world_.renderMetrics();
  const double total = sample(after, "http_requests_total") - sample(before, "http_requests_total");
  const double errors = sample(after, "http_requests_total", {"code=\"500\""}) -
                        sample(before, "http_requests_total", {"code=\"500\""});
  EXPECT_NEAR(errors / total, 0.6, 0.02);
  EXPECT_GT(sample(after, "otelcol_receiver_accepted_spans", {"container=\"otel-collector\""}), 0);
  EXPECT_GT(sample(after, "container_cpu_usage_seconds_total", {"container=\"otel-collector\""}),
            0);
}

// The server validates Deployments but not ReplicaSets: a ReplicaSet scaled to -5 must not crash
// the ReplicaSet controller (it used to index its pod list with the negative difference). Absurd
// sizes are clamped the same way (rollout_math_test: JsonUtilTest.ReplicaCountsAreClamped).
TEST_F(WorldTest, NegativeReplicaSetReplicasDeleteThePodsWithoutCrashing) {
  const std::string rs =
      R"({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "neg", "namespace": "default"}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "neg"}}, "template": {"metadata": {"labels": {"app": "neg"}}, "spec": {"containers": [{"name": "app", "image": "shop:1"}]}}}})";
  ASSERT_EQ(send("POST", kReplicaSets, rs).status, 201);
  ASSERT_TRUE(stepUntil([&] { return items(kPods).size() == 2; }));
  auto scaled = send("PATCH", std::string(kReplicaSets) + "/neg", R"({"spec": {"replicas": -5}})",
                     "application/merge-patch+json");
  ASSERT_EQ(scaled.status, 200) << scaled.body;
  ASSERT_TRUE(stepUntil([&] { return items(kPods).empty(); }));
  for (int i = 0; i < 5; ++i) step();
  EXPECT_TRUE(items(kPods).empty());

  // A Deployment cannot be written with negative replicas at all.
  api::Response bad = send("POST", kDeployments, deploymentJson("bad", -5));
  EXPECT_EQ(bad.status, 422) << bad.body;
}

TEST_F(WorldTest, BackgroundLoopConvergesOnSimulatedTime) {
  create(deploymentJson("bg", 2));
  world_.start();
  const auto wallDeadline = std::chrono::steady_clock::now() + seconds(30);
  while (!complete("bg") && std::chrono::steady_clock::now() < wallDeadline) {
    // Move time only once the loop is parked in its timed wait.
    while (clock_.waiters() == 0 && std::chrono::steady_clock::now() < wallDeadline) {
      std::this_thread::yield();
    }
    clock_.advance(milliseconds(50));
  }
  world_.stop();
  EXPECT_TRUE(complete("bg"));
}

}  // namespace
}  // namespace kubesim::world
