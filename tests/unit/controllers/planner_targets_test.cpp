#include <gtest/gtest.h>

#include "controllers/rollout/conditions.h"
#include "controllers/rollout/targets.h"
#include "planner_fixtures.h"

namespace tro::controllers {
namespace {

using namespace std::chrono_literals;
using testing::pause;
using testing::setEnv;
using testing::weight;

TEST(PlannerWaveSize, CeilOfShareAtLeastOneNeverMoreThanEligible) {
  struct Case {
    int weight, eligible, want;
  };
  for (const Case& c : std::vector<Case>{{10, 10, 1},
                                         {10, 1, 1},
                                         {10, 11, 2},
                                         {1, 1000, 10},
                                         {1, 3, 1},
                                         {33, 3, 1},
                                         {34, 3, 2},
                                         {50, 3, 2},
                                         {50, 4, 2},
                                         {99, 100, 99},
                                         {100, 7, 7},
                                         {150, 7, 7},
                                         {0, 10, 0},
                                         {50, 0, 0},
                                         {-5, 10, 0}}) {
    EXPECT_EQ(waveSize(c.weight, c.eligible), c.want)
        << "weight " << c.weight << " eligible " << c.eligible;
  }
}

TEST(PlannerWeightAt, LastSetWeightAtOrBeforeTheStep) {
  std::vector<Step> steps{pause(1h),        weight(10), pause(1h),
                          setEnv("A", "1"), weight(50), pause(std::nullopt)};
  std::vector<std::pair<int, int>> cases{{0, 0},  {1, 10}, {2, 10}, {3, 10},
                                         {4, 50}, {5, 50}, {6, 50}, {99, 50}};
  for (auto [step, want] : cases) EXPECT_EQ(weightAt(steps, step), want) << "step " << step;
  EXPECT_EQ(weightAt({}, 0), 0);
}

TEST(PlannerSetEnvOverrides, AccumulatesInStepOrder) {
  std::vector<Step> steps{setEnv("A", "1"), weight(10), setEnv("A", "2"), setEnv("B", "x")};
  EXPECT_TRUE(setEnvOverrides(steps, -1).empty());
  EXPECT_EQ(setEnvOverrides(steps, 0), (std::vector<EnvVar>{{"A", "1"}}));
  EXPECT_EQ(setEnvOverrides(steps, 1), (std::vector<EnvVar>{{"A", "1"}}));
  EXPECT_EQ(setEnvOverrides(steps, 2), (std::vector<EnvVar>{{"A", "1"}, {"A", "2"}}));
  EXPECT_EQ(setEnvOverrides(steps, 9), (std::vector<EnvVar>{{"A", "1"}, {"A", "2"}, {"B", "x"}}));
}

TEST(PlannerCohorts, SplitsEnabledBaselineAndFailedRollouts) {
  auto obs = [](std::string name, std::string owner, TargetObservation::State state,
                RolloutHealth::State health) {
    TargetObservation t;
    t.name = std::move(name);
    t.claimedBy = std::move(owner);
    t.claimedByOther = !t.claimedBy.empty() && t.claimedBy != testing::kKey;
    t.state = state;
    t.health.state = health;
    return t;
  };
  using S = TargetObservation::State;
  using H = RolloutHealth::State;
  std::vector<TargetObservation> selected{
      obs("a", testing::kKey, S::Enabled, H::Healthy),
      obs("b", testing::kKey, S::Enabled, H::Failed),
      obs("c", testing::kKey, S::Disabled, H::Healthy),  // rolled back: baseline again
      obs("d", "", S::None, H::Progressing),
      obs("e", "shop/other", S::Enabled, H::Healthy),  // another rollout's
      obs("f", "", S::None, H::Healthy),               // inject conflict
  };
  Cohorts c = cohorts(selected, testing::kKey, {{"f", "valueFrom"}});
  EXPECT_EQ(c.enabled, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.baseline, (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(c.failedRollouts, (std::vector<std::string>{"b"}));
}

TEST(PlannerConditions, TransitionTimeMovesOnlyWhenStatusFlips) {
  std::vector<Condition> conditions;
  auto t1 = testing::t0();
  auto t2 = t1 + 1h;
  auto t3 = t2 + 1h;
  setCondition(conditions, "Ready", {false, "Progressing", "a"}, 1, t1);
  ASSERT_EQ(conditions.size(), 1u);
  EXPECT_EQ(conditions[0].status, "False");
  EXPECT_EQ(conditions[0].lastTransitionTime, t1);

  setCondition(conditions, "Ready", {false, "CanaryWindow", "b"}, 2, t2);
  EXPECT_EQ(conditions[0].reason, "CanaryWindow");
  EXPECT_EQ(conditions[0].message, "b");
  EXPECT_EQ(conditions[0].observedGeneration, 2);
  EXPECT_EQ(conditions[0].lastTransitionTime, t1) << "same status keeps the transition time";

  setCondition(conditions, "Ready", {true, "Succeeded", "c"}, 2, t3);
  EXPECT_EQ(conditions[0].status, "True");
  EXPECT_EQ(conditions[0].lastTransitionTime, t3);

  setCondition(conditions, "Stalled", {false, "AsExpected", ""}, 2, t3);
  ASSERT_EQ(conditions.size(), 2u);
  EXPECT_EQ(findCondition(conditions, "Stalled")->reason, "AsExpected");
  EXPECT_EQ(findCondition(conditions, "Nope"), nullptr);
}

}  // namespace
}  // namespace tro::controllers
