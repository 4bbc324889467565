#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "controllers/rollout/workload_health.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using State = RolloutHealth::State;

// One row of /work/shared/reference/real-deployment-rollout.md (blank cells are omitted fields).
struct Row {
  const char* what;
  int generation;
  std::optional<int> specReplicas;
  std::optional<int> observedGeneration;
  std::optional<int> replicas;
  std::optional<int> updated;
  std::optional<int> available;
  const char* progressingReason;  // nullptr: no Progressing condition
  State state;
  const char* message;
};

Json deployment(const Row& r, const std::string& name) {
  Json d = {{"metadata", {{"name", name}, {"namespace", "shop"}, {"generation", r.generation}}},
            {"spec", Json::object()},
            {"status", Json::object()}};
  if (r.specReplicas) d["spec"]["replicas"] = *r.specReplicas;
  if (r.observedGeneration) d["status"]["observedGeneration"] = *r.observedGeneration;
  if (r.replicas) d["status"]["replicas"] = *r.replicas;
  if (r.updated) d["status"]["updatedReplicas"] = *r.updated;
  if (r.available) d["status"]["availableReplicas"] = *r.available;
  if (r.progressingReason) {
    d["status"]["conditions"] = Json::array(
        {{{"type", "Available"}, {"status", "True"}, {"reason", "MinimumReplicasAvailable"}},
         {{"type", "Progressing"}, {"status", "True"}, {"reason", r.progressingReason}}});
  }
  return d;
}

constexpr auto kNone = std::nullopt;

// The Deployment events of the recorded 3-replica rollout of `shop`, in order.
const Row kShopTrace[] = {
    {"0.01 template changed", 2, 3, 1, 3, 3, 3, "NewReplicaSetAvailable", State::Progressing,
     "Waiting for deployment spec update to be observed..."},
    {"0.03 new RS created", 2, 3, 1, 3, 3, 3, "NewReplicaSetCreated", State::Progressing,
     "Waiting for deployment spec update to be observed..."},
    {"0.03 observed, nothing updated", 2, 3, 2, 3, kNone, 3, "NewReplicaSetCreated",
     State::Progressing,
     "Waiting for deployment \"shop\" rollout to finish: 0 out of 3 new replicas have been "
     "updated..."},
    {"0.04 surge", 2, 3, 2, 4, 1, 3, "ReplicaSetUpdated", State::Progressing,
     "Waiting for deployment \"shop\" rollout to finish: 1 out of 3 new replicas have been "
     "updated..."},
    {"0.16 two updated", 2, 3, 2, 4, 2, 3, "ReplicaSetUpdated", State::Progressing,
     "Waiting for deployment \"shop\" rollout to finish: 2 out of 3 new replicas have been "
     "updated..."},
    {"0.38 old pending termination", 2, 3, 2, 4, 3, 3, "ReplicaSetUpdated", State::Progressing,
     "Waiting for deployment \"shop\" rollout to finish: 1 old replicas are pending "
     "termination..."},
    {"0.57 still surging", 2, 3, 2, 4, 3, 4, "ReplicaSetUpdated", State::Progressing,
     "Waiting for deployment \"shop\" rollout to finish: 1 old replicas are pending "
     "termination..."},
    {"0.73 done", 2, 3, 2, 3, 3, 3, "NewReplicaSetAvailable", State::Healthy,
     "deployment \"shop\" successfully rolled out"},
};

TEST(InjectDeploymentHealth, FollowsTheRecordedRolloutRowByRow) {
  for (const Row& row : kShopTrace) {
    SCOPED_TRACE(row.what);
    const RolloutHealth h = deploymentHealth(deployment(row, "shop"));
    EXPECT_EQ(toString(h.state), std::string(toString(row.state)));
    EXPECT_EQ(h.message, row.message);
  }
}

TEST(InjectDeploymentHealth, RulesInKubectlOrder) {
  const Row rows[] = {
      {"available lags updated", 2, 3, 2, 3, 3, 1, "ReplicaSetUpdated", State::Progressing,
       "Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas are "
       "available..."},
      {"observedGeneration ahead is fine", 2, 3, 3, 3, 3, 3, nullptr, State::Healthy,
       "deployment \"api\" successfully rolled out"},
      {"scaled to zero", 4, 0, 4, kNone, kNone, kNone, nullptr, State::Healthy,
       "deployment \"api\" successfully rolled out"},
      {"no spec.replicas skips the updated check", 1, kNone, 1, 0, 0, 0, nullptr, State::Healthy,
       "deployment \"api\" successfully rolled out"},
      {"no status at all", 1, 1, kNone, kNone, kNone, kNone, nullptr, State::Progressing,
       "Waiting for deployment spec update to be observed..."},
      {"deadline exceeded beats counts", 3, 3, 3, 4, 1, 3, "ProgressDeadlineExceeded",
       State::Failed, "deployment \"api\" exceeded its progress deadline"},
      {"deadline on an unobserved generation is not yet a failure", 4, 3, 3, 3, 3, 3,
       "ProgressDeadlineExceeded", State::Progressing,
       "Waiting for deployment spec update to be observed..."},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.what);
    const RolloutHealth h = deploymentHealth(deployment(row, "api"));
    EXPECT_EQ(toString(h.state), std::string(toString(row.state)));
    EXPECT_EQ(h.message, row.message);
  }
}

TEST(InjectDeploymentHealth, RecordedStuckDeploymentFails) {
  // Verbatim status of `stuck` 14 s after creation (progressDeadlineSeconds: 8).
  Json d = {{"metadata", {{"name", "stuck"}, {"generation", 1}}}, {"spec", {{"replicas", 2}}}};
  d["status"] = Json::parse(R"({
    "observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "unavailableReplicas": 2,
    "conditions": [
      {"type": "Available", "status": "False", "lastUpdateTime": "2026-11-21T05:48:31Z",
       "lastTransitionTime": "2026-11-21T05:48:31Z", "reason": "MinimumReplicasUnavailable",
       "message": "Deployment does not have minimum availability."},
      {"type": "Progressing", "status": "False", "lastUpdateTime": "2026-11-21T05:48:40Z",
       "lastTransitionTime": "2026-11-21T05:48:40Z", "reason": "ProgressDeadlineExceeded",
       "message": "ReplicaSet \"stuck-679bc7c994\" has timed out progressing."}]})");
  const RolloutHealth h = deploymentHealth(d);
  EXPECT_EQ(h.state, State::Failed);
  EXPECT_EQ(h.message, "deployment \"stuck\" exceeded its progress deadline");
}

TEST(InjectDeploymentHealth, MalformedInputIsProgressingNotACrash) {
  for (const Json& d : {Json(), Json::array(), Json{{"metadata", 1}, {"status", "x"}}}) {
    EXPECT_EQ(deploymentHealth(d).state, State::Progressing) << d.dump();
  }
}

}  // namespace
}  // namespace tro::controllers
