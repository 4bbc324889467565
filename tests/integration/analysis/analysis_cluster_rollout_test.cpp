// ClusterTelemetryRollout (issue 15) end to end: the real operator, kubesim, kubectl and a real
// Prometheus. One cluster rollout over three namespaces labelled telemetry=staging, each with two
// Deployments, a StatefulSet and a DaemonSet (12 workloads):
//  - it enables them in waves counted across the namespaces (namespace, kind, name order),
//    holds, succeeds, and its deletion gives every template back byte for byte; a fourth,
//    unlabelled namespace with the same workloads is never touched;
//  - an error-rate breach in one namespace (its queries are asked per namespace) rolls back
//    every enabled workload in all three, and says which namespace breached;
//  - a TelemetryRollout stays in its namespace: the schema refuses a namespaceSelector on it, and
//    the workloads it holds are a cluster rollout's conflicts, not its targets.

#include <gtest/gtest.h>

#include <set>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::analysis {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kTeams = {"team-a", "team-b", "team-c"};
constexpr const char* kOutside = "sandbox";  // same workloads, not labelled telemetry=staging

// PROMETHEUS_URL and STEPS are filled in per test.
constexpr const char* kClusterRollout = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: ClusterTelemetryRollout
metadata: {name: staging}
spec:
  namespaceSelector: {matchLabels: {telemetry: staging}}
  selector: {matchLabels: {app.kubernetes.io/part-of: shop}}
  targetKinds: [Deployment, StatefulSet, DaemonSet]
  flag: {name: FEATURE_OTEL}
  env:
    - {name: OTEL_RESOURCE_ATTRIBUTES, value: "k8s.namespace.name=$(POD_NAMESPACE)"}
  strategy:
    steps: STEPS
  analysis:
    prometheus: {address: "PROMETHEUS_URL", timeout: 2s}
    interval: 1s
    queries:
      - name: error-rate
        query: sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"{{targets}}",code=~"5.."}[5s])) / sum(rate(http_requests_total{namespace="{{namespace}}",deployment=~"{{targets}}"}[5s]))
        max: 0.02
)yaml";

// A StatefulSet or DaemonSet of the shop, with the Deployments' app container.
std::string podSetYaml(const std::string& ns, const std::string& kind, const std::string& name) {
  std::string y = "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
                  "\n  namespace: " + ns + "\n  labels: {app.kubernetes.io/part-of: shop}\nspec:\n";
  if (kind == "StatefulSet") y += "  replicas: 2\n  serviceName: " + name + "\n";
  return y + "  selector:\n    matchLabels: {app.kubernetes.io/name: " + name +
         "}\n  template:\n    metadata:\n      labels: {app.kubernetes.io/name: " + name +
         "}\n    spec:\n      containers:\n      - name: app\n        image: registry.example/" +
         name + ":1.0.0\n        env:\n        - {name: FEATURE_OTEL, value: \"false\"}\n";
}

class ClusterRolloutTest : public ::testing::Test {
 protected:
  // `faults`: knob annotations per "<namespace>/<deployment>".
  void SetUp() override { start({}); }

  void start(const std::map<std::string, std::map<std::string, std::string>>& faults) {
    std::string error;
    cluster_ = AnalysisCluster::start(highErrorRateRule(), error);
    ASSERT_NE(cluster_, nullptr) << error;
    std::vector<std::string> namespaces = kTeams;
    namespaces.push_back(kOutside);
    for (const std::string& ns : namespaces) {
      ASSERT_TRUE(cluster_->apply(ns + ".yaml", namespaceYaml(ns))) << cluster_->lastError();
      if (ns != kOutside) {
        ASSERT_EQ(cluster_->kubectl({"label", "namespace", ns, "telemetry=staging"}).exitCode, 0);
      }
      std::vector<App> apps;
      for (const char* name : {"api", "web"}) {
        App app{name, "shop", "false", {}};
        app.annotations["kubesim.io/request-rate"] = "50";
        if (auto f = faults.find(ns + "/" + name); f != faults.end()) {
          for (const auto& [k, v] : f->second) app.annotations[k] = v;
        }
        apps.push_back(app);
      }
      ASSERT_TRUE(cluster_->applyApps(ns, apps)) << cluster_->lastError();
      ASSERT_TRUE(cluster_->apply(ns + "-sets.yaml", podSetYaml(ns, "StatefulSet", "db") + "---\n" +
                                                         podSetYaml(ns, "DaemonSet", "agent")))
          << cluster_->lastError();
      for (const char* ref : {"statefulset/db", "daemonset/agent"}) {
        ASSERT_EQ(cluster_->kubectl({"-n", ns, "rollout", "status", ref, "--timeout=60s"}).exitCode,
                  0)
            << ns << " " << ref;
      }
      ASSERT_TRUE(cluster_->waitForScrapes(ns, {"api", "web"})) << cluster_->lastError();
    }
    before_ = templates();
    ASSERT_EQ(before_.size(), 16u);
  }

  // `.spec.template` of every workload of the shop, by "<namespace>/<kind>/<name>", one kubectl.
  std::map<std::string, std::string> templates() {
    RunResult r = cluster_->kubectl({"get", "deployments,statefulsets,daemonsets", "-A", "-l",
                                     "app.kubernetes.io/part-of=shop", "-o", "json"});
    std::map<std::string, std::string> out;
    Json list = Json::parse(r.out, nullptr, false);
    if (list.is_discarded()) return out;
    for (const Json& w : list.value("items", Json::array())) {
      out[w["metadata"].value("namespace", "") + "/" + w.value("kind", "") + "/" +
          w["metadata"].value("name", "")] = w["spec"]["template"].dump();
      workloads_[w["metadata"].value("namespace", "") + "/" + w.value("kind", "") + "/" +
                 w["metadata"].value("name", "")] = w;
    }
    return out;
  }

  std::string flagOf(const std::string& key) {
    templates();
    auto it = workloads_.find(key);
    if (it == workloads_.end()) return "<missing>";
    return envValue(it->second, "app", "FEATURE_OTEL").value_or("<unset>");
  }

  Json clusterRollout() {
    RunResult r = cluster_->kubectl({"get", "ctro", "staging", "-o", "json"});
    if (r.exitCode != 0) return Json();
    Json parsed = Json::parse(r.out, nullptr, false);
    return parsed.is_discarded() ? Json() : parsed;
  }

  bool waitForStatus(const std::function<bool(const Json&)>& condition,
                     std::chrono::milliseconds deadline = 90s) {
    return waitFor([&] { return condition(clusterRollout().value("status", Json::object())); },
                   deadline);
  }

  // status.targets as "<namespace>/<kind>/<name>=<state>".
  static std::vector<std::string> targetStates(const Json& status) {
    std::vector<std::string> out;
    for (const Json& t : status.value("targets", Json::array())) {
      out.push_back(t.value("namespace", "") + "/" + t.value("kind", "Deployment") + "/" +
                    t.value("name", "") + "=" + t.value("state", ""));
    }
    return out;
  }

  void applyClusterRollout(const std::string& steps) {
    ASSERT_TRUE(cluster_->apply(
        "staging.yaml", fill(kClusterRollout,
                             {{"PROMETHEUS_URL", cluster_->prometheus().url()}, {"STEPS", steps}})))
        << cluster_->lastError();
  }

  std::string diagnostics() {
    return "\n--- cluster rollout:\n" + clusterRollout().value("status", Json::object()).dump(2) +
           cluster_->diagnostics("default", "staging");
  }

  std::unique_ptr<AnalysisCluster> cluster_;
  std::map<std::string, std::string> before_;
  std::map<std::string, Json> workloads_;
};

TEST_F(ClusterRolloutTest, SucceedsInWavesAcrossNamespacesAndDeletionGivesEveryTemplateBack) {
  applyClusterRollout("[{setWeight: 25}, {pause: {}}, {setWeight: 100}, {pause: {duration: 2s}}]");
  // The first wave: 25% of 12 targets, the first three in key order, all in team-a.
  ASSERT_TRUE(waitForStatus([](const Json& s) { return s.value("phase", "") == "Paused"; }))
      << diagnostics();
  Json status = clusterRollout()["status"];
  std::vector<std::string> expected;
  for (const std::string& ns : kTeams) {
    for (const char* w :
         {"DaemonSet/agent", "Deployment/api", "Deployment/web", "StatefulSet/db"}) {
      expected.push_back(
          ns + "/" + w + "=" +
          (ns == "team-a" && std::string(w) != "StatefulSet/db" ? "Enabled" : "Pending"));
    }
  }
  EXPECT_EQ(targetStates(status), expected) << status.dump(2);
  EXPECT_EQ(status.value("targetProgress", ""), "3/12") << status.dump(2);
  EXPECT_EQ(flagOf("team-a/Deployment/api"), "true");
  EXPECT_EQ(flagOf("team-b/Deployment/api"), "false");

  ASSERT_EQ(
      cluster_->kubectl({"annotate", "ctro", "staging", "rollout.telemetry.io/promote=first-wave"})
          .exitCode,
      0);
  ASSERT_TRUE(waitForStatus([](const Json& s) { return s.value("phase", "") == "Succeeded"; }))
      << diagnostics();
  status = clusterRollout()["status"];
  EXPECT_EQ(status.value("targetProgress", ""), "12/12") << status.dump(2);
  for (const auto& [key, text] : templates()) {
    const bool inside = key.rfind(std::string(kOutside) + "/", 0) != 0;
    EXPECT_EQ(flagOf(key), inside ? "true" : "false") << key;
    if (!inside) {
      EXPECT_EQ(text, before_.at(key)) << key;
    }
  }
  // Each kind's own rollout went through, in every namespace.
  for (const std::string& ns : kTeams) {
    for (const char* ref : {"deployment/api", "statefulset/db", "daemonset/agent"}) {
      EXPECT_EQ(cluster_->kubectl({"-n", ns, "rollout", "status", ref, "--timeout=60s"}).exitCode,
                0)
          << ns << " " << ref;
    }
  }
  // The rollout's Events are in "default", as a cluster-scoped object's; the workloads' in theirs.
  EXPECT_FALSE(eventsWith(cluster_->events("default", "staging"), "Succeeded").empty())
      << diagnostics();
  EXPECT_FALSE(eventsWith(cluster_->events("team-c", "db"), "TargetEnabled").empty());

  ASSERT_EQ(cluster_->kubectl({"delete", "ctro", "staging", "--timeout=60s"}).exitCode, 0)
      << diagnostics();
  EXPECT_EQ(templates(), before_);
  for (const auto& [key, w] : workloads_) {
    const Json annotations = w["metadata"].value("annotations", Json::object());
    for (auto it = annotations.begin(); it != annotations.end(); ++it) {
      EXPECT_EQ(it.key().rfind("rollout.telemetry.io/", 0), std::string::npos)
          << key << " keeps " << it.key();
    }
  }
}

TEST_F(ClusterRolloutTest, ANamespacedRolloutStaysInItsNamespaceAndOwnsWhatItHolds) {
  // The schema of a TelemetryRollout has no namespaceSelector: a real server refuses it (kubectl
  // validates strictly), so a tenant cannot even ask.
  const std::string reaching = R"yaml(apiVersion: rollout.telemetry.io/v1alpha1
kind: TelemetryRollout
metadata: {name: reach, namespace: team-a}
spec:
  namespaceSelector: {matchLabels: {telemetry: staging}}
  selector: {matchLabels: {app.kubernetes.io/part-of: shop}}
  flag: {name: FEATURE_OTEL}
  strategy: {steps: [{setWeight: 100}]}
)yaml";
  RunResult refused =
      cluster_->kubectl({"apply", "-f", cluster_->kubesim().writeFile("reach.yaml", reaching)});
  EXPECT_NE(refused.exitCode, 0);
  EXPECT_NE(refused.err.find("unknown field \"spec.namespaceSelector\""), std::string::npos)
      << refused.err;

  // Without it, the same selector reaches team-a's workloads only.
  std::string own = reaching;
  own.erase(own.find("  namespaceSelector:"),
            own.find("  selector:") - own.find("  namespaceSelector:"));
  ASSERT_TRUE(cluster_->apply("own.yaml", own)) << cluster_->lastError();
  ASSERT_TRUE(cluster_->waitForPhase("team-a", "reach", "Succeeded", 60s))
      << cluster_->diagnostics("team-a", "reach");
  auto tenant = cluster_->rollout("team-a", "reach");
  ASSERT_TRUE(tenant);
  EXPECT_EQ(tenant->value(Json::json_pointer("/status/targetProgress"), ""), "2/2")
      << tenant->dump(2);
  for (const auto& [key, text] : templates()) {
    const bool teamADeployment = key.rfind("team-a/Deployment/", 0) == 0;
    EXPECT_EQ(flagOf(key), teamADeployment ? "true" : "false") << key;
    if (!teamADeployment) {
      EXPECT_EQ(text, before_.at(key)) << key;
    }
  }

  // A cluster rollout over the same namespaces leaves the tenant's Deployments to it.
  applyClusterRollout("[{setWeight: 100}]");
  ASSERT_TRUE(waitForStatus([](const Json& s) { return s.value("phase", "") == "Succeeded"; }))
      << diagnostics();
  const Json status = clusterRollout()["status"];
  std::set<std::string> conflicts;
  for (const std::string& t : targetStates(status)) {
    if (t.find("=Conflict") != std::string::npos) conflicts.insert(t);
  }
  EXPECT_EQ(conflicts, (std::set<std::string>{"team-a/Deployment/api=Conflict",
                                              "team-a/Deployment/web=Conflict"}))
      << status.dump(2);
  EXPECT_EQ(status.value("targetProgress", ""), "10/12") << status.dump(2);
  ASSERT_TRUE(cluster_->rollout("team-a", "reach"));
  EXPECT_EQ(cluster_->rollout("team-a", "reach")->value(Json::json_pointer("/status/phase"), ""),
            "Succeeded");
}

class ClusterRolloutBreachTest : public ClusterRolloutTest {
 protected:
  // team-b's api fails a third of its requests once telemetry is on.
  void SetUp() override {
    start({{"team-b/api", {{"kubesim.io/telemetry-fault-error-ratio", "0.3"}}}});
  }
};

TEST_F(ClusterRolloutBreachTest, ABreachInOneNamespaceRollsBackEveryNamespace) {
  applyClusterRollout("[{setWeight: 100}, {pause: {duration: 60s}}]");
  ASSERT_TRUE(waitForStatus([](const Json& s) { return s.value("phase", "") == "RolledBack"; }))
      << diagnostics();
  const Json status = clusterRollout()["status"];
  const Json rollback = status.value("rollback", Json::object());
  EXPECT_EQ(rollback.value("check", ""), "query/error-rate") << status.dump(2);
  EXPECT_NE(rollback.value("message", "").find("namespace team-b"), std::string::npos)
      << status.dump(2);
  // Every workload the rollout enabled, in every namespace, has its flag off again.
  ASSERT_TRUE(waitFor(
      [&] {
        for (const std::string& ns : kTeams) {
          for (const char* w :
               {"/Deployment/api", "/Deployment/web", "/StatefulSet/db", "/DaemonSet/agent"}) {
            if (flagOf(ns + w) != "false") return false;
          }
        }
        return true;
      },
      30s))
      << diagnostics();
  EXPECT_FALSE(eventsWith(cluster_->events("default", "staging"), "RolledBack", "team-b").empty())
      << diagnostics();
  for (const auto& [key, text] : templates()) {
    if (key.rfind(std::string(kOutside) + "/", 0) == 0) {
      EXPECT_EQ(text, before_.at(key)) << key;
    }
  }
}

}  // namespace
}  // namespace tro::testing::analysis
