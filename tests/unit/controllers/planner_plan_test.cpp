// Progression: first reconcile, waves, step completion, canary windows, promote, setEnv, new
// generations, late joiners, requeue times. Every Driver::reconcile() also checks that a restart
// right after it would neither repeat a write nor an event.

#include <gtest/gtest.h>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/conditions.h"
#include "planner_fixtures.h"

namespace tro::controllers {
namespace {

using namespace testing;
using State = RolloutHealth::State;

std::string name(int i) { return std::string("app-") + (i < 10 ? "0" : "") + std::to_string(i); }

Driver withTargets(RolloutSpec spec, int n) {
  Driver d(std::move(spec));
  for (int i = 0; i < n; ++i) d.world.add(name(i));
  return d;
}

TEST(PlannerProgress, FirstReconcileAddsFinalizerAndStartsTheFirstWave) {
  Driver d = withTargets(
      specWith({weight(10), pause(30min), weight(50), pause(std::nullopt), weight(100)}), 10);
  Plan p = d.reconcile();
  EXPECT_TRUE(p.addFinalizer);
  ASSERT_EQ(p.actions.size(), 1u);
  EXPECT_EQ(p.actions[0], (TargetAction{"app-00", TargetForm::Enabled, false, 0, "h0"}));
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  EXPECT_EQ(p.status.observedGeneration, 1);
  EXPECT_EQ(p.status.currentStep, 0);
  EXPECT_EQ(p.status.stepStartedAt, t0());
  EXPECT_EQ(p.status.stepProgress, "1/5");
  EXPECT_EQ(p.status.targetProgress, "1/10");
  EXPECT_TRUE(hasEvent(p, "RolloutStarted"));
  EXPECT_TRUE(hasEvent(p, "WaveStarted"));
  ASSERT_TRUE(hasEvent(p, "TargetEnabled"));
  for (const auto& e : p.events) {
    if (e.reason == "TargetEnabled") {
      EXPECT_EQ(e.deployment, "app-00");
    }
  }
  EXPECT_EQ(condition(p.status, "Ready").status, "False");
  EXPECT_EQ(condition(p.status, "Ready").reason, "WaveRollingOut");
  EXPECT_EQ(condition(p.status, "Progressing").status, "True");
  EXPECT_EQ(condition(p.status, "Stalled").status, "False");
  EXPECT_EQ(condition(p.status, "Ready").observedGeneration, 1);
  EXPECT_FALSE(p.analysisDue) << "nothing is enabled yet, so nothing to analyse";
  EXPECT_FALSE(p.requeueAfter);

  Plan after = d.peek();  // the write landed; the Deployment is rolling out
  EXPECT_TRUE(after.actions.empty());
  EXPECT_FALSE(after.addFinalizer);
  EXPECT_EQ(after.status.message, "step 1/5: waiting for app-00 to roll out");
}

TEST(PlannerProgress, RestartBeforeTheWritesLandedAsksForTheSameWrites) {
  Driver d = withTargets(specWith({weight(50), pause(1h)}), 4);
  PlanInput in = d.input();
  Plan first = plan(in);
  in.status = first.status;  // the status was written, the Deployment writes were not
  Plan again = plan(in);
  EXPECT_EQ(again.actions, first.actions);
  EXPECT_EQ(names(again.actions), (std::vector<std::string>{"app-00", "app-01"}));
  EXPECT_TRUE(again.events.empty());
}

TEST(PlannerProgress, WaveIsTheCeilOfTheShareInNameOrder) {
  struct Case {
    int targets, weight;
    std::vector<std::string> enabled;
  };
  for (const Case& c : std::vector<Case>{
           {1, 1, {"app-00"}},
           {3, 10, {"app-00"}},
           {3, 34, {"app-00", "app-01"}},
           {4, 50, {"app-00", "app-01"}},
           {5, 50, {"app-00", "app-01", "app-02"}},
           {12, 25, {"app-00", "app-01", "app-02"}},
           {3, 100, {"app-00", "app-01", "app-02"}},
       }) {
    Driver d = withTargets(specWith({weight(c.weight), pause(std::nullopt)}), c.targets);
    Plan p = d.reconcile();
    EXPECT_EQ(names(p.actions), c.enabled) << c.targets << " targets at " << c.weight << "%";
  }
}

TEST(PlannerProgress, StepCompletesWhenEveryEnabledDeploymentIsHealthyThenWindowRuns) {
  Driver d = withTargets(specWith({weight(50), pause(30min), weight(100)}), 4);
  d.reconcile();
  Plan p = d.reconcile();  // rolling out: analysis already runs on the enabled ones
  EXPECT_EQ(p.status.currentStep, 0);
  EXPECT_EQ(p.status.analysis.lastRunAt, t0());
  EXPECT_EQ(p.requeueAfter, std::optional<base::Duration>(1min));

  d.world.setHealth("app-00", State::Healthy);
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 0) << "app-01 is still rolling out";
  EXPECT_EQ(p.status.message, "step 1/3: waiting for app-01 to roll out");

  d.world.allHealthy();
  d.advance(10s);
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.stepStartedAt, t0() + 10s);
  EXPECT_TRUE(hasEvent(p, "StepCompleted"));
  EXPECT_TRUE(hasEvent(p, "WindowStarted"));
  EXPECT_EQ(condition(p.status, "Progressing").reason, "CanaryWindow");
  EXPECT_EQ(p.requeueAfter, std::optional<base::Duration>(50s)) << "next analysis comes first";

  d.advance(29min);
  p = d.settle();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_TRUE(p.actions.empty());

  d.advance(1min);  // exactly the window's end: the end-of-window analysis passes it
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 2);
  EXPECT_TRUE(hasEvent(p, "WindowPassed"));
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"app-02", "app-03"}));

  d.world.allHealthy();
  p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Succeeded);
  EXPECT_EQ(p.status.stepProgress, "3/3");
  EXPECT_EQ(p.status.targetProgress, "4/4");
  EXPECT_TRUE(hasEvent(p, "Succeeded"));
  EXPECT_EQ(condition(p.status, "Ready").status, "True");
  EXPECT_EQ(condition(p.status, "Ready").reason, "Succeeded");
  EXPECT_EQ(condition(p.status, "Ready").lastTransitionTime, d.now());
  EXPECT_EQ(condition(p.status, "Progressing").status, "False");
  EXPECT_FALSE(p.requeueAfter);
  EXPECT_FALSE(p.analysisDue);

  d.advance(24h);
  p = d.settle();
  EXPECT_EQ(p.status.phase, Phase::Succeeded);
  EXPECT_FALSE(p.requeueAfter) << "a finished rollout waits for changes only";
}

TEST(PlannerProgress, WindowEndIsJudgedByAnAnalysisAtOrAfterIt) {
  RolloutSpec spec = specWith({weight(100), pause(10min), pause(std::nullopt)});
  spec.analysis->interval = 1h;
  Driver d = withTargets(spec, 2);
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.requeueAfter, std::optional<base::Duration>(10min)) << "window end before analysis";

  d.advance(10min);
  Plan raw = plan(d.input());
  EXPECT_TRUE(raw.analysisDue);
  EXPECT_EQ(raw.status.currentStep, 1) << "no verdict for the window's end yet";
  EXPECT_EQ(raw.status.message, "step 2/3: canary window ended; waiting for the final analysis");

  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 2);
  EXPECT_EQ(p.status.analysis.lastRunAt, d.now());
}

// A pushed alert (AnalysisRequests) asks for an analysis now, whatever the interval: that is
// what makes a push roll back within one poll period with analysis.interval: 1h.
TEST(PlannerProgress, ARequestedAnalysisIsDueAtOnce) {
  RolloutSpec spec = specWith({weight(100), pause(10min), pause(std::nullopt)});
  spec.analysis->interval = 1h;
  Driver d = withTargets(spec, 2);
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 1);
  ASSERT_TRUE(p.status.analysis.lastRunAt);

  d.advance(1min);
  PlanInput in = d.input();
  EXPECT_FALSE(plan(in).analysisDue) << "the interval has not passed";
  in.analysisRequested = true;
  EXPECT_TRUE(plan(in).analysisDue);
}

TEST(PlannerProgress, RequeueAtSubSecondNowStaysPositive) {
  Driver d = withTargets(specWith({weight(100), pause(10min), pause(std::nullopt)}, false), 1);
  d.reconcile();
  d.world.allHealthy();
  d.advance(500ms);
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.stepStartedAt, t0()) << "stamps are whole seconds";
  EXPECT_EQ(p.requeueAfter, std::optional<base::Duration>(10min - 500ms));
}

TEST(PlannerProgress, RestartInTheMiddleOfA72hWindowResumesFromStatus) {
  Driver d = withTargets(specWith({weight(100), pause(72h)}, false), 3);
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 1);
  kube::Json stored = toJson(p.status);  // what the API server keeps

  d.advance(40h);  // a new operator process starts, with nothing in memory
  d.setStatus(*statusFromJson(stored));
  p = d.reconcile();
  EXPECT_TRUE(p.actions.empty());
  EXPECT_TRUE(p.events.empty());
  EXPECT_EQ(p.status.stepStartedAt, t0());
  EXPECT_EQ(p.requeueAfter, std::optional<base::Duration>(32h));

  d.advance(32h);
  p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Succeeded);
  EXPECT_TRUE(p.actions.empty());
}

TEST(PlannerProgress, PauseWithoutDurationWaitsForPromoteWhichActsOnce) {
  Driver d = withTargets(specWith({weight(50), pause(std::nullopt), weight(100)}), 2);
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Paused);
  EXPECT_EQ(condition(p.status, "Ready").reason, "AwaitingPromotion");
  EXPECT_EQ(condition(p.status, "Stalled").status, "False");
  EXPECT_TRUE(hasEvent(p, "AwaitingPromotion"));
  d.advance(48h);
  p = d.settle();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.requeueAfter, std::optional<base::Duration>(1min)) << "analysis keeps running";

  d.annotate(annotations::kPromote, "2026-11-23");
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "Promoted"));
  EXPECT_TRUE(hasEvent(p, "Resumed"));
  EXPECT_EQ(p.status.currentStep, 2);
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  EXPECT_EQ(p.status.handledControls.promote, "2026-11-23");
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"app-01"}));
}

TEST(PlannerProgress, PromotePassesATimedWindowEarly) {
  Driver d = withTargets(specWith({weight(100), pause(72h)}), 1);
  d.reconcile();
  d.world.allHealthy();
  ASSERT_EQ(d.reconcile().status.currentStep, 1);
  d.annotate(annotations::kPromote, "now");
  Plan p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "Promoted"));
  EXPECT_EQ(p.status.phase, Phase::Succeeded);
}

TEST(PlannerProgress, PromoteOutsideAPauseIsIgnoredAndNotKeptForLater) {
  Driver d = withTargets(specWith({weight(50), pause(std::nullopt)}), 2);
  d.reconcile();
  d.annotate(annotations::kPromote, "1");
  Plan p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "PromoteIgnored"));
  EXPECT_EQ(p.status.handledControls.promote, "1");
  d.world.allHealthy();
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.phase, Phase::Paused) << "the earlier promote must not pass this pause";
}

TEST(PlannerProgress, SetEnvRollsEveryEnabledDeploymentAndIsJudgedLikeAWave) {
  Driver d = withTargets(
      specWith({weight(50), setEnv("OTEL_TRACES_SAMPLER_ARG", "0.1"), weight(100)}, false), 4);
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_TRUE(hasEvent(p, "ConfigChanged"));
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0], (TargetAction{"app-00", TargetForm::Enabled, false, 1, "h1"}));
  EXPECT_EQ(p.actions[1].configHash, "h1");
  EXPECT_TRUE(hasEvent(p, "TargetUpdated"));

  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 1) << "the new configuration is still rolling out";
  d.world.allHealthy();
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 2);
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0], (TargetAction{"app-02", TargetForm::Enabled, false, 2, "h1"}));
}

// Found by the crash trials: a process killed after writing the next setEnv step's configuration
// to some Deployments, before its status write, left them ahead of the status. The next process
// took them back to the window's configuration, then forward again: two writes each.
TEST(PlannerProgress, ADeploymentAheadOfTheStatusIsNotWrittenBack) {
  Driver d = withTargets(specWith({weight(100), setEnv("OTEL_TRACES_SAMPLER_ARG", "0.25"),
                                   pause(1h), setEnv("OTEL_TRACES_SAMPLER_ARG", "1.0")},
                                  false),
                         4);
  d.reconcile();
  d.world.allHealthy();
  d.reconcile();  // step 1: the first setEnv
  d.world.allHealthy();
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 2) << "in the window";
  ASSERT_EQ(d.world.at("app-00").configHash, "h1");

  // What the killed process wrote: step 3's configuration, on app-00 only.
  d.world.apply({TargetAction{"app-00", TargetForm::Enabled, false, 3, "h2"}});
  d.world.allHealthy();
  p = d.reconcile();
  EXPECT_TRUE(p.actions.empty()) << "app-00 was written back to the window's configuration";
  EXPECT_EQ(p.status.currentStep, 2);

  d.advance(1h);
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 3);
  ASSERT_EQ(p.actions.size(), 3u) << "app-00 already carries step 3's configuration";
  for (const auto& a : p.actions) {
    EXPECT_NE(a.deployment, "app-00");
    EXPECT_EQ(a.configHash, "h2");
  }
}

// spec.paused is a new generation but not a new spec: pausing and resuming continue where the
// rollout was (found driving the rollout with kubectl telemetry pause/resume, which started it
// over from step 1); any other change still starts over.
TEST(PlannerProgress, PausingAndResumingDoNotStartOver) {
  Driver d = withTargets(specWith({weight(50), pause(1h), weight(100), pause(1h)}), 4);
  d.setSpecHash("spec-a");
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 1);
  const auto windowStarted = p.status.stepStartedAt;
  EXPECT_EQ(p.status.specHash, "spec-a");

  d.advance(10min);
  RolloutSpec paused = d.spec();
  paused.paused = true;
  d.setSpec(paused, 2);
  p = d.reconcile();
  EXPECT_FALSE(hasEvent(p, "SpecChanged"));
  EXPECT_EQ(p.status.phase, Phase::Paused);
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.observedGeneration, 2);
  EXPECT_TRUE(p.actions.empty());

  RolloutSpec resumed = d.spec();
  resumed.paused = false;
  d.setSpec(resumed, 3);
  p = d.reconcile();
  EXPECT_FALSE(hasEvent(p, "SpecChanged"));
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.stepStartedAt, windowStarted) << "the window keeps its start";

  d.setSpecHash("spec-b");
  d.setSpec(resumed, 4);
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "SpecChanged"));
  EXPECT_EQ(p.status.stepStartedAt, d.now()) << "started over: the window starts again";
}

TEST(SpecHash, IgnoresPausedOnly) {
  Json spec = {{"selector", {{"matchLabels", {{"a", "b"}}}}}, {"paused", false}};
  const std::string base = rolloutSpecHash(spec);
  spec["paused"] = true;
  EXPECT_EQ(rolloutSpecHash(spec), base);
  spec.erase("paused");
  EXPECT_EQ(rolloutSpecHash(spec), base);
  spec["selector"]["matchLabels"]["a"] = "c";
  EXPECT_NE(rolloutSpecHash(spec), base);
}

TEST(PlannerProgress, NewGenerationRestartsFromStepZeroKeepingEnabledOnes) {
  Driver d = withTargets(specWith({weight(50), pause(1h), weight(100), pause(1h)}), 4);
  d.reconcile();
  d.world.allHealthy();
  d.reconcile();
  d.advance(1h);
  d.reconcile();  // window passed, second wave
  d.world.allHealthy();
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 3);
  ASSERT_EQ(d.world.enabledCount(), 4);

  d.advance(10min);  // mid-window, the spec changes
  d.setSpec(specWith({weight(50), pause(1h), weight(100), pause(1h)}), 2, "x");
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "SpecChanged"));
  EXPECT_EQ(p.status.observedGeneration, 2);
  EXPECT_EQ(p.status.currentStep, 0);
  EXPECT_EQ(p.status.stepStartedAt, d.now());
  for (const auto& a : p.actions) EXPECT_EQ(a.form, TargetForm::Enabled);
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"app-00", "app-01"}));
  EXPECT_EQ(p.actions[0].configHash, "hx0");
  EXPECT_EQ(p.status.targets[2].state, TargetState::Enabled) << "stays enabled, old config";
  EXPECT_EQ(p.status.targets[2].configHash, "h0");
  EXPECT_EQ(p.status.analysis.totalFailures, 0);
  EXPECT_EQ(condition(p.status, "Ready").observedGeneration, 2);

  d.world.allHealthy();
  d.reconcile();
  d.advance(1h);
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 2);
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"app-02", "app-03"}));
  EXPECT_EQ(p.actions[0].configHash, "hx0");
}

TEST(PlannerProgress, DeploymentThatStartsMatchingLaterJoinsAtTheCurrentWeight) {
  Driver d = withTargets(specWith({weight(100), pause(std::nullopt)}), 2);
  d.reconcile();
  d.world.allHealthy();
  ASSERT_EQ(d.reconcile().status.phase, Phase::Paused);
  d.annotate(annotations::kPromote, "1");
  d.reconcile();
  Plan p = d.settle();
  ASSERT_EQ(p.status.phase, Phase::Succeeded);

  d.world.add("app-99");
  p = d.reconcile();
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"app-99"}));
  EXPECT_EQ(p.status.phase, Phase::Succeeded);
  EXPECT_EQ(p.status.targetProgress, "3/3");
}

TEST(PlannerProgress, SpecPausedHoldsEverythingAndResumes) {
  RolloutSpec spec = specWith({weight(50), pause(1h), weight(100)});
  spec.paused = true;
  Driver d = withTargets(spec, 2);
  Plan p = d.reconcile();
  EXPECT_TRUE(p.addFinalizer);
  EXPECT_TRUE(p.actions.empty());
  EXPECT_EQ(p.status.phase, Phase::Paused);
  EXPECT_EQ(condition(p.status, "Ready").reason, "Paused");
  EXPECT_TRUE(hasEvent(p, "Paused"));

  d.spec().paused = false;
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "RolloutStarted"));
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"app-00"}));
  d.world.allHealthy();
  ASSERT_EQ(d.reconcile().status.currentStep, 1);

  d.spec().paused = true;
  d.advance(2min);
  p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Paused);
  EXPECT_FALSE(p.analysisDue);
  EXPECT_FALSE(p.requeueAfter);
  EXPECT_EQ(condition(p.status, "Progressing").status, "False");

  d.spec().paused = false;
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "Resumed"));
  EXPECT_EQ(p.status.phase, Phase::Progressing);
}

}  // namespace
}  // namespace tro::controllers
