// Workload kinds as targets (workload_kind.h, observe.h): keys, what a rollout watches, and which
// workloads a rollout observes as targets, per spec.targetKinds.
#include "controllers/rollout/workload_kind.h"

#include <gtest/gtest.h>

#include <sstream>

#include "controllers/rollout/observe.h"
#include "operator/base/simulated_clock.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

TEST(WorkloadKind, KeysRoundTripAndDeploymentsKeepTheirBareName) {
  struct Case {
    TargetRef ref;
    std::string key;
    std::string described;
  };
  const Case cases[] = {
      {{WorkloadKind::Deployment, "app-1", ""}, "app-1", "Deployment app-1"},
      {{WorkloadKind::StatefulSet, "db", ""}, "statefulset/db", "StatefulSet db"},
      {{WorkloadKind::DaemonSet, "agent", ""}, "daemonset/agent", "DaemonSet agent"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(targetKey(c.ref), c.key);
    EXPECT_EQ(targetRef(c.key), c.ref) << c.key;
    EXPECT_EQ(describeTarget(c.key), c.described);
    EXPECT_EQ(workloadKindNamed(toString(c.ref.kind)), c.ref.kind);
  }
  // A key with an unknown prefix cannot come from a name (names hold no '/'): a Deployment's.
  EXPECT_EQ(targetRef("replicaset/x"), (TargetRef{WorkloadKind::Deployment, "replicaset/x", ""}));
  EXPECT_EQ(workloadKindNamed("statefulset"), std::nullopt);  // exact, as the schema's enum
  EXPECT_EQ(workloadResource(WorkloadKind::DaemonSet).resource, "daemonsets");
  EXPECT_EQ(workloadResource(WorkloadKind::StatefulSet).apiVersion(), "apps/v1");
}

TEST(WorkloadKind, KindOfAnObjectAndNamesForQueries) {
  EXPECT_EQ(workloadKindOf(Json{{"kind", "DaemonSet"}}), WorkloadKind::DaemonSet);
  EXPECT_EQ(workloadKindOf(Json{{"kind", "Pod"}}), WorkloadKind::Deployment);
  EXPECT_EQ(workloadKindOf(Json{{"kind", 3}}), WorkloadKind::Deployment);
  EXPECT_EQ(workloadKindOf(Json::array()), WorkloadKind::Deployment);
  EXPECT_EQ(targetKeyOf(Json{{"kind", "StatefulSet"}, {"metadata", {{"name", "db"}}}}),
            "statefulset/db");
  EXPECT_EQ(workloadNames({"web", "statefulset/db", "daemonset/web", "db"}),
            (std::vector<std::string>{"web", "db"}));
  // A baseline never holds a name of the enabled cohort (it would compare it with itself).
  EXPECT_EQ(workloadNames({"statefulset/api", "web", "cart"}, {"api", "cart"}),
            std::vector<std::string>{"web"});
}

TEST(WorkloadKind, WatchedKindsComeFromTheSpecAndFromTheTargetsStillListed) {
  struct Case {
    const char* name;
    const char* rollout;
    std::vector<WorkloadKind> want;
  };
  using K = WorkloadKind;
  const Case cases[] = {
      {"no targetKinds", R"({"spec": {}})", {K::Deployment}},
      {"all three",
       R"({"spec": {"targetKinds": ["DaemonSet", "StatefulSet", "Deployment"]}})",
       {K::Deployment, K::StatefulSet, K::DaemonSet}},
      {"invalid entries skipped",
       R"({"spec": {"targetKinds": ["Pod", 7, "DaemonSet"]}})",
       {K::Deployment, K::DaemonSet}},
      {"kind removed from the spec, targets still listed",
       R"({"spec": {}, "status": {"targets": [{"kind": "StatefulSet", "name": "db"},
           {"name": "web"}]}})",
       {K::Deployment, K::StatefulSet}},
      {"malformed",
       R"({"spec": [], "status": {"targets": {"kind": "DaemonSet"}}})",
       {K::Deployment}},
      {"not an object", R"("x")", {K::Deployment}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(watchedKinds(Json::parse(c.rollout)), c.want) << c.name;
  }
}

Json workload(const std::string& kind, const std::string& name, const std::string& strategy) {
  Json w = Json::parse(R"({"apiVersion": "apps/v1", "metadata": {"namespace": "shop",
    "generation": 1, "labels": {"otel": "on"}}, "spec": {"template": {"spec":
    {"containers": [{"name": "app", "image": "shop:1"}]}}}, "status": {"observedGeneration": 1}})");
  w["kind"] = kind;
  w["metadata"]["name"] = name;
  if (!strategy.empty()) w["spec"]["updateStrategy"] = {{"type", strategy}};
  return w;
}

TEST(WorkloadKind, ARolloutObservesTheKindsItTargetsAndLeavesOnDeleteAlone) {
  Json rollout = Json::parse(R"({"metadata": {"namespace": "shop", "name": "otel",
    "generation": 1}, "spec": {"selector": {"matchLabels": {"otel": "on"}},
    "flag": {"name": "FEATURE_OTEL"}, "strategy": {"steps": [{"setWeight": 100}]}}})");
  const std::vector<runtime::ObjectPtr> cached = {
      std::make_shared<const Json>(workload("Deployment", "web", "")),
      std::make_shared<const Json>(workload("StatefulSet", "db", "RollingUpdate")),
      std::make_shared<const Json>(workload("StatefulSet", "queue", "OnDelete")),
      std::make_shared<const Json>(workload("DaemonSet", "agent", "")),
      std::make_shared<const Json>([] {
        Json staged = workload("StatefulSet", "staged", "RollingUpdate");
        staged["spec"]["updateStrategy"]["rollingUpdate"] = {{"partition", 2}};
        return staged;
      }())};
  base::SimulatedClock clock;
  std::ostringstream logs;
  base::Logger log(clock, logs);
  auto keysOf = [](const Observed& o) {
    std::vector<std::string> keys;
    for (const auto& t : o.input.targets) keys.push_back(t.name);
    return keys;
  };

  Observed deploymentsOnly =
      observeAll(*typeRollout(std::make_shared<const Json>(rollout)), cached, clock.now(), {}, log);
  EXPECT_EQ(keysOf(deploymentsOnly), std::vector<std::string>{"web"});

  rollout["spec"]["targetKinds"] = {"Deployment", "StatefulSet", "DaemonSet"};
  Observed all =
      observeAll(*typeRollout(std::make_shared<const Json>(rollout)), cached, clock.now(), {}, log);
  EXPECT_EQ(keysOf(all),
            (std::vector<std::string>{"daemonset/agent", "statefulset/db", "statefulset/queue",
                                      "statefulset/staged", "web"}));
  ASSERT_EQ(all.input.injectConflicts.count("statefulset/queue"), 1u);
  EXPECT_NE(all.input.injectConflicts.at("statefulset/queue").find("OnDelete"), std::string::npos);
  // A partition would leave the lower ordinals without telemetry: left alone too.
  ASSERT_EQ(all.input.injectConflicts.count("statefulset/staged"), 1u);
  EXPECT_NE(all.input.injectConflicts.at("statefulset/staged").find("partition 2"),
            std::string::npos);
  EXPECT_EQ(all.input.injectConflicts.size(), 2u);
  EXPECT_EQ(all.deployments.count("statefulset/db"), 1u);
}

}  // namespace
}  // namespace tro::controllers
