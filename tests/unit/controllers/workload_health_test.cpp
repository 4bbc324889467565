// StatefulSet and DaemonSet rollout health (workload_health.h): a table per kind, each row a
// workload as the API server would return it mid-rollout, with kubectl's verdict and words.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "controllers/rollout/workload_health.h"

namespace tro::controllers {
namespace {

using Json = nlohmann::json;
using State = RolloutHealth::State;

struct Case {
  const char* what;
  const char* object;  // JSON
  RolloutHealth health;
};

TEST(WorkloadHealth, StatefulSetFollowsKubectlRolloutStatus) {
  const std::vector<Case> cases = {
      {"OnDelete has no rollout",
       R"({"metadata": {"name": "db", "generation": 2},
           "spec": {"replicas": 3, "updateStrategy": {"type": "OnDelete"}},
           "status": {"observedGeneration": 2, "readyReplicas": 3}})",
       {State::NotRollable,
        "statefulset \"db\" uses the OnDelete update strategy: its pods change only when they "
        "are deleted, so there is no rollout to wait for (rollout status is only available for "
        "RollingUpdate)"}},
      {"no status yet",
       R"({"metadata": {"name": "db", "generation": 1}, "spec": {"replicas": 3}})",
       {State::Progressing, "Waiting for statefulset spec update to be observed..."}},
      {"new generation not observed",
       R"({"metadata": {"name": "db", "generation": 3},
           "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                                      "rollingUpdate": {"partition": 0}}},
           "status": {"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3}})",
       {State::Progressing, "Waiting for statefulset spec update to be observed..."}},
      {"a pod not ready (the highest ordinal is being replaced)",
       R"({"metadata": {"name": "db", "generation": 3},
           "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                                      "rollingUpdate": {"partition": 0}}},
           "status": {"observedGeneration": 3, "readyReplicas": 2, "updatedReplicas": 0}})",
       {State::Progressing, "Waiting for 1 pods to be ready..."}},
      {"ready but not all updated",
       R"({"metadata": {"name": "db", "generation": 3},
           "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                                      "rollingUpdate": {"partition": 0}}},
           "status": {"observedGeneration": 3, "readyReplicas": 3, "updatedReplicas": 2}})",
       {State::Progressing,
        "Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated..."}},
      {"all updated",
       R"({"metadata": {"name": "db", "generation": 3},
           "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                                      "rollingUpdate": {"partition": 0}}},
           "status": {"observedGeneration": 3, "readyReplicas": 3, "updatedReplicas": 3}})",
       {State::Healthy, "partitioned roll out complete: 3 new pods have been updated..."}},
      {"partition 2 of 3: one updated pod is the whole rollout",
       R"({"metadata": {"name": "db", "generation": 3},
           "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                                      "rollingUpdate": {"partition": 2}}},
           "status": {"observedGeneration": 3, "readyReplicas": 3, "updatedReplicas": 1}})",
       {State::Healthy, "partitioned roll out complete: 1 new pods have been updated..."}},
      {"partition 2 of 3 before its pod is updated",
       R"({"metadata": {"name": "db", "generation": 3},
           "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate",
                                                      "rollingUpdate": {"partition": 2}}},
           "status": {"observedGeneration": 3, "readyReplicas": 3, "updatedReplicas": 0}})",
       {State::Progressing,
        "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated..."}},
      {"no rollingUpdate: revisions differ",
       R"({"metadata": {"name": "db", "generation": 3}, "spec": {"replicas": 2},
           "status": {"observedGeneration": 3, "readyReplicas": 2, "updatedReplicas": 1,
                      "currentReplicas": 1, "currentRevision": "db-6b7", "updateRevision": "db-9c4"}})",
       {State::Progressing,
        "waiting for statefulset rolling update to complete 1 pods at "
        "revision db-9c4..."}},
      {"a malformed status reads as revisions unknown, never throws",
       R"({"metadata": {"name": 7, "generation": 3}, "spec": {"replicas": 2},
           "status": {"observedGeneration": 3, "readyReplicas": 2, "updatedReplicas": 2,
                      "currentReplicas": 2, "currentRevision": 1, "updateRevision": "db-9c4"}})",
       {State::Progressing,
        "waiting for statefulset rolling update to complete 2 pods at "
        "revision db-9c4..."}},
      {"no rollingUpdate: revisions equal",
       R"({"metadata": {"name": "db", "generation": 3}, "spec": {"replicas": 2},
           "status": {"observedGeneration": 3, "readyReplicas": 2, "updatedReplicas": 2,
                      "currentReplicas": 2, "currentRevision": "db-9c4", "updateRevision": "db-9c4"}})",
       {State::Healthy, "statefulset rolling update complete 2 pods at revision db-9c4..."}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(statefulSetHealth(Json::parse(c.object)), c.health) << c.what;
  }
}

TEST(WorkloadHealth, DaemonSetFollowsKubectlRolloutStatus) {
  const std::vector<Case> cases = {
      {"OnDelete has no rollout",
       R"({"metadata": {"name": "agent", "generation": 1},
           "spec": {"updateStrategy": {"type": "OnDelete"}}, "status": {"observedGeneration": 1}})",
       {State::NotRollable,
        "daemon set \"agent\" uses the OnDelete update strategy: its pods change only when they "
        "are deleted, so there is no rollout to wait for (rollout status is only available for "
        "RollingUpdate)"}},
      {"no status yet",
       R"({"metadata": {"name": "agent", "generation": 1}, "spec": {}})",
       {State::Progressing, "Waiting for daemon set spec update to be observed..."}},
      {"new generation not observed",
       R"({"metadata": {"name": "agent", "generation": 4},
           "status": {"observedGeneration": 3, "desiredNumberScheduled": 3,
                      "updatedNumberScheduled": 3, "numberAvailable": 3}})",
       {State::Progressing, "Waiting for daemon set spec update to be observed..."}},
      {"one node still runs the old pod",
       R"({"metadata": {"name": "agent", "generation": 4},
           "status": {"observedGeneration": 4, "desiredNumberScheduled": 3,
                      "updatedNumberScheduled": 2, "numberAvailable": 3}})",
       {State::Progressing,
        "Waiting for daemon set \"agent\" rollout to finish: 2 out of 3 new pods have been "
        "updated..."}},
      {"updated everywhere, one not available yet",
       R"({"metadata": {"name": "agent", "generation": 4},
           "status": {"observedGeneration": 4, "desiredNumberScheduled": 3,
                      "updatedNumberScheduled": 3, "numberAvailable": 2}})",
       {State::Progressing,
        "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are "
        "available..."}},
      {"rolled out",
       R"({"metadata": {"name": "agent", "generation": 4},
           "spec": {"updateStrategy": {"type": "RollingUpdate"}},
           "status": {"observedGeneration": 4, "desiredNumberScheduled": 3,
                      "updatedNumberScheduled": 3, "numberAvailable": 3}})",
       {State::Healthy, "daemon set \"agent\" successfully rolled out"}},
      {"no nodes: nothing to wait for",
       R"({"metadata": {"name": "agent", "generation": 1}, "status": {"observedGeneration": 1}})",
       {State::Healthy, "daemon set \"agent\" successfully rolled out"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(daemonSetHealth(Json::parse(c.object)), c.health) << c.what;
  }
}

TEST(WorkloadHealth, StatesHaveNames) {
  EXPECT_STREQ(toString(State::NotRollable), "NotRollable");
  EXPECT_STREQ(toString(State::Healthy), "Healthy");
}

TEST(WorkloadHealth, FollowsTheKindTheWorkloadSaysItIs) {
  const Json onDelete = Json::parse(R"({"metadata": {"name": "x", "generation": 1},
    "spec": {"updateStrategy": {"type": "OnDelete"}}, "status": {"observedGeneration": 1}})");
  for (const char* kind : {"StatefulSet", "DaemonSet"}) {
    Json w = onDelete;
    w["kind"] = kind;
    EXPECT_EQ(workloadHealth(w).state, RolloutHealth::State::NotRollable) << kind;
  }
  // A Deployment (or an object that says nothing) knows no OnDelete: read as a Deployment.
  EXPECT_EQ(workloadHealth(onDelete), deploymentHealth(onDelete));
  Json d = onDelete;
  d["kind"] = "Deployment";
  EXPECT_NE(workloadHealth(d).state, RolloutHealth::State::NotRollable);
}

}  // namespace
}  // namespace tro::controllers
