// ClusterTelemetryRollout, the pure parts: target keys across namespaces (workload_kind.h), the
// namespaces a rollout reaches (rollout_namespaces.h), its spec's scope rules (spec.h), its
// observation (observe.h), its status' targets (status.h) and its per-namespace analysis
// (analysis_groups.h).
#include <gtest/gtest.h>

#include <sstream>

#include "controllers/rollout/analysis_groups.h"
#include "controllers/rollout/annotations.h"
#include "controllers/rollout/observe.h"
#include "controllers/rollout/rollout_namespaces.h"
#include "controllers/rollout/spec.h"
#include "controllers/rollout/status.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/base/simulated_clock.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using K = WorkloadKind;

TEST(ClusterRolloutKeys, NameTheNamespaceAndAlwaysTheKind) {
  struct Case {
    TargetRef ref;
    std::string key;
    std::string described;
  };
  const Case cases[] = {
      {{K::Deployment, "api", "shop"}, "shop/deployment/api", "Deployment shop/api"},
      {{K::StatefulSet, "db", "shop"}, "shop/statefulset/db", "StatefulSet shop/db"},
      {{K::DaemonSet, "agent", "ops"}, "ops/daemonset/agent", "DaemonSet ops/agent"},
      // A namespace may be called like a kind: three parts are always namespace/kind/name.
      {{K::Deployment, "x", "statefulset"}, "statefulset/deployment/x", "Deployment statefulset/x"},
      // A namespaced rollout's keys are unchanged.
      {{K::StatefulSet, "db", ""}, "statefulset/db", "StatefulSet db"},
      {{K::Deployment, "api", ""}, "api", "Deployment api"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(targetKey(c.ref), c.key);
    EXPECT_EQ(targetRef(c.key), c.ref) << c.key;
    EXPECT_EQ(describeTarget(c.key), c.described);
  }
  const Json db = {{"kind", "StatefulSet"}, {"metadata", {{"namespace", "shop"}, {"name", "db"}}}};
  EXPECT_EQ(targetKeyOf(db), "statefulset/db");
  EXPECT_EQ(targetKeyOf(db, true), "shop/statefulset/db");
  // The namespaces a cluster rollout's status lists, whatever shape the status has.
  EXPECT_EQ(listedNamespaces(Json::parse(R"({"status": {"targets": [{"namespace": "b"},
      {"namespace": "a"}, {"name": "x"}, 3, {"namespace": "b"}, {"namespace": 7}]}})")),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(listedNamespaces(Json::parse(R"({"status": []})")).empty());
  // Query names drop the namespace (each analysis covers one, analysis_groups.h).
  EXPECT_EQ(workloadNames({"shop/deployment/api", "shop/statefulset/db"}),
            (std::vector<std::string>{"api", "db"}));
}

const char* kStrategy = R"("strategy": {"steps": [{"setWeight": 100}]})";

Json spec(const std::string& extra) {
  return Json::parse(R"({"selector": {"matchLabels": {"otel": "on"}},
    "flag": {"name": "FEATURE_OTEL"}, )" +
                     std::string(kStrategy) + extra + "}");
}

std::string problems(const ParsedSpec& p) { return p.spec ? "" : p.summary(); }

TEST(ClusterRolloutSpec, NamespaceSelectorIsRequiredThereAndRefusedOnATelemetryRollout) {
  struct Case {
    const char* name;
    std::string extra;
    RolloutScope scope;
    std::string problem;  // "" = valid
  };
  const Case cases[] = {
      {"cluster with a selector",
       R"(, "namespaceSelector": {"matchLabels": {"telemetry": "staging"}})", RolloutScope::Cluster,
       ""},
      {"cluster with an expression",
       R"(, "namespaceSelector": {"matchExpressions": [{"key": "kubernetes.io/metadata.name",
           "operator": "NotIn", "values": ["kube-system"]}]})",
       RolloutScope::Cluster, ""},
      {"cluster without", "", RolloutScope::Cluster, "spec.namespaceSelector: Required value"},
      {"cluster, empty", R"(, "namespaceSelector": {})", RolloutScope::Cluster,
       "spec.namespaceSelector: must not be empty"},
      {"cluster, not an object", R"(, "namespaceSelector": "all")", RolloutScope::Cluster,
       "spec.namespaceSelector"},
      {"cluster, bad operator",
       R"(, "namespaceSelector": {"matchExpressions": [{"key": "a", "operator": "Near"}]})",
       RolloutScope::Cluster, "spec.namespaceSelector"},
      {"namespaced with one", R"(, "namespaceSelector": {"matchLabels": {"a": "b"}})",
       RolloutScope::Namespaced, "spec.namespaceSelector: Forbidden"},
      {"namespaced without", "", RolloutScope::Namespaced, ""},
  };
  for (const Case& c : cases) {
    const ParsedSpec parsed = parseSpec(spec(c.extra), c.scope);
    if (c.problem.empty()) {
      EXPECT_TRUE(parsed.spec.has_value()) << c.name << ": " << parsed.summary();
      EXPECT_EQ(parsed.spec && parsed.spec->namespaceSelector.has_value(),
                c.scope == RolloutScope::Cluster)
          << c.name;
    } else {
      EXPECT_NE(problems(parsed).find(c.problem), std::string::npos)
          << c.name << ": " << parsed.summary();
    }
  }
}

runtime::ObjectPtr ns(const std::string& name, Json labels) {
  labels["kubernetes.io/metadata.name"] = name;
  return std::make_shared<const Json>(
      Json{{"metadata", {{"name", name}, {"labels", std::move(labels)}}}});
}

TEST(ClusterRolloutNamespaces, SelectedByLabelsAndReadWhereTargetsAreStillListed) {
  const std::vector<runtime::ObjectPtr> namespaces = {
      ns("shop", {{"telemetry", "staging"}}), ns("cart", {{"telemetry", "staging"}}),
      ns("billing", {{"telemetry", "prod"}}), ns("kube-system", Json::object())};
  struct Case {
    const char* name;
    const char* rollout;
    std::vector<std::string> selected;
    std::vector<std::string> read;
  };
  const Case cases[] = {
      {"namespaced: its own, whatever the spec says",
       R"({"metadata": {"namespace": "shop", "name": "r"},
           "spec": {"namespaceSelector": {"matchLabels": {"telemetry": "prod"}}}})",
       {"shop"},
       {"shop"}},
      {"cluster: by label",
       R"({"metadata": {"name": "c"},
           "spec": {"namespaceSelector": {"matchLabels": {"telemetry": "staging"}}}})",
       {"cart", "shop"},
       {"cart", "shop"}},
      {"cluster: by name",
       R"({"metadata": {"name": "c"},
           "spec": {"namespaceSelector": {"matchExpressions": [{"key":
             "kubernetes.io/metadata.name", "operator": "In", "values": ["billing"]}]}}})",
       {"billing"},
       {"billing"}},
      {"cluster: a namespace left the selector, its targets are still listed",
       R"({"metadata": {"name": "c"},
           "spec": {"namespaceSelector": {"matchLabels": {"telemetry": "prod"}}},
           "status": {"targets": [{"namespace": "shop", "name": "api"}, {"name": "x"}]}})",
       {"billing"},
       {"billing", "shop"}},
      {"cluster: an invalid selector selects nothing, listed targets are still read",
       R"({"metadata": {"name": "c"}, "spec": {"namespaceSelector": {}},
           "status": {"targets": [{"namespace": "cart", "name": "api"}]}})",
       {},
       {"cart"}},
      {"cluster: malformed", R"({"metadata": {"name": "c"}, "spec": [], "status": 3})", {}, {}},
  };
  for (const Case& c : cases) {
    const TypedRolloutPtr rollout =
        typeRollout(std::make_shared<const Json>(Json::parse(c.rollout)));
    const RolloutNamespaces got = rolloutNamespaces(*rollout, namespaces);
    EXPECT_EQ(got.selected, c.selected) << c.name;
    EXPECT_EQ(got.read, c.read) << c.name;
    // readsNamespace() answers the same question one namespace at a time.
    for (const auto& n : namespaces) {
      const std::string name = (*n)["metadata"]["name"];
      const bool reads = std::find(c.read.begin(), c.read.end(), name) != c.read.end();
      EXPECT_EQ(readsNamespace(*rollout, name, n.get()), reads) << c.name << ": " << name;
    }
  }
}

Json workload(const std::string& kind, const std::string& nsName, const std::string& name) {
  return Json{
      {"apiVersion", "apps/v1"},
      {"kind", kind},
      {"metadata",
       {{"namespace", nsName}, {"name", name}, {"generation", 1}, {"labels", {{"otel", "on"}}}}},
      {"spec",
       {{"replicas", 1},
        {"template", {{"spec", {{"containers", {{{"name", "app"}, {"image", "a:1"}}}}}}}}}},
      {"status", {{"observedGeneration", 1}}}};
}

TEST(ClusterRolloutObservation, TargetsOnlyInSelectedNamespacesAndOwnedOnesElsewhereGoBack) {
  Json rollout = Json::parse(R"({"metadata": {"name": "staging", "generation": 1},
    "spec": {"namespaceSelector": {"matchLabels": {"telemetry": "staging"}},
    "selector": {"matchLabels": {"otel": "on"}}, "targetKinds": ["Deployment", "StatefulSet"],
    "flag": {"name": "FEATURE_OTEL"}, "strategy": {"steps": [{"setWeight": 100}]}}})");
  Json departed = workload("Deployment", "billing", "old");
  departed["metadata"]["annotations"] = {{annotations::kOwner, "staging"}};
  Json foreign = workload("Deployment", "cart", "theirs");
  foreign["metadata"]["annotations"] = {{annotations::kOwner, "cart/own-rollout"}};
  const std::vector<runtime::ObjectPtr> cached = {
      std::make_shared<const Json>(workload("Deployment", "shop", "api")),
      std::make_shared<const Json>(workload("StatefulSet", "shop", "db")),
      std::make_shared<const Json>(workload("Deployment", "cart", "api")),
      std::make_shared<const Json>(std::move(foreign)),
      // Labelled, but its namespace is no longer selected: not a target; owned: given back.
      std::make_shared<const Json>(std::move(departed)),
      std::make_shared<const Json>(workload("Deployment", "billing", "unowned"))};
  base::SimulatedClock clock;
  std::ostringstream logs;
  base::Logger log(clock, logs);
  const Observed o = observeAll(*typeRollout(std::make_shared<const Json>(rollout)), cached,
                                clock.now(), {}, log, {"cart", "shop"});
  ASSERT_TRUE(o.input.spec.spec.has_value()) << o.input.spec.summary();
  EXPECT_EQ(o.input.rollout.key(), "staging");
  std::vector<std::string> keys;
  for (const auto& t : o.input.targets) keys.push_back(t.name);
  EXPECT_EQ(keys, (std::vector<std::string>{"cart/deployment/api", "cart/deployment/theirs",
                                            "shop/deployment/api", "shop/statefulset/db"}));
  // Another rollout's workload, whatever its kind, is observed as claimed by it.
  EXPECT_TRUE(o.input.targets[1].claimedByOther);
  ASSERT_EQ(o.input.departed.size(), 1u);
  EXPECT_EQ(o.input.departed[0].name, "billing/deployment/old");
  EXPECT_EQ(o.deployments.count("billing/deployment/unowned"), 0u);

  // The same spec on a TelemetryRollout is invalid: a tenant selects no namespace.
  rollout["metadata"]["namespace"] = "shop";
  const Observed tenant = observeAll(*typeRollout(std::make_shared<const Json>(rollout)), cached,
                                     clock.now(), {}, log, {"cart", "shop"});
  EXPECT_FALSE(tenant.input.spec.spec.has_value());
  EXPECT_TRUE(tenant.input.targets.empty());
}

TEST(ClusterRolloutStatus, TargetsCarryTheirNamespace) {
  RolloutStatus s;
  s.targets.push_back({"shop/statefulset/db", TargetState::Enabled, "h", ""});
  s.targets.push_back({"cart/deployment/api", TargetState::Pending, "", ""});
  const Json j = toJson(s);
  EXPECT_EQ(j["targets"][0], (Json{{"namespace", "shop"},
                                   {"kind", "StatefulSet"},
                                   {"name", "db"},
                                   {"state", "Enabled"},
                                   {"configHash", "h"}}));
  EXPECT_EQ(j["targets"][1], (Json{{"namespace", "cart"}, {"name", "api"}, {"state", "Pending"}}));
  auto back = statusFromJson(j);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->targets, s.targets);
}

TEST(ClusterRolloutAnalysis, OneAnalysisPerNamespaceWithEnabledTargets) {
  using analysis::AnalysisTargets;
  auto eq = [](const AnalysisTargets& a, const AnalysisTargets& b) {
    return a.namespaceName == b.namespaceName && a.enabled == b.enabled &&
           a.baseline == b.baseline && a.failedRollouts == b.failedRollouts;
  };
  struct Case {
    const char* name;
    Cohorts cohorts;
    std::string ns;
    std::vector<AnalysisTargets> want;
  };
  const Case cases[] = {
      {"namespaced: one analysis, names without kinds",
       {{"api", "statefulset/db"}, {"web", "statefulset/api"}, {"statefulset/db"}},
       "shop",
       {{"shop", {"api", "db"}, {"web"}, {"statefulset/db"}}}},
      {"cluster: per namespace with something enabled",
       {{"shop/deployment/api", "cart/statefulset/db"},
        {"shop/deployment/web", "cart/deployment/web", "billing/deployment/x"},
        {"cart/statefulset/db"}},
       "",
       {{"cart", {"db"}, {"web"}, {"db"}}, {"shop", {"api"}, {"web"}, {}}}},
      {"cluster: nothing enabled yet, every namespace with targets",
       {{}, {"shop/deployment/web", "cart/deployment/web"}, {}},
       "",
       {{"cart", {}, {"web"}, {}}, {"shop", {}, {"web"}, {}}}},
      {"cluster: no targets at all, one analysis for the alerts", {}, "", {{"", {}, {}, {}}}},
  };
  for (const Case& c : cases) {
    const auto got = analysisGroups(c.cohorts, c.ns);
    ASSERT_EQ(got.size(), c.want.size()) << c.name;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(eq(got[i], c.want[i])) << c.name << " #" << i << ": " << got[i].namespaceName;
    }
  }
}

analysis::Verdict verdict(analysis::Outcome outcome, const std::string& message,
                          std::vector<std::string> implicated = {}) {
  analysis::Verdict v;
  v.outcome = outcome;
  if (outcome != analysis::Outcome::Successful)
    v.reason = {"query/errors", 0.1, "max 0.05", message};
  v.implicated = implicated;
  v.checks.push_back({outcome, {"query/errors", 0.1, "max 0.05", message}, implicated});
  return v;
}

TEST(ClusterRolloutAnalysis, TheWorstNamespaceDecidesAndSaysWhichItIs) {
  using analysis::Outcome;
  // A namespaced rollout's one verdict, as it is: its messages are unchanged.
  const auto one = combineVerdicts(
      {{"shop", verdict(Outcome::Failed, "errors 0.1 > max 0.05", {"api"})}}, false);
  EXPECT_EQ(one.reason.message, "errors 0.1 > max 0.05");
  EXPECT_EQ(one.implicated, std::vector<std::string>{"api"});
  // A cluster rollout names the namespace even when only one was analysed (its first wave).
  const auto single =
      combineVerdicts({{"shop", verdict(Outcome::Failed, "errors 0.1 > max 0.05", {"api"})}}, true);
  EXPECT_EQ(single.reason.message, "namespace shop: errors 0.1 > max 0.05");
  EXPECT_EQ(single.implicated, std::vector<std::string>{"shop/api"});

  const auto failed = combineVerdicts({{"cart", verdict(Outcome::Inconclusive, "no data")},
                                       {"shop", verdict(Outcome::Failed, "errors", {"api"})},
                                       {"web", verdict(Outcome::Failed, "errors too")}},
                                      true);
  EXPECT_EQ(failed.outcome, Outcome::Failed);
  EXPECT_EQ(failed.reason.message, "namespace shop: errors");
  EXPECT_EQ(failed.implicated, std::vector<std::string>{"shop/api"});
  ASSERT_EQ(failed.checks.size(), 3u);
  EXPECT_EQ(failed.checks[0].reason.message, "namespace cart: no data");
  EXPECT_EQ(failed.checks[1].implicated, std::vector<std::string>{"shop/api"});

  const auto inconclusive = combineVerdicts({{"cart", verdict(Outcome::Successful, "")},
                                             {"shop", verdict(Outcome::Inconclusive, "down")}},
                                            true);
  EXPECT_EQ(inconclusive.outcome, Outcome::Inconclusive);
  EXPECT_EQ(inconclusive.reason.message, "namespace shop: down");

  const auto fine = combineVerdicts(
      {{"cart", verdict(Outcome::Successful, "")}, {"shop", verdict(Outcome::Successful, "")}},
      true);
  EXPECT_EQ(fine.outcome, Outcome::Successful);
  EXPECT_TRUE(fine.reason.message.empty());
  EXPECT_EQ(fine.checks.size(), 2u);
}

}  // namespace
}  // namespace tro::controllers
