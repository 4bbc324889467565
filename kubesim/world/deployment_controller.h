#pragma once
// DeploymentController: the rolling-update logic of Kubernetes' deployment controller, seen
// through the API. Per reconcile of one Deployment it does one step, like one sync of the real
// controller: find or create the new ReplicaSet `<deployment>-<pod-template-hash>` (revision
// annotation max+1, controller ownerReference, pod-template-hash label and selector), scale it up
// within maxSurge, otherwise scale old ReplicaSets down within maxUnavailable (unhealthy ones
// first), then write status (counters, Available/Progressing conditions, ProgressDeadlineExceeded)
// and ScalingReplicaSet Events. Recreate: old ReplicaSets to 0 first, then the new one.
// A paused Deployment is not scaled. Caveats: no proportional scaling of several active
// ReplicaSets, no revisionHistoryLimit cleanup, no adoption of orphaned ReplicaSets, no hash
// collision handling (collisionCount).

#include <random>
#include <string>
#include <vector>

#include "kubesim/world/sim_client.h"
#include "operator/base/clock.h"

namespace kubesim::world {

class DeploymentController {
 public:
  DeploymentController(SimClient& client, const tro::base::Clock& clock, std::uint64_t seed);
  // `replicaSets`: the ReplicaSets this Deployment controls (by controller ownerReference).
  Result<void> reconcile(const Json& deployment, std::vector<Json> replicaSets);

 private:
  Result<Json> ensureNewReplicaSet(Json& deployment, std::vector<Json>& replicaSets,
                                   const std::string& hash, int maxSurge);
  // One step of RollingUpdate (or Recreate once the old pods are gone).
  Result<void> rolloutStep(Json& deployment, std::vector<Json>& replicaSets,
                           const std::string& hash, bool recreate);
  Result<void> scaleDownOld(const Json& deployment, const std::vector<Json*>& olds,
                            const Json& newRs, int allSpec, int allAvailable);
  Result<void> scaleReplicaSet(const Json& deployment, Json& rs, int replicas);
  Result<void> writeStatus(const Json& deployment, const Json& newStatus);
  Result<void> cleanupOldReplicaSets(const Json& deployment, const std::vector<Json>& replicaSets,
                                     const std::string& hash);
  Result<void> setRevisionAnnotation(Json& deployment, const std::string& revision);

  SimClient& client_;
  const tro::base::Clock& clock_;
  std::mt19937_64 rng_;
};

}  // namespace kubesim::world
