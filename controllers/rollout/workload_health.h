#pragma once
// The health of one workload's own rollout, by exactly the rules `kubectl rollout status`
// applies to its kind (kubectl/pkg/polymorphichelpers/rollout_status.go). Messages match
// kubectl's wording so they can be surfaced verbatim in Events and conditions. Pure.
//
// Deployment (DeploymentStatusViewer):
//   1. status.observedGeneration < metadata.generation, or no status object -> Progressing
//      ("Waiting for deployment spec update to be observed...")
//   2. condition Progressing with reason ProgressDeadlineExceeded -> Failed
//   3. updatedReplicas < spec.replicas                        -> Progressing ("... N out of M new
//      replicas have been updated...")
//   4. replicas > updatedReplicas                             -> Progressing (old replicas
//      pending termination)
//   5. availableReplicas < updatedReplicas                    -> Progressing ("... N of M updated
//      replicas are available...")
//   otherwise Healthy ("deployment "x" successfully rolled out").
// Missing status fields count as 0; like kubectl, rule 3 is skipped when spec.replicas is absent
// (the API server always defaults it, so this only matters for hand-written fixtures).
//
// StatefulSet (StatefulSetStatusViewer):
//   0. spec.updateStrategy.type other than RollingUpdate (OnDelete)   -> NotRollable: its pods
//      change only when someone deletes them, so no rollout of it can be waited for
//   1. status.observedGeneration 0 or < metadata.generation          -> Progressing
//   2. readyReplicas < spec.replicas                                   -> Progressing
//   3. with spec.updateStrategy.rollingUpdate (the API server defaults it, partition 0):
//      updatedReplicas < spec.replicas - partition                     -> Progressing
//      otherwise                                                       -> Healthy ("partitioned
//      roll out complete"; with a partition > 0 the ordinals below it keep the old template)
//   4. without it: updateRevision != currentRevision                   -> Progressing
//   otherwise Healthy.
// DaemonSet (DaemonSetStatusViewer):
//   0. spec.updateStrategy.type other than RollingUpdate (OnDelete)   -> NotRollable
//   1. status.observedGeneration < metadata.generation                -> Progressing
//   2. updatedNumberScheduled < desiredNumberScheduled                 -> Progressing
//   3. numberAvailable < desiredNumberScheduled                        -> Progressing
//   otherwise Healthy.
// A missing strategy type counts as RollingUpdate (the API server's default); missing counts
// as 0.

#include <string>

#include "operator/kube/resource.h"

namespace tro::controllers {

struct RolloutHealth {
  // NotRollable: the workload's update strategy has no rollout to wait for (a StatefulSet or
  // DaemonSet with OnDelete); never a Deployment.
  enum class State { Progressing, Healthy, Failed, NotRollable };
  State state = State::Progressing;
  std::string message;
  bool operator==(const RolloutHealth&) const = default;
};

const char* toString(RolloutHealth::State state);

RolloutHealth deploymentHealth(const nlohmann::json& deployment);
RolloutHealth statefulSetHealth(const nlohmann::json& statefulSet);
RolloutHealth daemonSetHealth(const nlohmann::json& daemonSet);
// By the kind the workload says it is (workload_kind.h: a cached workload is stamped with it).
RolloutHealth workloadHealth(const nlohmann::json& workload);

}  // namespace tro::controllers
