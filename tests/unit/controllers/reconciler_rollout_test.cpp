// RolloutReconciler end to end against kubesim in process: waves, one write per transition,
// concurrent changes, rollback on a Failed verdict, deletion, conflicts, invalid spec, restart.

#include <gtest/gtest.h>

#include <algorithm>

#include "controllers/rollout/annotations.h"
#include "tests/unit/controllers/reconciler_fixture.h"

namespace tro::controllers::testing {
namespace {

const std::vector<std::string> kTen = {"d00", "d01", "d02", "d03", "d04",
                                       "d05", "d06", "d07", "d08", "d09"};

const Condition* condition(const RolloutStatus& s, const std::string& type) {
  for (const auto& c : s.conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

int enabledCount(ReconcilerWorld& w) {
  int n = 0;
  for (const auto& d : kTen) n += w.env(d, "FEATURE_OTEL") == "true";
  return n;
}

TEST(RolloutReconciler, TenDeploymentsInThreeWavesReachSucceededWithOneWriteEach) {
  ReconcilerWorld w;
  for (const auto& d : kTen) w.addDeployment(d);
  w.addRollout("otel", rolloutSpec());

  // Wave 1: 30% of 10.
  auto r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  EXPECT_EQ(enabledCount(w), 3);
  EXPECT_EQ(w.env("d00", "FEATURE_OTEL"), "true");
  EXPECT_EQ(w.env("d03", "FEATURE_OTEL"), "legacy");
  EXPECT_EQ(w.rollout("otel")["metadata"]["finalizers"], Json::array({annotations::kFinalizer}));
  // Nothing more happens until the Deployments' own rollouts finish.
  w.reconcile("otel");
  EXPECT_EQ(w.api_.totalPatches(), 3);

  w.drive("otel", [&] { return w.status("otel").phase == Phase::Succeeded; });
  RolloutStatus s = w.status("otel");
  ASSERT_EQ(s.phase, Phase::Succeeded) << s.message;
  for (const auto& d : kTen) {
    EXPECT_EQ(w.env(d, "FEATURE_OTEL"), "true") << d;
    EXPECT_EQ(w.env(d, "OTEL_TRACES_SAMPLER_ARG"), "0.02") << d;
    EXPECT_EQ(w.env(d, "LOG_LEVEL"), "info") << d;
    EXPECT_TRUE(w.hasContainer(d, "otel-collector")) << d;
    EXPECT_EQ(w.api_.patches(d), 1) << "exactly one write per Deployment per transition: " << d;
  }
  const Condition* ready = condition(s, "Ready");
  ASSERT_NE(ready, nullptr);
  EXPECT_EQ(ready->status, "True");
  EXPECT_FALSE(w.prometheus_.calls().empty()) << "the pause windows were analysed";

  // Converged: further reconciles write nothing.
  const int updates = w.cluster_.calls(tro::testing::Verb::UpdateStatus);
  w.reconcile("otel");
  EXPECT_EQ(w.api_.totalPatches(), 10);
  EXPECT_EQ(w.cluster_.calls(tro::testing::Verb::UpdateStatus), updates);
  EXPECT_NE(w.registry_.render().find("telemetry_rollout_targets_enabled{namespace=\"shop\","
                                      "name=\"otel\"} 10"),
            std::string::npos);
}

TEST(RolloutReconciler, AConcurrentChangeBetweenReadAndWriteIsKept) {
  ReconcilerWorld w;
  w.addDeployment("api");
  w.addRollout("otel", rolloutSpec());
  w.api_.beforeNextPatchOf("api", [&] {
    Json d = w.deployment("api");
    d["spec"]["template"]["spec"]["containers"][0]["env"].push_back(
        {{"name", "SOMEONE_ELSE"}, {"value", "1"}});
    ASSERT_TRUE(w.cluster_.update(kube::resources::deployments(), kNs, d, {}).ok());
  });
  auto r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  EXPECT_EQ(w.api_.attempts("api"), 2) << "the first patch's resourceVersion test fails";
  EXPECT_EQ(w.api_.patches("api"), 1);
  EXPECT_EQ(w.env("api", "SOMEONE_ELSE"), "1");
  EXPECT_EQ(w.env("api", "FEATURE_OTEL"), "true");
}

TEST(RolloutReconciler, AFailedVerdictRollsEveryEnabledDeploymentBack) {
  ReconcilerWorld w;
  for (const auto& d : kTen) w.addDeployment(d);
  w.addRollout("otel", rolloutSpec());
  // Into the second window: 6 enabled.
  w.drive("otel", [&] {
    RolloutStatus s = w.status("otel");
    return s.currentStep == 3 && enabledCount(w) == 6;
  });
  ASSERT_EQ(enabledCount(w), 6);
  w.makeHealthy();

  w.prometheus_.answer("sum(rate(errors[5m]))", analysis::testing::one(0.5));
  w.drive(
      "otel", [&] { return w.status("otel").phase == Phase::RolledBack; }, 10);
  RolloutStatus s = w.status("otel");
  ASSERT_EQ(s.phase, Phase::RolledBack);
  for (size_t i = 0; i < kTen.size(); ++i) {
    EXPECT_EQ(w.env(kTen[i], "FEATURE_OTEL"), i < 6 ? "false" : "legacy") << kTen[i];
    EXPECT_EQ(w.env(kTen[i], "OTEL_TRACES_SAMPLER_ARG"), "<unset>") << kTen[i];
  }
  ASSERT_TRUE(s.rollback.has_value());
  EXPECT_EQ(s.rollback->check, "query/error-rate");
  EXPECT_EQ(s.rollback->value, std::optional<double>(0.5));
  auto reasons = w.eventReasons("TelemetryRollout");
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), "RolledBack"), reasons.end());
  EXPECT_NE(
      w.registry_.render().find("telemetry_rollout_rollbacks_total{reason=\"AnalysisFailed\"} 1"),
      std::string::npos)
      << w.registry_.render();

  // Nothing re-enables on its own.
  const int patches = w.api_.totalPatches();
  w.clock_.advance(1h);
  w.drive(
      "otel", [] { return false; }, 3);
  EXPECT_EQ(w.api_.totalPatches(), patches);
}

// Found by the crash trials: a reconcile that starts before the informer delivered the previous
// reconcile's status write planned from the old status, enabled the rolled-back wave again and
// wrote its stale status over RolledBack. The reconciler reads its own write back instead.
TEST(RolloutReconciler, ACacheThatHasNotSeenTheRollbackYetDoesNotUndoIt) {
  ReconcilerWorld w;
  for (const auto& d : kTen) w.addDeployment(d);
  w.addRollout("otel", rolloutSpec());
  w.drive("otel", [&] { return w.status("otel").currentStep == 1 && enabledCount(w) == 3; });
  ASSERT_EQ(enabledCount(w), 3);
  w.makeHealthy();
  const Json beforeRollback = w.rollout("otel");

  w.prometheus_.answer("sum(rate(errors[5m]))", analysis::testing::one(0.5));
  w.clock_.advance(1min);  // the next analysis is due
  w.reconcile("otel");
  ASSERT_EQ(w.status("otel").phase, Phase::RolledBack);
  ASSERT_EQ(enabledCount(w), 0);
  const int patches = w.api_.totalPatches();

  // The next reconcile comes before the rollout's informer saw the status write; Prometheus
  // has recovered meanwhile.
  w.prometheus_.answer("sum(rate(errors[5m]))", analysis::testing::one(0.001));
  w.sync();
  w.rollouts_.replace({beforeRollback}, "stale");
  auto r = w.reconciler_->reconcile(std::string(kNs) + "/otel", std::stop_token());
  EXPECT_FALSE(r.isError()) << r.message();
  EXPECT_EQ(w.api_.totalPatches(), patches) << "a rolled-back Deployment was written again";
  EXPECT_EQ(enabledCount(w), 0);
  EXPECT_EQ(w.status("otel").phase, Phase::RolledBack);

  // Once the cache has caught up, it is trusted again.
  w.drive(
      "otel", [] { return false; }, 2);
  EXPECT_EQ(w.api_.totalPatches(), patches);
  EXPECT_EQ(w.status("otel").phase, Phase::RolledBack);
}

TEST(RolloutReconciler, DeletionRestoresEveryDeploymentExactlyAndRemovesTheFinalizer) {
  ReconcilerWorld w;
  for (const auto& d : {"api", "cart", "web"}) w.addDeployment(d);
  w.addRollout("otel", rolloutSpec());
  w.drive("otel", [&] { return w.status("otel").currentStep >= 3; });
  ASSERT_EQ(w.env("api", "FEATURE_OTEL"), "true");
  ASSERT_EQ(w.env("cart", "FEATURE_OTEL"), "true");  // 60% of 3
  ASSERT_EQ(w.env("web", "FEATURE_OTEL"), "legacy");

  w.markDeleted("otel");
  auto r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  for (const auto& d : {"api", "cart", "web"}) {
    EXPECT_EQ(w.deployment(d)["spec"]["template"], w.originals_[d]["spec"]["template"]) << d;
    EXPECT_FALSE(w.deployment(d)["metadata"]
                     .value("annotations", Json::object())
                     .contains(annotations::kOwner))
        << d;
  }
  // The restores' watch events bring the key back; the finalizer goes once they are observed.
  r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  EXPECT_EQ(w.api_.totalPatches(), 4) << "two enables, two restores, nothing for web";
  EXPECT_TRUE(
      kube::isNotFound(w.cluster_.get(kube::resources::telemetryRollouts(), kNs, "otel").error()))
      << "its finalizer gone, the server deleted it";
  auto reasons = w.eventReasons("Deployment");
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "Restored"), 2);
}

TEST(RolloutReconciler, TwoRolloutsSelectingOneDeploymentYieldOneOwnerAndOneConflict) {
  ReconcilerWorld w;
  w.addDeployment("api");
  w.addRollout("first", rolloutSpec());
  w.addRollout("second", rolloutSpec());
  ASSERT_FALSE(w.reconcile("first").isError());
  ASSERT_FALSE(w.reconcile("second").isError());
  ASSERT_FALSE(w.reconcile("second").isError());

  EXPECT_EQ(w.api_.patches("api"), 1);
  EXPECT_EQ(w.deployment("api")["metadata"]["annotations"][annotations::kOwner], "shop/first");
  RolloutStatus second = w.status("second");
  ASSERT_EQ(second.targets.size(), 1u);
  EXPECT_EQ(second.targets[0].state, TargetState::Conflict);
  EXPECT_EQ(w.status("first").targets.at(0).state, TargetState::Enabled);
}

// A workload list that keeps failing (RBAC without statefulsets, say) is said in a Warning Event
// on the rollout, which is looked at again later; a list merely in flight is waited for quietly.
TEST(RolloutReconciler, CachesThatCannotBeListedAreReportedAndNothingIsWritten) {
  ReconcilerWorld w;
  std::string problem = "list statefulsets.apps: 403 Forbidden: cannot list resource";
  w.adjustDeps_ = [&problem](RolloutReconcilerDeps& deps) {
    deps.cachesSynced = [](const std::string&) { return false; };
    deps.cachesProblem = [&problem](const std::string&) { return problem; };
  };
  w.restartOperator();
  w.addDeployment("api");
  w.addRollout("otel", rolloutSpec());
  auto r = w.reconcile("otel");
  EXPECT_EQ(r.kind(), runtime::ReconcileResult::Kind::RequeueAfter);
  EXPECT_EQ(r.after(), std::chrono::seconds(30));
  EXPECT_EQ(w.api_.totalPatches(), 0);
  EXPECT_EQ(w.deployment("api")["spec"], w.originals_["api"]["spec"]);
  bool reported = false;
  for (const Json& e : w.events()) {
    if (e.value("reason", "") != "CachesNotListed") continue;
    reported = true;
    EXPECT_EQ(e["type"], "Warning");
    EXPECT_NE(e["message"].get<std::string>().find("403 Forbidden"), std::string::npos);
  }
  EXPECT_TRUE(reported);

  problem.clear();  // listing, not failing: wait quietly for the synced handler
  EXPECT_EQ(w.reconcile("otel").kind(), runtime::ReconcileResult::Kind::WaitForChange);
}

TEST(RolloutReconciler, AnInvalidSpecTouchesNoDeployment) {
  ReconcilerWorld w(tro::testing::RolloutCrds::OpenSpec);  // the schema would refuse it
  w.addDeployment("api");
  Json spec = rolloutSpec();
  spec["strategy"]["steps"][0]["setWeight"] = 150;
  w.addRollout("otel", spec);
  auto r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();

  EXPECT_EQ(w.api_.totalPatches(), 0);
  EXPECT_EQ(w.deployment("api")["spec"], w.originals_["api"]["spec"]);
  RolloutStatus s = w.status("otel");
  EXPECT_EQ(s.phase, Phase::Failed);
  const Condition* stalled = condition(s, "Stalled");
  ASSERT_NE(stalled, nullptr);
  EXPECT_EQ(stalled->status, "True");
  EXPECT_EQ(stalled->reason, "InvalidSpec");
  EXPECT_NE(stalled->message.find("spec.strategy.steps[0].setWeight"), std::string::npos)
      << stalled->message;
  auto reasons = w.eventReasons("TelemetryRollout");
  EXPECT_NE(std::find(reasons.begin(), reasons.end(), "InvalidSpec"), reasons.end());
}

// Issue 20 item 1: a quantity the API server would refuse is an InvalidSpec naming the field,
// and nothing is written.
TEST(RolloutReconciler, AnInvalidCollectorQuantityIsAnInvalidSpecBeforeAnyWrite) {
  ReconcilerWorld w;
  w.addDeployment("api");
  Json spec = rolloutSpec();
  spec["collector"]["resources"] = {{"requests", {{"cpu", "lots of it"}}}};
  w.addRollout("otel", spec);
  auto r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  EXPECT_EQ(w.api_.totalPatches(), 0);
  const RolloutStatus status = w.status("otel");  // the condition points into it (ASan)
  const Condition* stalled = condition(status, "Stalled");
  ASSERT_NE(stalled, nullptr);
  EXPECT_EQ(stalled->reason, "InvalidSpec");
  EXPECT_NE(stalled->message.find("spec.collector.resources.requests.cpu"), std::string::npos)
      << stalled->message;
}

// Issue 20 item 1: when the server refuses a write anyway (an admission policy, a rule the
// operator does not know), the target is not reported Enabled, no TargetEnabled event is
// recorded, and the refusal is not retried as if it were a lost race.
TEST(RolloutReconciler, ATargetIsEnabledOnlyOnceTheServerAcknowledgedTheWrite) {
  ReconcilerWorld w;
  w.addDeployment("api");
  w.addRollout("otel", rolloutSpec());
  kube::Error refused = tro::testing::apiError(
      422, "Invalid", "Deployment.apps \"api\" is invalid: spec.template: refused by policy");
  refused.causes = {{"FieldValueInvalid", "refused by policy", "spec.template"}};
  w.api_.beforeNextPatchOf("api",
                           [&] { w.cluster_.failNext(tro::testing::Verb::Patch, refused, 1); });
  auto r = w.reconcile("otel");
  EXPECT_TRUE(r.isError());
  EXPECT_EQ(w.api_.attempts("api"), 1) << "a refusal is not a lost race";
  EXPECT_EQ(w.deployment("api")["spec"], w.originals_["api"]["spec"]);
  RolloutStatus s = w.status("otel");
  ASSERT_EQ(s.targets.size(), 1u);
  EXPECT_EQ(s.targets[0].state, TargetState::Pending);
  EXPECT_NE(s.targets[0].message.find("refused by policy"), std::string::npos)
      << s.targets[0].message;
  EXPECT_EQ(s.targetProgress, "0/1");
  auto reasons = w.eventReasons("Deployment");
  EXPECT_EQ(std::find(reasons.begin(), reasons.end(), "TargetEnabled"), reasons.end());

  // Once the server takes it, the next reconcile enables the target.
  r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  EXPECT_EQ(w.status("otel").targets.at(0).state, TargetState::Enabled);
}

// Issue 20 item 4: names at their limits. A rollout named with 253 characters (the most a name
// may have) gets its status and its Events, whose derived names must stay within 253 too.
TEST(RolloutReconciler, ARolloutNamedAtTheLengthLimitGetsItsStatusAndEvents) {
  ReconcilerWorld w;
  w.addDeployment("api");
  const std::string name = std::string(120, 'a') + "." + std::string(132, 'b');
  ASSERT_EQ(name.size(), 253u);
  w.addRollout(name, rolloutSpec());
  w.drive(name, [&] { return w.status(name).phase == Phase::Progressing; });
  EXPECT_EQ(w.status(name).phase, Phase::Progressing);
  EXPECT_EQ(w.deployment("api")["metadata"]["annotations"][annotations::kOwner],
            std::string(kNs) + "/" + name);
  const auto events = w.events();
  ASSERT_FALSE(events.empty());
  for (const Json& e : events) {
    const std::string eventName = e["metadata"]["name"];
    EXPECT_LE(eventName.size(), 253u) << eventName;
  }
}

TEST(RolloutReconciler, ARestartedOperatorInTheMiddleOfAWindowWritesNothing) {
  ReconcilerWorld w;
  for (const auto& d : kTen) w.addDeployment(d);
  w.addRollout("otel", rolloutSpec());
  w.drive("otel", [&] { return w.status("otel").currentStep == 1; });
  ASSERT_EQ(w.status("otel").phase, Phase::Progressing);
  w.reconcile("otel");  // settle whatever the step change asked for
  const int patches = w.api_.totalPatches();
  const int updates = w.cluster_.calls(tro::testing::Verb::UpdateStatus);
  const int finalizerPatches = w.cluster_.calls(tro::testing::Verb::Patch);

  w.restartOperator();
  auto r = w.reconcile("otel");
  ASSERT_FALSE(r.isError()) << r.message();
  EXPECT_EQ(r.kind(), runtime::ReconcileResult::Kind::RequeueAfter);
  EXPECT_EQ(w.api_.totalPatches(), patches);
  EXPECT_EQ(w.cluster_.calls(tro::testing::Verb::UpdateStatus), updates);
  EXPECT_EQ(w.cluster_.calls(tro::testing::Verb::Patch), finalizerPatches);
  EXPECT_EQ(w.status("otel").currentStep, 1);
}

TEST(RolloutReconciler, AFieldManagerRevertingTheFlagIsAConflictNotAFight) {
  ReconcilerWorld w;
  for (const auto& d : kTen) w.addDeployment(d);
  w.addRollout("otel", rolloutSpec());
  ASSERT_FALSE(w.reconcile("otel").isError());
  ASSERT_EQ(w.env("d00", "FEATURE_OTEL"), "true");
  // A GitOps controller re-applies its declared value and owns it (server-side apply).
  const Json declared = Json::parse(R"json({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "d00", "namespace": "shop"},
    "spec": {"template": {"spec": {"containers": [
      {"name": "app", "env": [{"name": "FEATURE_OTEL", "value": "legacy"}]}]}}}})json");
  kube::PatchOptions apply;
  apply.fieldManager = "argocd-controller";
  apply.force = true;
  auto applied = w.cluster_.patch(kube::resources::deployments(), kNs, "d00",
                                  kube::PatchType::Apply, declared.dump(), apply);
  ASSERT_TRUE(applied.ok()) << applied.error().toString();

  const int patches = w.api_.patches("d00");
  w.drive(
      "otel", [] { return false; }, 4);
  EXPECT_EQ(w.api_.patches("d00"), patches) << "the operator does not write over it again";
  EXPECT_EQ(w.env("d00", "FEATURE_OTEL"), "legacy");
  const RolloutStatus s = w.status("otel");
  const TargetStatus* t = s.target("d00");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->state, TargetState::Conflict);
  EXPECT_NE(t->message.find("argocd-controller"), std::string::npos) << t->message;
}

// The typed-rollout cache shared with the informer handlers holds the informer's trees only: a
// reconcile that planned from its own newer write (the cache behind) must not leave that tree in
// the cache, where it would sit beside the store's copy of the same version.
TEST(RolloutReconciler, TheSharedTypedCacheKeepsOnlyTheInformersTrees) {
  ReconcilerWorld w;
  std::shared_ptr<TypedRollouts> typed;
  w.adjustDeps_ = [&typed](RolloutReconcilerDeps& deps) { typed = deps.typed; };
  w.restartOperator();
  w.addDeployment("api");
  w.addRollout("otel", rolloutSpec());
  ASSERT_FALSE(w.reconcile("otel").isError());  // writes the finalizer and a status
  // The cache is behind: this pass plans from the reconciler's own last write.
  auto stale = w.reconciler_->reconcile(std::string(kNs) + "/otel", std::stop_token());
  ASSERT_FALSE(stale.isError()) << stale.message();
  w.sync();  // the informer stores that version now
  const runtime::ObjectPtr stored = w.rollouts_.get(kNs, "otel");
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(typed->of(stored)->object, stored)
      << "the cache answered with another tree of the same version";
}

TEST(RolloutReconciler, AGoneRolloutIsNothingToDo) {
  ReconcilerWorld w;
  auto r = w.reconcile("missing");
  EXPECT_EQ(r.kind(), runtime::ReconcileResult::Kind::WaitForChange);
  EXPECT_EQ(w.cluster_.calls(tro::testing::Verb::Patch), 0);
}

// An Event announces a transition the stored status holds: a failed status write records none,
// and the retry, planning from the old status again, records each once.
TEST(RolloutReconciler, EventsWaitForTheStatusWriteThatHoldsTheirTransition) {
  ReconcilerWorld w;
  w.addDeployment("api");
  w.addRollout("otel", rolloutSpec());
  w.cluster_.failNext(tro::testing::Verb::UpdateStatus,
                      tro::testing::apiError(500, "InternalError", "etcd"));
  ASSERT_TRUE(w.reconcile("otel").isError());
  EXPECT_TRUE(w.eventReasons("TelemetryRollout").empty());
  ASSERT_FALSE(w.reconcile("otel").isError());
  const auto reasons = w.eventReasons("TelemetryRollout");
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "RolloutStarted"), 1);
  for (const auto& e : w.events()) EXPECT_EQ(e["count"], 1) << e["reason"];
}

// A 409 on the status write means another writer: no error, no Events for the lost pass, and
// an immediate new pass that plans from the object as the server has it now.
TEST(RolloutReconciler, AStatusWriteLostToAnotherWriterPlansAgainAtOnceWithoutAnError) {
  ReconcilerWorld w;
  w.addDeployment("api");
  w.addRollout("otel", rolloutSpec());
  w.cluster_.failNext(tro::testing::Verb::UpdateStatus,
                      tro::testing::apiError(409, "Conflict", "the object has been modified"));
  auto lost = w.reconcile("otel");
  ASSERT_EQ(lost.kind(), runtime::ReconcileResult::Kind::RequeueAfter) << lost.message();
  EXPECT_EQ(lost.after(), base::Duration::zero());
  EXPECT_TRUE(w.eventReasons("TelemetryRollout").empty());
  EXPECT_FALSE(w.rollout("otel").contains("status"));

  ASSERT_FALSE(w.reconcile("otel").isError());
  EXPECT_TRUE(w.rollout("otel").contains("status"));
  const auto reasons = w.eventReasons("TelemetryRollout");
  EXPECT_EQ(std::count(reasons.begin(), reasons.end(), "RolloutStarted"), 1);
}

TEST(RolloutReconciler, AnApiFailureIsARetryableErrorWithContext) {
  ReconcilerWorld w;
  w.addDeployment("api");
  w.addRollout("otel", rolloutSpec());
  w.cluster_.failNext(tro::testing::Verb::Get,
                      tro::testing::apiError(500, "InternalError", "etcd"));
  auto r = w.reconcile("otel");
  ASSERT_EQ(r.kind(), runtime::ReconcileResult::Kind::RetryableError);
  EXPECT_NE(r.message().find("shop/otel"), std::string::npos) << r.message();
  EXPECT_EQ(w.api_.totalPatches(), 0) << "no Deployment write without the finalizer";
  ASSERT_FALSE(w.reconcile("otel").isError());
  EXPECT_EQ(w.env("api", "FEATURE_OTEL"), "true");
}

}  // namespace
}  // namespace tro::controllers::testing
