#pragma once
// The health of one Deployment's own rollout, by exactly the rules `kubectl rollout status`
// applies (kubectl/pkg/polymorphichelpers/rollout_status.go, DeploymentStatusViewer):
//   1. status.observedGeneration < metadata.generation, or no status object -> Progressing
//   ("Waiting for
//      deployment spec update to be observed...")
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
// Messages match kubectl's wording so they can be surfaced verbatim in Events and conditions.

#include <string>

#include "operator/kube/resource.h"

namespace tro::controllers {

struct RolloutHealth {
  enum class State { Progressing, Healthy, Failed };
  State state = State::Progressing;
  std::string message;
  bool operator==(const RolloutHealth&) const = default;
};

const char* toString(RolloutHealth::State state);

RolloutHealth deploymentHealth(const nlohmann::json& deployment);

}  // namespace tro::controllers
