// A rollout parsed once per version at the cache boundary (typed_rollout.h).
#include "controllers/rollout/typed_rollout.h"

#include <gtest/gtest.h>

namespace tro::controllers {
namespace {

using kube::Json;

runtime::ObjectPtr rollout(const std::string& rv, Json spec, Json status = Json()) {
  Json r = {{"apiVersion", "rollout.telemetry.io/v1alpha1"},
            {"kind", "TelemetryRollout"},
            {"metadata",
             {{"namespace", "shop"}, {"name", "otel"}, {"resourceVersion", rv}, {"generation", 3}}},
            {"spec", std::move(spec)}};
  if (!status.is_null()) r["status"] = std::move(status);
  return std::make_shared<const Json>(std::move(r));
}

const Json kSpec = Json::parse(R"({
  "selector": {"matchLabels": {"app.kubernetes.io/part-of": "shop"}},
  "targetKinds": ["Deployment", "StatefulSet"],
  "flag": {"name": "FEATURE_OTEL"},
  "strategy": {"steps": [{"setWeight": 50}, {"setWeight": 100}]}})");

TEST(TypedRollout, HoldsWhatEveryReaderAsksFor) {
  const TypedRolloutPtr t = typeRollout(rollout("7", kSpec));
  EXPECT_EQ(t->key, "shop/otel");
  EXPECT_EQ(t->resourceVersion, "7");
  EXPECT_EQ(t->identity.generation, 3);
  EXPECT_FALSE(t->clusterScoped());
  ASSERT_TRUE(t->spec.spec.has_value()) << t->spec.summary();
  EXPECT_EQ(t->spec.spec->steps.size(), 2u);
  EXPECT_EQ(t->specHash, rolloutSpecHash(kSpec));
  ASSERT_TRUE(t->selector.has_value());
  EXPECT_TRUE(t->selector->matches(Json{{"app.kubernetes.io/part-of", "shop"}}));
  EXPECT_FALSE(t->namespaceSelector.has_value()) << "a TelemetryRollout selects no namespace";
  EXPECT_EQ(t->watchedKinds,
            (std::vector<WorkloadKind>{WorkloadKind::Deployment, WorkloadKind::StatefulSet}));
}

// Every field is a tenant's input: nothing malformed throws, and a malformed rollout selects
// nothing and reports its spec invalid.
TEST(TypedRollout, AMalformedRolloutIsInvalidAndSelectsNothing) {
  for (const Json& malformed : {Json(nullptr), Json::array(), Json("spec"), Json{{"selector", 3}},
                                Json{{"selector", Json::object()}},
                                Json{{"selector", {{"matchLabels", {{"bad key!", "x"}}}}}}}) {
    const TypedRolloutPtr t = typeRollout(rollout("1", malformed, Json{{"targets", 5}}));
    EXPECT_FALSE(t->spec.spec.has_value()) << malformed.dump();
    EXPECT_FALSE(t->selector.has_value()) << malformed.dump();
    EXPECT_TRUE(t->listedNamespaces.empty());
    EXPECT_EQ(t->watchedKinds, std::vector<WorkloadKind>{WorkloadKind::Deployment});
  }
  const TypedRolloutPtr noMetadata =
      typeRollout(std::make_shared<const Json>(Json{{"spec", kSpec}}));
  EXPECT_EQ(noMetadata->key, "");
}

TEST(TypedRollout, ACluserRolloutCarriesItsNamespaceSelectorAndListedNamespaces) {
  Json spec = kSpec;
  spec["namespaceSelector"] = {{"matchLabels", {{"telemetry", "staging"}}}};
  const Json status = Json::parse(R"({"targets": [
    {"namespace": "team-b", "name": "api"}, {"namespace": "team-a", "name": "api"},
    {"namespace": "team-b", "name": "web"}]})");
  Json r = *rollout("9", spec, status);
  r["metadata"].erase("namespace");
  const TypedRolloutPtr t = typeRollout(std::make_shared<const Json>(std::move(r)));
  EXPECT_TRUE(t->clusterScoped());
  EXPECT_EQ(t->key, "otel");
  ASSERT_TRUE(t->namespaceSelector.has_value());
  EXPECT_TRUE(t->namespaceSelector->matches(Json{{"telemetry", "staging"}}));
  EXPECT_EQ(t->listedNamespaces, (std::vector<std::string>{"team-a", "team-b"}));
}

// One parse per version: the same version (or the very object) is the same value; a new version
// is parsed anew; a forgotten key starts over.
TEST(TypedRollouts, ParseEachVersionOnce) {
  TypedRollouts typed;
  const runtime::ObjectPtr v7 = rollout("7", kSpec);
  const TypedRolloutPtr first = typed.of(v7);
  EXPECT_EQ(typed.of(v7), first);
  EXPECT_EQ(typed.of(rollout("7", kSpec)), first) << "another copy of the same version";
  Json changed = kSpec;
  changed["strategy"]["steps"] = Json::array({{{"setWeight", 100}}});
  const TypedRolloutPtr second = typed.of(rollout("8", changed));
  EXPECT_NE(second, first);
  EXPECT_EQ(second->spec.spec->steps.size(), 1u);
  EXPECT_EQ(typed.size(), 1u);
  typed.forget("shop/otel");
  EXPECT_EQ(typed.size(), 0u);
  EXPECT_NE(typed.of(v7), first);
}

}  // namespace
}  // namespace tro::controllers
