// Breaches and rollback, analysis policies, manual abort/retry, conflicts, no targets, invalid
// specs, departed Deployments and deletion. Every Driver::reconcile() also checks that a restart
// right after it would neither repeat a write nor an event.

#include <gtest/gtest.h>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/workload_kind.h"
#include "planner_fixtures.h"

namespace tro::controllers {
namespace {

using namespace testing;
using analysis::Outcome;
using State = RolloutHealth::State;

// Four Deployments a..d; the first wave (50%) enabled and healthy, in a 1h window.
Driver inWindow(RolloutSpec spec) {
  Driver d(std::move(spec));
  for (const char* n : {"a", "b", "c", "d"}) d.world.add(n);
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(d.world.enabledCount(), 2);
  return d;
}

RolloutSpec windowSpec(int failureLimit = 0,
                       InconclusivePolicy policy = InconclusivePolicy::Pause) {
  RolloutSpec spec = specWith({weight(50), pause(1h), weight(100), pause(1h)});
  spec.analysis->failureLimit = failureLimit;
  spec.analysis->onInconclusive = policy;
  return spec;
}

TEST(PlannerRollback, FailedVerdictDisablesEveryEnabledDeploymentUrgently) {
  Driver d = inWindow(windowSpec());
  d.setVerdict(verdict(Outcome::Failed, "query/error-rate", 0.05));
  d.advance(1min);
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::RolledBack);
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0], (TargetAction{"a", TargetForm::Disabled, true, -1, ""}));
  EXPECT_EQ(p.actions[1], (TargetAction{"b", TargetForm::Disabled, true, -1, ""}));
  ASSERT_TRUE(p.status.rollback);
  EXPECT_EQ(p.status.rollback->reason, "AnalysisFailed");
  EXPECT_EQ(p.status.rollback->check, "query/error-rate");
  EXPECT_EQ(p.status.rollback->value, 0.05);
  EXPECT_EQ(p.status.rollback->threshold, "max 0.02");
  EXPECT_EQ(p.status.rollback->at, d.now());
  EXPECT_EQ(p.status.analysis.totalFailures, 1);
  EXPECT_EQ(p.status.targets[0].state, TargetState::RolledBack);
  EXPECT_EQ(p.status.targets[2].state, TargetState::Pending);
  EXPECT_EQ(p.status.targetProgress, "0/4");
  EXPECT_EQ(condition(p.status, "Stalled").status, "True");
  EXPECT_EQ(condition(p.status, "Stalled").reason, "RolledBack");
  EXPECT_EQ(condition(p.status, "Ready").status, "False");
  EXPECT_EQ(condition(p.status, "Progressing").status, "False");
  EXPECT_FALSE(p.requeueAfter);
  EXPECT_FALSE(p.analysisDue);
  int perDeployment = 0;
  for (const auto& e : p.events) {
    if (e.reason == "RolledBack") {
      EXPECT_EQ(e.type, PlannedEvent::Type::Warning);
    }
    if (e.reason == "TelemetryDisabled") {
      ++perDeployment;
      EXPECT_FALSE(e.deployment.empty());
    }
  }
  EXPECT_TRUE(hasEvent(p, "RolledBack"));
  EXPECT_EQ(perDeployment, 2);
}

TEST(PlannerRollback, IsIdempotentAndNeverReEnablesOnItsOwn) {
  Driver d = inWindow(windowSpec());
  d.setVerdict(verdict(Outcome::Failed, "alert/HighErrorRate"));
  d.advance(1min);
  d.reconcile();
  Plan p = d.settle();
  EXPECT_TRUE(p.actions.empty());
  d.setVerdict(verdict(Outcome::Successful));
  d.advance(72h);
  d.world.add("e");
  p = d.settle();
  EXPECT_EQ(p.status.phase, Phase::RolledBack);
  EXPECT_TRUE(p.actions.empty());
  EXPECT_EQ(d.world.enabledCount(), 0);
}

TEST(PlannerRollback, APartiallyAppliedRollbackFinishesTheRest) {
  Driver d = inWindow(windowSpec());
  d.annotate(annotations::kAbort, "1");
  PlanInput in = d.input();
  Plan p = plan(in);
  ASSERT_EQ(p.actions.size(), 2u);
  d.world.apply({p.actions[0]});  // the operator died after the first write
  d.setStatus(p.status);
  Plan next = d.reconcile();
  ASSERT_EQ(next.actions.size(), 1u);
  EXPECT_EQ(next.actions[0], (TargetAction{"b", TargetForm::Disabled, true, -1, ""}));
  EXPECT_TRUE(next.events.empty());
}

TEST(PlannerRollback, ProgressDeadlineExceededOnAnEnabledDeploymentIsABreach) {
  Driver d = inWindow(windowSpec());
  d.world.setHealth("b", State::Failed);
  d.world.setHealth("c", State::Failed);  // not enabled: not this rollout's doing
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::RolledBack);
  ASSERT_TRUE(p.status.rollback);
  EXPECT_EQ(p.status.rollback->reason, "ProgressDeadlineExceeded");
  EXPECT_EQ(p.status.rollback->check, "deployment/b");
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"a", "b"}));
}

TEST(PlannerRollback, FailureLimitCountsTotalFailuresAndHoldsMeanwhile) {
  Driver d = inWindow(windowSpec(1));
  d.setVerdict(verdict(Outcome::Failed, "query/error-rate", 0.03));
  d.advance(1min);
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  EXPECT_TRUE(p.actions.empty());
  EXPECT_TRUE(hasEvent(p, "AnalysisFailed"));
  EXPECT_EQ(condition(p.status, "Ready").reason, "AnalysisFailed");
  EXPECT_EQ(p.status.analysis.consecutiveFailures, 1);

  d.setVerdict(verdict(Outcome::Successful));
  d.advance(1min);
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "AnalysisRecovered"));
  EXPECT_EQ(p.status.analysis.consecutiveFailures, 0);
  EXPECT_EQ(p.status.analysis.totalFailures, 1);

  d.setVerdict(verdict(Outcome::Failed, "query/error-rate", 0.04));
  d.advance(58min);  // the window ends with a failure: it must not pass
  p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::RolledBack);
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.analysis.totalFailures, 2);
  EXPECT_EQ(p.status.rollback->value, 0.04);
}

TEST(PlannerRollback, FailedVerdictWithinTheLimitHoldsTheWindowPastItsEnd) {
  Driver d = inWindow(windowSpec(5));
  d.setVerdict(verdict(Outcome::Failed, "query/error-rate", 0.03));
  d.advance(1h);
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  d.setVerdict(verdict(Outcome::Successful));
  d.advance(1min);
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 2) << "a passing analysis after the end passes the window";
}

TEST(PlannerAnalysis, InconclusiveUnderPauseHoldsNeverPromotesAndResumes) {
  Driver d = inWindow(windowSpec());
  d.setVerdict(verdict(Outcome::Inconclusive, "prometheus"));
  d.advance(1min);
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Paused);
  EXPECT_EQ(condition(p.status, "Ready").reason, "AnalysisInconclusive");
  ASSERT_TRUE(hasEvent(p, "AnalysisInconclusive"));
  for (const auto& e : p.events) {
    if (e.reason == "AnalysisInconclusive") {
      EXPECT_EQ(e.type, PlannedEvent::Type::Warning);
    }
  }
  EXPECT_EQ(p.requeueAfter, std::optional<base::Duration>(1min));

  d.advance(2h);  // far past the window's end
  p = d.reconcile();
  EXPECT_EQ(p.status.currentStep, 1) << "never promote on inconclusive analysis";
  EXPECT_EQ(p.status.analysis.consecutiveInconclusive, 2);
  EXPECT_TRUE(p.actions.empty());

  d.setVerdict(verdict(Outcome::Successful));
  d.advance(1min);
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "Resumed"));
  EXPECT_EQ(p.status.currentStep, 2);
  EXPECT_EQ(p.status.analysis.consecutiveInconclusive, 0);
}

// On-call must see why analysis holds (Prometheus down, a PromQL error), not only which check.
TEST(PlannerAnalysis, HoldSaysWhyTheCheckDidNotPass) {
  Driver d = inWindow(windowSpec());
  analysis::Verdict v = verdict(Outcome::Inconclusive, "query/error-rate");
  v.reason.message = "query/error-rate: unreachable: connection refused";
  v.checks[0].reason = v.reason;
  v.checks.push_back(
      {Outcome::Successful,
       {"alert/HighErrorRate", std::nullopt, "firing", "alert/HighErrorRate: not firing"},
       {}});
  d.setVerdict(v);
  d.advance(1min);
  Plan p = d.reconcile();
  EXPECT_NE(p.status.message.find("unreachable: connection refused"), std::string::npos)
      << p.status.message;
  ASSERT_EQ(p.status.analysis.checks.size(), 2u);
  EXPECT_EQ(p.status.analysis.checks[0].message,
            "query/error-rate: unreachable: connection refused");
  EXPECT_EQ(p.status.analysis.checks[1].message, "") << "a passing check keeps status compact";
  // The message survives the status round trip the next reconcile reads back.
  auto back = statusFromJson(toJson(p.status));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->analysis.checks, p.status.analysis.checks);
}

TEST(PlannerAnalysis, InconclusivePauseEscalatesAfterTheLimit) {
  Driver d = inWindow(windowSpec());
  d.setInconclusiveLimit(2);
  d.setVerdict(verdict(Outcome::Inconclusive, "prometheus"));
  for (int i = 0; i < 2; ++i) {
    d.advance(1min);
    EXPECT_EQ(d.reconcile().status.phase, Phase::Paused);
  }
  d.advance(1min);
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::RolledBack);
  EXPECT_EQ(p.status.rollback->reason, "AnalysisInconclusive");
}

TEST(PlannerAnalysis, InconclusivePolicies) {
  {
    Driver d = inWindow(windowSpec(0, InconclusivePolicy::Rollback));
    d.setVerdict(verdict(Outcome::Inconclusive, "query/latency"));
    d.advance(1min);
    Plan p = d.reconcile();
    EXPECT_EQ(p.status.phase, Phase::RolledBack);
    EXPECT_EQ(p.status.rollback->reason, "AnalysisInconclusive");
    EXPECT_EQ(p.status.rollback->check, "query/latency");
  }
  {
    Driver d = inWindow(windowSpec(0, InconclusivePolicy::Continue));
    d.setVerdict(verdict(Outcome::Inconclusive, "query/latency"));
    d.advance(1min);
    Plan p = d.reconcile();
    EXPECT_EQ(p.status.phase, Phase::Progressing);
    EXPECT_TRUE(hasEvent(p, "AnalysisInconclusive"));
    d.advance(59min);
    p = d.reconcile();
    EXPECT_EQ(p.status.currentStep, 2) << "Continue treats Inconclusive as passing";
    EXPECT_FALSE(hasEvent(p, "AnalysisInconclusive")) << "reported once per streak";
  }
}

TEST(PlannerManual, AbortRollsBackOnceAndRetryStartsAgain) {
  Driver d = inWindow(windowSpec());
  d.annotate(annotations::kAbort, "1");
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::RolledBack);
  EXPECT_EQ(p.status.rollback->reason, "ManualAbort");
  EXPECT_EQ(p.status.handledControls.abort, "1");
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"a", "b"}));
  p = d.settle();
  EXPECT_TRUE(p.actions.empty());

  d.advance(5min);
  d.annotate(annotations::kRetry, "1");
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "Retry"));
  EXPECT_TRUE(hasEvent(p, "RolloutStarted"));
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  EXPECT_EQ(p.status.currentStep, 0);
  EXPECT_EQ(p.status.stepStartedAt, d.now());
  EXPECT_EQ(p.status.analysis.totalFailures, 0);
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(condition(p.status, "Stalled").status, "False");

  d.annotate(annotations::kAbort, "2");
  p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::RolledBack) << "a new abort value acts again";
  p = d.settle();
  EXPECT_EQ(p.status.phase, Phase::RolledBack) << "the old retry value does not";
}

TEST(PlannerManual, RetryWhileNotRolledBackIsIgnored) {
  Driver d = inWindow(windowSpec());
  d.annotate(annotations::kRetry, "x");
  Plan p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "RetryIgnored"));
  EXPECT_EQ(p.status.currentStep, 1);
  EXPECT_EQ(p.status.handledControls.retry, "x");
}

TEST(PlannerManual, AbortActsEvenWhenPaused) {
  RolloutSpec spec = windowSpec();
  Driver d = inWindow(spec);
  d.spec().paused = true;
  d.reconcile();
  d.annotate(annotations::kAbort, "now");
  Plan p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::RolledBack);
  EXPECT_EQ(p.actions.size(), 2u);
}

TEST(PlannerConflicts, ConflictedDeploymentsAreLeftAloneAndOutOfTheDenominator) {
  Driver d(specWith({weight(50), pause(std::nullopt)}));
  for (const char* n : {"a", "b", "c", "d"}) d.world.add(n);
  d.world.claimByOther("a");
  d.conflict("b", "variable FEATURE_OTEL is set with valueFrom");
  Plan p = d.reconcile();
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"c"})) << "50% of the 2 eligible";
  EXPECT_EQ(p.status.targets[0].state, TargetState::Conflict);
  EXPECT_EQ(p.status.targets[0].message, "claimed by TelemetryRollout shop/other");
  EXPECT_EQ(p.status.targets[1].state, TargetState::Conflict);
  EXPECT_EQ(p.status.targets[1].message, "variable FEATURE_OTEL is set with valueFrom");
  EXPECT_EQ(p.status.targetProgress, "1/4");
  std::vector<std::string> onDeployments;
  for (const auto& e : p.events) {
    if (e.reason == "Conflict") {
      EXPECT_EQ(e.type, PlannedEvent::Type::Warning);
      onDeployments.push_back(e.deployment);
    }
  }
  EXPECT_EQ(onDeployments, (std::vector<std::string>{"a", "b"}));
  Plan again = d.settle();
  EXPECT_FALSE(hasEvent(again, "Conflict"));
}

TEST(PlannerConflicts, FieldManagerFightIsAConflictNamingTheManager) {
  Driver d = inWindow(windowSpec());
  d.conflict("a", "field manager argocd-controller keeps reverting FEATURE_OTEL");
  Plan p = d.reconcile();
  // "a" is left alone and leaves the denominator: 50% of the other three is b and c.
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"c"}));
  EXPECT_EQ(p.status.targets[0].state, TargetState::Conflict);
  EXPECT_NE(p.status.targets[0].message.find("argocd-controller"), std::string::npos);
  EXPECT_TRUE(hasEvent(p, "Conflict"));
}

TEST(PlannerNoTargets, StalledNoTargetsOnceThenStartsWhenOneMatches) {
  Driver d(specWith({weight(50), pause(1h)}));
  Plan p = d.reconcile();
  EXPECT_TRUE(p.addFinalizer);
  EXPECT_TRUE(p.actions.empty());
  EXPECT_EQ(p.status.phase, Phase::Pending);
  EXPECT_EQ(condition(p.status, "Stalled").status, "True");
  EXPECT_EQ(condition(p.status, "Stalled").reason, "NoTargets");
  EXPECT_EQ(condition(p.status, "Ready").reason, "NoTargets");
  EXPECT_EQ(p.status.message, "no Deployment matches spec.selector");
  EXPECT_TRUE(hasEvent(p, "NoTargets"));
  EXPECT_FALSE(p.requeueAfter);
  EXPECT_FALSE(d.settle().events.size());

  d.world.add("a");
  p = d.reconcile();
  EXPECT_TRUE(hasEvent(p, "RolloutStarted"));
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"a"}));
  EXPECT_EQ(condition(p.status, "Stalled").status, "False");
}

TEST(PlannerNoTargets, AllInConflictIsNoTargets) {
  Driver d(specWith({weight(50)}));
  d.world.add("a");
  d.world.claimByOther("a");
  Plan p = d.reconcile();
  EXPECT_EQ(condition(p.status, "Stalled").reason, "NoTargets");
  EXPECT_EQ(p.status.message, "all 1 selected Deployments are in conflict");
  EXPECT_TRUE(p.actions.empty());
}

TEST(PlannerInvalidSpec, StalledNamingTheFieldNothingTouched) {
  Driver d = inWindow(windowSpec());
  d.setInvalid({{"spec.strategy.steps[1].pause.duration", "invalid duration \"1x\""}}, 2);
  Plan p = d.reconcile();
  EXPECT_TRUE(p.actions.empty()) << "an invalid spec touches no Deployment, not even to disable";
  EXPECT_EQ(p.status.phase, Phase::Failed);
  EXPECT_EQ(p.status.observedGeneration, 2);
  const Condition& stalled = condition(p.status, "Stalled");
  EXPECT_EQ(stalled.status, "True");
  EXPECT_EQ(stalled.reason, "InvalidSpec");
  EXPECT_NE(stalled.message.find("spec.strategy.steps[1].pause.duration"), std::string::npos);
  EXPECT_EQ(condition(p.status, "Ready").status, "False");
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0].reason, "InvalidSpec");
  EXPECT_EQ(p.events[0].type, PlannedEvent::Type::Warning);
  EXPECT_FALSE(p.requeueAfter);
  EXPECT_FALSE(p.analysisDue);
  EXPECT_TRUE(d.settle().events.empty());

  d.setSpec(windowSpec(), 3, "v3");
  p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  EXPECT_EQ(p.status.currentStep, 0);
  EXPECT_EQ(names(p.actions), (std::vector<std::string>{"a", "b"}));
}

TEST(PlannerInvalidSpec, FirstReconcileStillAddsTheFinalizer) {
  Driver d(specWith({weight(50)}));
  d.world.add("a");
  d.setInvalid({{"spec.flag.name", "Required value"}}, 1);
  Plan p = d.reconcile();
  EXPECT_TRUE(p.addFinalizer);
  EXPECT_TRUE(p.actions.empty());
  EXPECT_EQ(p.status.phase, Phase::Failed);
  EXPECT_EQ(p.status.targets[0].state, TargetState::Pending);
}

TEST(PlannerDeparted, ADeploymentThatStopsMatchingIsRestored) {
  Driver d = inWindow(windowSpec());
  d.world.deselect("a");
  Plan p = d.reconcile();
  // The share is of what is selected now: 50% of b, c, d is b and c.
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0], (TargetAction{"a", TargetForm::Restored, false, -1, ""}));
  EXPECT_EQ(p.actions[1].deployment, "c");
  EXPECT_EQ(p.status.targets[0].name, "a");
  EXPECT_EQ(p.status.targets[0].state, TargetState::Restored);
  EXPECT_TRUE(hasEvent(p, "Restored"));
  p = d.settle();
  EXPECT_TRUE(p.actions.empty());
  EXPECT_EQ(p.status.targets.size(), 3u) << "restored and unselected: no longer listed";
}

TEST(PlannerDeletion, RestoresEveryTouchedDeploymentThenReleasesTheFinalizer) {
  Driver d = inWindow(windowSpec());
  d.annotate(annotations::kAbort, "1");
  d.reconcile();     // a and b get the rollback form
  d.world.add("e");  // never touched
  d.markDeleted();
  Plan p = d.reconcile();
  EXPECT_FALSE(p.addFinalizer);
  EXPECT_FALSE(p.removeFinalizer);
  ASSERT_EQ(p.actions.size(), 2u);
  EXPECT_EQ(p.actions[0], (TargetAction{"a", TargetForm::Restored, false, -1, ""}));
  EXPECT_EQ(p.actions[1], (TargetAction{"b", TargetForm::Restored, false, -1, ""}));
  EXPECT_EQ(condition(p.status, "Ready").reason, "Deleting");
  int restoredEvents = 0;
  for (const auto& e : p.events) restoredEvents += e.reason == "Restored" ? 1 : 0;
  EXPECT_EQ(restoredEvents, 2);

  p = d.reconcile();
  EXPECT_TRUE(p.actions.empty());
  EXPECT_TRUE(p.removeFinalizer);
  EXPECT_EQ(p.status.targets[0].state, TargetState::Restored);
  EXPECT_EQ(p.status.targets[4].state, TargetState::Pending);
}

TEST(PlannerDeletion, KeepIfSucceededKeepsTelemetryOnlyAfterSuccess) {
  RolloutSpec spec = specWith({weight(100)}, false);
  spec.onDelete = DeletePolicy::KeepIfSucceeded;
  {
    Driver d(spec);
    d.world.add("a");
    d.reconcile();
    d.world.allHealthy();
    ASSERT_EQ(d.reconcile().status.phase, Phase::Succeeded);
    d.markDeleted();
    Plan p = d.reconcile();
    EXPECT_TRUE(p.actions.empty());
    EXPECT_TRUE(p.removeFinalizer);
    EXPECT_TRUE(hasEvent(p, "TelemetryKept"));
  }
  {
    Driver d(spec);
    d.world.add("a");
    d.reconcile();  // enabled, still rolling out: not Succeeded
    d.markDeleted();
    Plan p = d.reconcile();
    EXPECT_EQ(names(p.actions), (std::vector<std::string>{"a"}));
    EXPECT_EQ(p.actions[0].form, TargetForm::Restored);
    EXPECT_FALSE(p.removeFinalizer);
  }
}

TEST(PlannerDeletion, WithoutTheFinalizerThereIsNothingToDo) {
  Driver d(specWith({weight(100)}));
  d.world.add("a");
  d.markDeleted();
  Plan p = d.reconcile();
  EXPECT_TRUE(p.actions.empty());
  EXPECT_FALSE(p.addFinalizer);
  EXPECT_FALSE(p.removeFinalizer);
  EXPECT_TRUE(p.events.empty());
}

// StatefulSets and DaemonSets have no progress deadline of their own: a wave that waits for one
// past spec.strategy.progressDeadlineSeconds is a failed rollout; a Deployment keeps its own.
TEST(PlannerRollback, AStatefulSetOrDaemonSetPastTheWaveDeadlineIsABreach) {
  struct Case {
    const char* name;
    const char* late;  // the one workload left rolling out
    bool rollsBack;
  };
  const Case cases[] = {
      {"StatefulSet", "statefulset/db", true},
      {"DaemonSet", "daemonset/agent", true},
      {"Deployment: its own deadline decides", "web", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RolloutSpec spec = specWith({weight(100), pause(1h)}, /*analysis=*/false);
    spec.progressDeadline = std::chrono::seconds(600);
    Driver d(spec);
    for (const char* n : {"daemonset/agent", "statefulset/db", "web"}) d.world.add(n);
    d.reconcile();  // the wave: all three enabled, rolling out
    EXPECT_EQ(d.world.enabledCount(), 3);
    d.world.allHealthy();
    d.world.setHealth(c.late, State::Progressing);
    d.advance(599s);
    Plan p = d.reconcile();
    EXPECT_EQ(p.status.phase, Phase::Progressing);
    EXPECT_EQ(p.status.currentStep, 0);
    if (c.rollsBack) {
      // Woken at the deadline even if nothing about the workload changes meanwhile.
      ASSERT_TRUE(p.requeueAfter);
      EXPECT_EQ(*p.requeueAfter, std::chrono::seconds(1));
    }
    d.advance(1s);
    p = d.reconcile();
    if (!c.rollsBack) {
      EXPECT_EQ(p.status.phase, Phase::Progressing);
      EXPECT_TRUE(p.actions.empty());
      continue;
    }
    EXPECT_EQ(p.status.phase, Phase::RolledBack);
    ASSERT_TRUE(p.status.rollback);
    EXPECT_EQ(p.status.rollback->reason, "ProgressDeadlineExceeded");
    EXPECT_EQ(p.status.rollback->check, c.late);
    EXPECT_NE(p.status.rollback->message.find(describeTarget(c.late) + " did not roll out within "
                                                                       "600s"),
              std::string::npos)
        << p.status.rollback->message;
    EXPECT_EQ(names(p.actions),
              (std::vector<std::string>{"daemonset/agent", "statefulset/db", "web"}));
  }
}

TEST(PlannerRollback, TheWaveDeadlineCountsInWaveStepsOnly) {
  RolloutSpec spec = specWith({weight(100), pause(1h)}, /*analysis=*/false);
  spec.progressDeadline = std::chrono::seconds(60);
  Driver d(spec);
  d.world.add("statefulset/db");
  d.reconcile();
  d.world.allHealthy();
  Plan p = d.reconcile();
  ASSERT_EQ(p.status.currentStep, 1);  // in the window
  // A pod lost later, in the window, is the analysis' business, not a rollout deadline's.
  d.world.setHealth("statefulset/db", State::Progressing);
  d.advance(30min);
  p = d.reconcile();
  EXPECT_EQ(p.status.phase, Phase::Progressing);
  EXPECT_FALSE(p.status.rollback);
}

}  // namespace
}  // namespace tro::controllers
