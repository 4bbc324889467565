// The reconciler's edge pieces on their own: Event bodies, the enqueue mapping (table-driven),
// the Executor's finalizer/status/parallel writes, and the rollout metrics' names.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/enqueue.h"
#include "controllers/rollout/events.h"
#include "controllers/rollout/executor.h"
#include "controllers/rollout/rollout_metrics.h"
#include "tests/unit/controllers/reconciler_fixture.h"

namespace tro::controllers::testing {
namespace {

TEST(RolloutEvents, AnEventReferencesItsObjectAndCarriesTheSourceAndTimes) {
  Json involved = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata",
       {{"name", "api"}, {"namespace", "shop"}, {"uid", "u-1"}, {"resourceVersion", "42"}}}};
  PlannedEvent e{PlannedEvent::Type::Warning, "RolledBack", "error-rate 0.5 > max 0.02", "api"};
  base::TimePoint now = *base::parseRfc3339("2026-11-21T07:00:00Z");
  Json event = makeEvent(involved, e, now, 1);
  EXPECT_EQ(event["involvedObject"], (Json{{"apiVersion", "apps/v1"},
                                           {"kind", "Deployment"},
                                           {"namespace", "shop"},
                                           {"name", "api"},
                                           {"uid", "u-1"},
                                           {"resourceVersion", "42"}}));
  EXPECT_EQ(event["type"], "Warning");
  EXPECT_EQ(event["reason"], "RolledBack");
  EXPECT_EQ(event["source"]["component"], "telemetry-rollout-operator");
  EXPECT_EQ(event["firstTimestamp"], "2026-11-21T07:00:00Z");
  EXPECT_EQ(event["lastTimestamp"], "2026-11-21T07:00:00Z");
  EXPECT_EQ(event["count"], 1);
  EXPECT_EQ(event["metadata"]["namespace"], "shop");
  EXPECT_EQ(event["metadata"]["name"].get<std::string>().rfind("api.", 0), 0u);
  EXPECT_NE(makeEvent(involved, e, now, 2)["metadata"]["name"], event["metadata"]["name"])
      << "two identical events in one second still get distinct names";
}

// Issue 20 item 4: an Event's name derives from its object's; at 253 characters the derived name
// is cut to stay a valid name, and distinct events still get distinct names.
TEST(RolloutEvents, ANameAtTheLimitGivesAValidEventName) {
  Json involved = {
      {"apiVersion", "rollout.telemetry.io/v1alpha1"},
      {"kind", "TelemetryRollout"},
      {"metadata",
       {{"name", std::string(235, 'a') + "-b" + std::string(16, 'c')}, {"namespace", "shop"}}}};
  PlannedEvent e{PlannedEvent::Type::Normal, "RolloutStarted", std::string(5000, 'm'), ""};
  base::TimePoint now = *base::parseRfc3339("2026-11-21T07:00:00Z");
  const std::string first = makeEvent(involved, e, now, 1)["metadata"]["name"];
  const std::string second = makeEvent(involved, e, now, 2)["metadata"]["name"];
  EXPECT_EQ(first.size(), 252u) << "cut before the '-' so the name ends on an alphanumeric";
  EXPECT_EQ(first.substr(0, 236), std::string(235, 'a') + ".");
  EXPECT_NE(first, second);
  EXPECT_LE(makeEvent(involved, e, now, 1)["message"].get<std::string>().size(),
            kEventMessageBytes + 64);
}

runtime::ObjectPtr rolloutSelecting(const std::string& name, Json matchLabels) {
  return std::make_shared<const Json>(
      Json{{"metadata", {{"name", name}, {"namespace", "shop"}}},
           {"spec", {{"selector", {{"matchLabels", std::move(matchLabels)}}}}}});
}

Json deploymentWith(Json labels, const std::string& owner = "") {
  Json d = {{"metadata", {{"name", "api"}, {"namespace", "shop"}, {"labels", std::move(labels)}}}};
  if (!owner.empty()) d["metadata"]["annotations"] = {{annotations::kOwner, owner}};
  return d;
}

struct EnqueueCase {
  const char* name;
  std::optional<Json> oldObject;
  std::optional<Json> newObject;
  std::vector<std::string> want;
};

TEST(RolloutEnqueue, DeploymentEventsMapToOwnerAndSelectingRollouts) {
  std::vector<TypedRolloutPtr> rollouts = {
      typeRollout(rolloutSelecting("a", {{"tier", "web"}})),
      typeRollout(rolloutSelecting("b", {{"team", "pay"}})),
      typeRollout(std::make_shared<const Json>(
          Json{{"metadata", {{"name", "broken"}, {"namespace", "shop"}}},
               {"spec", {{"selector", Json::object()}}}}))};
  const std::vector<EnqueueCase> cases = {
      {"added, matches a", std::nullopt, deploymentWith({{"tier", "web"}}), {"shop/a"}},
      {"matches both",
       std::nullopt,
       deploymentWith({{"tier", "web"}, {"team", "pay"}}),
       {"shop/a", "shop/b"}},
      {"matches none", std::nullopt, deploymentWith({{"x", "y"}}), {}},
      {"labels changed away from a",
       deploymentWith({{"tier", "web"}}),
       deploymentWith({{"team", "pay"}}),
       {"shop/a", "shop/b"}},
      {"owner annotation of a rollout elsewhere",
       std::nullopt,
       deploymentWith({{"x", "y"}}, "shop/gone"),
       {"shop/gone"}},
      {"deleted", deploymentWith({{"team", "pay"}}), std::nullopt, {"shop/b"}},
  };
  for (const auto& c : cases) {
    auto keys = rolloutKeysForDeployment(c.oldObject ? &*c.oldObject : nullptr,
                                         c.newObject ? &*c.newObject : nullptr, rollouts);
    EXPECT_EQ(keys, c.want) << c.name;
  }
  EXPECT_EQ(rolloutKey(*rollouts[0]->object), "shop/a");
}

// The urgent-lane rule: only a Deployment whose own rollout failed jumps the queue.
TEST(RolloutEnqueue, AFailedDeploymentSendsItsRolloutsToTheUrgentLane) {
  auto withStatus = [](Json status) {
    Json d = deploymentWith({{"tier", "web"}});
    d["metadata"]["generation"] = 2;
    d["spec"] = {{"replicas", 2}};
    status["observedGeneration"] = 2;
    d["status"] = std::move(status);
    return d;
  };
  auto progressing = [](const char* state, const char* reason) {
    return Json::array({{{"type", "Progressing"}, {"status", state}, {"reason", reason}}});
  };
  const Json failed =
      withStatus({{"replicas", 3},
                  {"updatedReplicas", 1},
                  {"availableReplicas", 2},
                  {"conditions", progressing("False", "ProgressDeadlineExceeded")}});
  const Json rolling = withStatus({{"replicas", 3},
                                   {"updatedReplicas", 1},
                                   {"availableReplicas", 2},
                                   {"conditions", progressing("True", "ReplicaSetUpdated")}});
  const Json healthy = withStatus({{"replicas", 2},
                                   {"updatedReplicas", 2},
                                   {"availableReplicas", 2},
                                   {"conditions", progressing("True", "NewReplicaSetAvailable")}});
  const Json noStatus = deploymentWith({{"tier", "web"}});
  struct Case {
    const char* name;
    const Json* newObject;
    QueueLane want;
  };
  for (const Case& c :
       {Case{"deadline exceeded", &failed, QueueLane::Urgent},
        Case{"rolling", &rolling, QueueLane::Normal}, Case{"healthy", &healthy, QueueLane::Normal},
        Case{"not yet observed", &noStatus, QueueLane::Normal},
        Case{"deleted", nullptr, QueueLane::Normal}}) {
    EXPECT_EQ(laneForDeploymentEvent(c.newObject), c.want) << c.name;
  }
}

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() { world_.addRollout("otel", rolloutSpec()); }
  ReconcilerWorld world_;
  Executor executor_{world_.api_, world_.clock_};
};

TEST_F(ExecutorTest, FinalizerAddIsIdempotentAndRemoveTakesOnlyOurs) {
  ASSERT_TRUE(world_.cluster_
                  .patch(kube::resources::telemetryRollouts(), kNs, "otel", kube::PatchType::Merge,
                         R"({"metadata":{"finalizers":["example.com/other"]}})", {})
                  .ok());
  ASSERT_TRUE(executor_.addFinalizer(kNs, "otel").ok());
  ASSERT_TRUE(executor_.addFinalizer(kNs, "otel").ok());
  EXPECT_EQ(world_.rollout("otel")["metadata"]["finalizers"],
            Json::array({"example.com/other", annotations::kFinalizer}));
  ASSERT_TRUE(executor_.removeFinalizer(kNs, "otel").ok());
  EXPECT_EQ(world_.rollout("otel")["metadata"]["finalizers"], Json::array({"example.com/other"}));
  auto gone = executor_.removeFinalizer(kNs, "missing");
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->is_null());
}

// A 409 means somebody else wrote since the rollout was read: the status computed from the old
// object is not sent again over theirs; the caller gets the conflict and the object as it is.
TEST_F(ExecutorTest, AStaleStatusWriteIsNotRetriedOverAnotherWritersChange) {
  Json stale = world_.rollout("otel");
  ASSERT_TRUE(executor_.addFinalizer(kNs, "otel").ok());  // another write moves it on
  Json fresh;
  std::string sent;
  auto written = executor_.writeStatus(stale, {{"phase", "Progressing"}}, &sent, &fresh);
  ASSERT_FALSE(written.ok());
  EXPECT_TRUE(kube::isConflict(written.error())) << written.error().toString();
  EXPECT_EQ(sent, stale["metadata"]["resourceVersion"]);
  EXPECT_EQ(fresh["metadata"]["resourceVersion"],
            world_.rollout("otel")["metadata"]["resourceVersion"]);
  EXPECT_FALSE(world_.rollout("otel").contains("status"));
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::UpdateStatus), 1);

  auto again = executor_.writeStatus(fresh, {{"phase", "Progressing"}});
  ASSERT_TRUE(again.ok()) << again.error().toString();
  EXPECT_EQ(world_.rollout("otel")["status"]["phase"], "Progressing");
}

// client-go's recorder: the same Event again raises the stored one's count and lastTimestamp;
// once the server no longer has it (404), a repeat is created anew.
TEST_F(ExecutorTest, ARepeatedEventIsCountedOnTheFirstOne) {
  const Json rollout = world_.rollout("otel");
  const int createsBefore = world_.cluster_.calls(tro::testing::Verb::Create);
  const PlannedEvent conflict{PlannedEvent::Type::Warning, "Conflict", "owned by shop/other", ""};
  ASSERT_TRUE(executor_.recordEvent(rollout, conflict).ok());
  world_.clock_.advance(std::chrono::minutes(2));
  auto repeat = executor_.recordEvent(rollout, conflict);
  ASSERT_TRUE(repeat.ok()) << repeat.error().toString();
  auto events = world_.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["count"], 2);
  EXPECT_NE(events[0]["lastTimestamp"], events[0]["firstTimestamp"]);
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::Create), createsBefore + 1);

  ASSERT_TRUE(
      executor_.recordEvent(rollout, {PlannedEvent::Type::Normal, "Restored", "m", ""}).ok());
  EXPECT_EQ(world_.events().size(), 2u) << "another reason is another Event";

  ASSERT_TRUE(world_.cluster_
                  .remove(kube::resources::events(), kNs,
                          events[0]["metadata"]["name"].get<std::string>(), {})
                  .ok());
  ASSERT_TRUE(executor_.recordEvent(rollout, conflict).ok());
  std::vector<Json> conflicts;
  for (const auto& e : world_.events()) {
    if (e["reason"] == "Conflict") conflicts.push_back(e);
  }
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0]["count"], 1);
}

TEST_F(ExecutorTest, UrgentWritesRunInParallelBeforeTheOthers) {
  for (const auto& d : {"a", "b", "c", "d"}) world_.addDeployment(d);
  std::atomic<int> order{0};
  std::map<std::string, int> seen;
  std::mutex mu;
  auto marking = [&](const std::string& name) {
    return [&, name](const Json& live) -> InjectResult {
      {
        std::lock_guard l(mu);
        seen[name] = order++;
      }
      Json d = live;
      d["metadata"]["annotations"]["touched"] = name;
      return d;
    };
  };
  auto outcomes = executor_.writeTargets(kNs, {{"a", false, marking("a")},
                                               {"b", true, marking("b")},
                                               {"c", false, marking("c")},
                                               {"d", true, marking("d")}});
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[0].deployment, "b");
  EXPECT_EQ(outcomes[1].deployment, "d");
  for (const auto& o : outcomes) EXPECT_EQ(o.kind, TargetOutcome::Kind::Written) << o.message;
  EXPECT_LT(std::max(seen["b"], seen["d"]), std::min(seen["a"], seen["c"]));
  // Already as desired: nothing is sent.
  auto again = executor_.writeTargets(kNs, {{"a", false, marking("a")}});
  EXPECT_EQ(again.at(0).kind, TargetOutcome::Kind::Unchanged);
  EXPECT_EQ(world_.api_.totalPatches(), 4);
}

// A rollback of 100 Deployments must be 100 requests, not 200: a write starts from the
// informer's copy, and re-reads only when that copy turns out stale.
TEST_F(ExecutorTest, AWriteFromACurrentCachedCopyIsOnePatchAndAStaleOneRereads) {
  world_.addDeployment("fresh");
  world_.addDeployment("stale");
  auto touch = [](const Json& live) -> InjectResult {
    Json d = live;
    d["metadata"]["annotations"]["touched"] = "yes";
    return d;
  };
  auto fresh = std::make_shared<const Json>(world_.deployment("fresh"));
  auto stale = std::make_shared<const Json>(world_.deployment("stale"));
  ASSERT_TRUE(world_.cluster_
                  .patch(kube::resources::deployments(), kNs, "stale", kube::PatchType::Merge,
                         R"({"metadata":{"labels":{"someone":"else"}}})", {})
                  .ok());
  const int getsBefore = world_.cluster_.calls(tro::testing::Verb::Get);
  const int patchesBefore = world_.cluster_.calls(tro::testing::Verb::Patch);

  auto outcomes = executor_.writeTargets(kNs, {{"fresh", true, touch, fresh}});
  ASSERT_EQ(outcomes.at(0).kind, TargetOutcome::Kind::Written) << outcomes[0].message;
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::Get), getsBefore);
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::Patch), patchesBefore + 1);

  outcomes = executor_.writeTargets(kNs, {{"stale", true, touch, stale}});
  ASSERT_EQ(outcomes.at(0).kind, TargetOutcome::Kind::Written) << outcomes[0].message;
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::Get), getsBefore + 1);
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::Patch), patchesBefore + 3);
  // The other writer's change is kept: the second attempt was computed on top of it.
  EXPECT_EQ(world_.deployment("stale")["metadata"]["labels"]["someone"], "else");
  EXPECT_EQ(world_.deployment("stale")["metadata"]["annotations"]["touched"], "yes");
}

// Rollbacks use their own client (the operator gives it no QPS limit); other writes do not.
TEST_F(ExecutorTest, UrgentWritesGoThroughTheUrgentClient) {
  world_.addDeployment("a");
  auto urgentApi = world_.cluster_.share();  // a second client of the same server
  Executor executor(world_.api_, world_.clock_, {}, urgentApi.get());
  auto mark = [](const std::string& value) {
    return [value](const Json& live) -> InjectResult {
      Json d = live;
      d["metadata"]["annotations"]["mark"] = value;
      return d;
    };
  };
  const int patchesBefore = world_.cluster_.calls(tro::testing::Verb::Patch);
  auto urgent = executor.writeTargets(kNs, {{"a", true, mark("rollback")}});
  ASSERT_EQ(urgent.at(0).kind, TargetOutcome::Kind::Written) << urgent[0].message;
  EXPECT_EQ(urgentApi->calls(tro::testing::Verb::Patch), 1);
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::Patch), patchesBefore);

  auto ordinary = executor.writeTargets(kNs, {{"a", false, mark("wave")}});
  ASSERT_EQ(ordinary.at(0).kind, TargetOutcome::Kind::Written) << ordinary[0].message;
  EXPECT_EQ(urgentApi->calls(tro::testing::Verb::Patch), 1);
  EXPECT_EQ(world_.cluster_.calls(tro::testing::Verb::Patch), patchesBefore + 1);
}

TEST_F(ExecutorTest, AnInjectRefusalIsAConflictAndNothingIsWritten) {
  world_.addDeployment("api");
  auto outcomes = executor_.writeTargets(
      kNs, {{"api", false, [](const Json&) -> InjectResult {
               return base::fail(InjectError{InjectError::Kind::Conflict, "valueFrom"});
             }}});
  EXPECT_EQ(outcomes.at(0).kind, TargetOutcome::Kind::Conflict);
  EXPECT_EQ(outcomes.at(0).message, "valueFrom");
  EXPECT_EQ(world_.api_.totalPatches(), 0);
}

// A failed `test` op (422 without causes) is a lost race and is retried on a fresh copy; a 422
// with causes is the server refusing the change itself: one attempt, its message kept.
TEST_F(ExecutorTest, AnInvalidAnswerWithCausesIsNotALostRace) {
  world_.addDeployment("api");
  auto touch = [](const Json& live) -> InjectResult {
    Json d = live;
    d["metadata"]["annotations"]["touched"] = "yes";
    return d;
  };
  kube::Error invalid = tro::testing::apiError(
      422, "Invalid",
      "Deployment.apps \"api\" is invalid: spec.template.spec.containers[1].resources.requests: "
      "Invalid value: \"lots of it\"");
  invalid.causes = {{"FieldValueInvalid", "Invalid value: \"lots of it\"",
                     "spec.template.spec.containers[1].resources.requests"}};
  world_.cluster_.failNext(tro::testing::Verb::Patch, invalid, 1);
  auto outcomes = executor_.writeTargets(kNs, {{"api", false, touch}});
  EXPECT_EQ(outcomes.at(0).kind, TargetOutcome::Kind::Error);
  EXPECT_NE(outcomes[0].message.find("is invalid: spec.template.spec.containers[1]"),
            std::string::npos)
      << outcomes[0].message;
  EXPECT_EQ(outcomes[0].message.find("concurrent writers"), std::string::npos);
  EXPECT_EQ(world_.api_.attempts("api"), 1);

  world_.cluster_.failNext(tro::testing::Verb::Patch,
                           tro::testing::apiError(422, "Invalid",
                                                  "the server rejected our request due to an error "
                                                  "in our request"),
                           1);
  outcomes = executor_.writeTargets(kNs, {{"api", false, touch}});
  EXPECT_EQ(outcomes.at(0).kind, TargetOutcome::Kind::Written) << outcomes[0].message;
}

TEST(RolloutMetricsTest, SeriesAreRegisteredWithTheirLabels) {
  runtime::Registry registry;
  RolloutMetrics m(registry);
  m.setPhase("shop", "otel", Phase::Progressing);
  m.setPhase("shop", "otel", Phase::Succeeded);
  m.transition(Phase::Succeeded);
  m.rollback("ManualAbort", 0.3);
  m.conflict();
  std::string text = registry.render();
  for (const char* want :
       {"telemetry_rollout_phase{namespace=\"shop\",name=\"otel\",phase=\"Succeeded\"} 1",
        "telemetry_rollout_phase{namespace=\"shop\",name=\"otel\",phase=\"Progressing\"} 0",
        "telemetry_rollout_transitions_total{phase=\"Succeeded\"} 1",
        "telemetry_rollout_rollbacks_total{reason=\"ManualAbort\"} 1",
        "telemetry_rollout_rollback_latency_seconds_count 1", "telemetry_rollout_conflicts_total 1",
        "telemetry_rollout_reconcile_errors_total 0"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
}

}  // namespace
}  // namespace tro::controllers::testing
