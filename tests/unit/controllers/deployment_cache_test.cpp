// The Deployment cache (deployment_cache.h): what it keeps of a Deployment is everything a
// decision reads and everything a write is computed from; a reconcile finds exactly the
// Deployments its rollout selects or owns.
#include "controllers/rollout/deployment_cache.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/json_patch_diff.h"
#include "controllers/rollout/target_observation.h"
#include "controllers/rollout/typed_rollout.h"
#include "controllers/rollout/workload_health.h"
#include "controllers/rollout/workload_kind.h"
#include "tests/unit/controllers/real_deployment.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

// The real server's Deployment with a real Deployment controller's status and another team's
// annotation: everything a cached copy could lose.
Json liveDeployment() {
  Json d = testing::realDeployment();
  d["metadata"]["annotations"] = {{"deployment.kubernetes.io/revision", "1"},
                                  {"team.example/runbook", "https://runbooks.example/web"}};
  d["status"] = Json::parse(R"json({"observedGeneration": 1, "replicas": 2,
    "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2,
    "conditions": [{"type": "Available", "status": "True",
      "lastUpdateTime": "2026-11-21T05:39:31Z", "lastTransitionTime": "2026-11-21T05:39:31Z",
      "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."},
     {"type": "Progressing", "status": "True", "lastUpdateTime": "2026-11-21T05:39:31Z",
      "lastTransitionTime": "2026-11-21T05:39:28Z", "reason": "NewReplicaSetAvailable",
      "message": "ReplicaSet \"web-5d9c7b7f4\" has successfully progressed."}]})json");
  return d;
}

InjectionConfig injection() {
  InjectionConfig c;
  c.owner = "default/otel";
  c.flag = {"FEATURE_OTEL", "true", "false"};
  c.env = {{"OTEL_SERVICE_NAME", "$(DEPLOYMENT_NAME)"}};
  CollectorSpec collector;
  collector.image = "otel/opentelemetry-collector-contrib:0.90.0";
  collector.configMap = "otel-cfg";
  c.collector = collector;
  return c;
}

// What the cache hands a reader for `live`.
Json cached(const Json& live) {
  runtime::Store store(workloadStoreOptions(WorkloadKind::Deployment));
  store.apply(live);
  return *store.get("default", "web");
}

TEST(DeploymentCache, KeepsEverythingButManagedFields) {
  const Json live = liveDeployment();
  Json expected = live;
  expected["metadata"].erase("managedFields");
  EXPECT_EQ(cached(live), expected);
}

// The executor computes its first write from the cached copy and sends it against the server's
// object (managedFields and all): the patch must change the operator's fields only, and a
// restore computed from the cached copy of the result must give back the original exactly.
TEST(DeploymentCache, InjectThenRestoreThroughTheCacheGivesBackTheOriginal) {
  const Json live = liveDeployment();
  const Json copy = cached(live);
  auto on = desiredDeployment(copy, injection(), InjectionForm::Enabled);
  ASSERT_TRUE(on.ok()) << on.error().message;
  const Json injected = live.patch(makeJsonPatch(copy, *on));
  EXPECT_EQ(injected["metadata"]["managedFields"], live["metadata"]["managedFields"]);
  EXPECT_EQ(injected["status"], live["status"]);

  const Json copyOfInjected = cached(injected);
  auto back = desiredDeployment(copyOfInjected, injection(), InjectionForm::Restored);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(injected.patch(makeJsonPatch(copyOfInjected, *back)), live);
}

TEST(DeploymentCache, ThePlannerReadsTheSameFromTheCachedCopy) {
  const Json live = liveDeployment();
  Json injected = live.patch(
      makeJsonPatch(live, *desiredDeployment(live, injection(), InjectionForm::Enabled)));
  for (const Json& d : {live, injected}) {
    const Json copy = cached(d);
    EXPECT_EQ(observe(copy, "default/otel", configHash(injection())),
              observe(d, "default/otel", configHash(injection())));
    EXPECT_EQ(deploymentHealth(copy), deploymentHealth(d));
    EXPECT_EQ(ownerOf(copy), ownerOf(d));
  }
  EXPECT_EQ(ownerOf(cached(injected)), "default/otel");
}

Json deployment(const std::string& ns, const std::string& name, Json labels,
                const std::string& owner = "") {
  Json d = {{"metadata", {{"namespace", ns}, {"name", name}, {"labels", std::move(labels)}}}};
  if (!owner.empty()) d["metadata"]["annotations"] = {{annotations::kOwner, owner}};
  return d;
}

std::vector<std::string> names(const std::vector<runtime::ObjectPtr>& found) {
  std::vector<std::string> out;
  for (const auto& d : found) out.push_back((*d)["metadata"]["name"]);
  return out;
}

// A rollout's spec.selector as the controller holds it (typed_rollout.h).
std::optional<kube::LabelSelector> selectorOf(const Json& rollout) {
  return typeRollout(std::make_shared<const Json>(rollout))->selector;
}

TEST(DeploymentCache, CandidatesAreTheSelectedAndTheOwnedOfOneNamespace) {
  runtime::Store store(workloadStoreOptions(WorkloadKind::Deployment));
  store.apply(deployment("shop", "web", {{"otel", "on"}}));
  store.apply(deployment("shop", "api", {{"otel", "on"}}, "shop/other"));   // selected, claimed
  store.apply(deployment("shop", "left", {{"otel", "off"}}, "shop/otel"));  // departed
  store.apply(deployment("shop", "db", {{"otel", "off"}}));
  store.apply(deployment("blog", "web", {{"otel", "on"}}, "shop/otel"));  // other namespace
  const Json rollout = {{"metadata", {{"namespace", "shop"}, {"name", "otel"}}},
                        {"spec", {{"selector", {{"matchLabels", {{"otel", "on"}}}}}}}};
  EXPECT_EQ(names(candidates({&store}, "shop", selectorOf(rollout), "shop/otel")),
            (std::vector<std::string>{"api", "left", "web"}));

  // A Deployment that starts to match is found; one whose claim is gone and that no longer
  // matches is not.
  store.apply(deployment("shop", "db", {{"otel", "on"}}));
  store.apply(deployment("shop", "left", {{"otel", "off"}}));
  EXPECT_EQ(names(candidates({&store}, "shop", selectorOf(rollout), "shop/otel")),
            (std::vector<std::string>{"api", "db", "web"}));

  // An invalid or empty selector selects nothing; the owned ones are still found.
  store.apply(deployment("shop", "left", {{"otel", "off"}}, "shop/otel"));
  for (const Json& selector : {Json::object(), Json{{"matchLabels", {{"bad key!", "x"}}}}}) {
    Json invalid = rollout;
    invalid["spec"]["selector"] = selector;
    EXPECT_EQ(names(candidates({&store}, "shop", selectorOf(invalid), "shop/otel")),
              std::vector<std::string>{"left"})
        << selector.dump();
  }
}

TEST(DeploymentCache, CandidatesFromSeveralCachesAreCountedOnce) {
  runtime::Store a(workloadStoreOptions(WorkloadKind::Deployment));
  runtime::Store b(workloadStoreOptions(WorkloadKind::Deployment));
  for (auto* s : {&a, &b}) s->apply(deployment("shop", "web", {{"otel", "on"}}, "shop/otel"));
  const Json rollout = {{"metadata", {{"namespace", "shop"}, {"name", "otel"}}},
                        {"spec", {{"selector", {{"matchLabels", {{"otel", "on"}}}}}}}};
  EXPECT_EQ(names(candidates({&a, &b}, "shop", selectorOf(rollout), "shop/otel")),
            std::vector<std::string>{"web"});
}

TEST(DeploymentCache, EachKindsCacheStampsItsKindAndWorkloadsOfKindsDoNotCollide) {
  runtime::Store deployments(workloadStoreOptions(WorkloadKind::Deployment));
  runtime::Store statefulSets(workloadStoreOptions(WorkloadKind::StatefulSet));
  runtime::Store daemonSets(workloadStoreOptions(WorkloadKind::DaemonSet));
  // A LIST's items carry no kind or apiVersion; the caches say what each one is.
  for (runtime::Store* s : {&deployments, &statefulSets, &daemonSets}) {
    Json item = deployment("shop", "web", {{"otel", "on"}});
    item.erase("kind");
    item.erase("apiVersion");
    s->apply(item);
  }
  EXPECT_EQ((*statefulSets.get("shop", "web"))["kind"], "StatefulSet");
  EXPECT_EQ((*statefulSets.get("shop", "web"))["apiVersion"], "apps/v1");
  EXPECT_EQ((*daemonSets.get("shop", "web"))["kind"], "DaemonSet");
  EXPECT_EQ((*deployments.get("shop", "web"))["kind"], "Deployment");
  const Json rollout = {{"metadata", {{"namespace", "shop"}, {"name", "otel"}}},
                        {"spec", {{"selector", {{"matchLabels", {{"otel", "on"}}}}}}}};
  std::vector<std::string> keys;
  for (const auto& w : candidates({&deployments, &statefulSets, &daemonSets}, "shop",
                                  selectorOf(rollout), "shop/otel")) {
    keys.push_back(targetKeyOf(*w));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"daemonset/web", "statefulset/web", "web"}));
}

}  // namespace
}  // namespace tro::controllers
