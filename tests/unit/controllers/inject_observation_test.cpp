#include <gtest/gtest.h>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/target_observation.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using State = TargetObservation::State;

Json deployment(const Json& annotations) {
  Json d = {{"metadata", {{"name", "cart"}, {"namespace", "shop"}, {"generation", 1}}},
            {"spec", {{"replicas", 1}}},
            {"status",
             {{"observedGeneration", 1},
              {"replicas", 1},
              {"updatedReplicas", 1},
              {"availableReplicas", 1}}}};
  if (!annotations.is_null()) d["metadata"]["annotations"] = annotations;
  return d;
}

TEST(InjectObserve, ReadsOperatorAnnotations) {
  namespace a = annotations;
  struct Case {
    const char* what;
    Json annotations;
    std::string claimedBy;
    bool claimedByOther;
    State state;
    std::string hash;
    bool upToDate;
  };
  const Case cases[] = {
      {"no annotations", Json(), "", false, State::None, "", false},
      {"unrelated annotations", {{"team", "x"}}, "", false, State::None, "", false},
      {"ours, enabled, current",
       {{a::kOwner, "shop/otel"}, {a::kState, "enabled"}, {a::kConfigHash, "abc"}},
       "shop/otel",
       false,
       State::Enabled,
       "abc",
       true},
      {"ours, disabled, stale",
       {{a::kOwner, "shop/otel"}, {a::kState, "disabled"}, {a::kConfigHash, "old"}},
       "shop/otel",
       false,
       State::Disabled,
       "old",
       false},
      {"other rollout",
       {{a::kOwner, "shop/other"}, {a::kState, "enabled"}, {a::kConfigHash, "abc"}},
       "shop/other",
       true,
       State::Enabled,
       "abc",
       true},
      {"unknown state",
       {{a::kOwner, "shop/otel"}, {a::kState, "weird"}},
       "shop/otel",
       false,
       State::None,
       "",
       false},
      {"non-string values ignored",
       {{a::kOwner, 5}, {a::kState, true}},
       "",
       false,
       State::None,
       "",
       false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const TargetObservation o = observe(deployment(c.annotations), "shop/otel", "abc");
    EXPECT_EQ(o.name, "cart");
    EXPECT_EQ(o.claimedBy, c.claimedBy);
    EXPECT_EQ(o.claimedByOther, c.claimedByOther);
    EXPECT_EQ(toString(o.state), std::string(toString(c.state)));
    EXPECT_EQ(o.configHash, c.hash);
    EXPECT_EQ(o.upToDate, c.upToDate);
    EXPECT_EQ(o.health.state, RolloutHealth::State::Healthy);
  }
}

TEST(InjectObserve, EmptyDesiredHashIsNeverUpToDate) {
  const TargetObservation o = observe(deployment(Json::object()), "shop/otel", "");
  EXPECT_FALSE(o.upToDate);
}

TEST(InjectObserve, CarriesHealth) {
  Json d = deployment(Json());
  d["metadata"]["generation"] = 2;
  const TargetObservation o = observe(d, "shop/otel", "abc");
  EXPECT_EQ(o.health.state, RolloutHealth::State::Progressing);
  EXPECT_EQ(o.health.message, "Waiting for deployment spec update to be observed...");
}

}  // namespace
}  // namespace tro::controllers
