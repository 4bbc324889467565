// Status writes follow transitions, not replica counts: a target's message in status does not
// copy kubectl's rollout wording (which changes at every replica count), so an operator watching
// a Deployment roll out computes the same status until something a reader cares about changes.

#include <gtest/gtest.h>

#include "planner_fixtures.h"

namespace tro::controllers::testing {
namespace {

using State = RolloutHealth::State;

// kubectl's messages while one Deployment rolls out (workload_health.h).
const std::vector<std::string> kRolloutMessages = {
    "Waiting for deployment spec update to be observed...",
    "Waiting for deployment \"a\" rollout to finish: 0 out of 2 new replicas have been updated...",
    "Waiting for deployment \"a\" rollout to finish: 1 out of 2 new replicas have been updated...",
    "Waiting for deployment \"a\" rollout to finish: 1 old replicas are pending termination...",
    "Waiting for deployment \"a\" rollout to finish: 1 of 2 updated replicas are available...",
};

TEST(PlannerStatusNoise, ReplicaCountsOfAWaveDoNotChangeTheStatus) {
  Driver d(specWith({weight(50), pause(1h), weight(100)}, /*analysis=*/false));
  d.world.add("a");
  d.world.add("b");
  d.reconcile();  // enables a, which starts rolling out
  d.reconcile();  // observes a rolling out
  const RolloutStatus waiting = d.status();
  ASSERT_EQ(waiting.target("a")->state, TargetState::Enabled);
  EXPECT_EQ(waiting.target("a")->message, "rolling out");
  for (const auto& message : kRolloutMessages) {
    PlanInput in = d.input();
    in.targets[0].health = {State::Progressing, message};
    Plan p = plan(in);
    EXPECT_TRUE(p.actions.empty()) << message;
    EXPECT_TRUE(p.events.empty()) << message;
    EXPECT_EQ(p.status, waiting) << message << "\n" << toJson(p.status).dump();
  }
}

TEST(PlannerStatusNoise, TargetMessageByHealth) {
  struct Case {
    State health;
    std::string kubectlMessage;
    std::string want;
  };
  const std::string deadline = "deployment \"a\" exceeded its progress deadline";
  for (const Case& c : std::vector<Case>{
           {State::Healthy, "deployment \"a\" successfully rolled out", ""},
           {State::Progressing, kRolloutMessages[1], "rolling out"},
           {State::Progressing, kRolloutMessages[4], "rolling out"},
           {State::Failed, deadline, deadline},
       }) {
    // After success nothing rolls back, so the target's own health is what status shows.
    Driver d(specWith({weight(100)}, /*analysis=*/false));
    d.world.add("a");
    d.reconcile();
    d.world.allHealthy();
    d.settle();
    ASSERT_EQ(d.status().phase, Phase::Succeeded);
    PlanInput in = d.input();
    in.targets[0].health = {c.health, c.kubectlMessage};
    Plan p = plan(in);
    ASSERT_NE(p.status.target("a"), nullptr);
    EXPECT_EQ(p.status.target("a")->state, TargetState::Enabled) << c.kubectlMessage;
    EXPECT_EQ(p.status.target("a")->message, c.want) << c.kubectlMessage;
  }
}

}  // namespace
}  // namespace tro::controllers::testing
