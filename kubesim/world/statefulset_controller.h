#pragma once
// StatefulSetController: the StatefulSet controller of Kubernetes seen through the API, one step
// per reconcile of one StatefulSet, like one sync of the real controller:
//   - pods are named `<set>-<ordinal>` (ordinals 0..replicas-1) with the template's labels plus
//     controller-revision-hash, statefulset.kubernetes.io/pod-name and
//     apps.kubernetes.io/pod-index, spec.hostname and (with serviceName) spec.subdomain;
//   - OrderedReady creates the lowest missing ordinal once every lower one is Running and Ready,
//     and scales down from the highest ordinal, one pod at a time; Parallel does both at once;
//   - RollingUpdate replaces pods in reverse ordinal order, one at a time and only while every
//     pod is Ready, down to spec.updateStrategy.rollingUpdate.partition: pods below it are kept,
//     and recreated, at the current revision; OnDelete replaces nothing (a pod deleted by someone
//     else comes back at the update revision);
//   - status: observedGeneration, replicas, readyReplicas, availableReplicas (minReadySeconds),
//     currentReplicas, updatedReplicas, currentRevision, updateRevision (`<set>-<hash>`),
//     collisionCount; currentRevision becomes the update revision once a RollingUpdate has every
//     pod updated and Ready;
//   - Events SuccessfulCreate / SuccessfulDelete ("create Pod web-0 in StatefulSet web
//     successful"), source statefulset-controller.
// Caveats: no ControllerRevision objects (the templates of earlier revisions are kept in memory,
// so a pod below the partition whose revision this process never saw is made from the update
// template), no volumeClaimTemplates (no PVCs), no maxUnavailable above 1, no ordinals.start.

#include <map>
#include <random>
#include <string>
#include <vector>

#include "kubesim/world/sim_client.h"
#include "operator/base/clock.h"

namespace kubesim::world {

class StatefulSetController {
 public:
  // `nodes`: where its pods are placed (WorldOptions::workerNodes).
  StatefulSetController(SimClient& client, const tro::base::Clock& clock, std::uint64_t seed,
                        std::vector<std::string> nodes);
  // `pods`: every pod this StatefulSet controls, terminating ones included (their names stay
  // taken until they are gone).
  Result<void> reconcile(const Json& statefulSet, const std::vector<Json>& pods);

 private:
  struct View;  // the set and its pods by ordinal, as one reconcile reads them
  // One step; returns once it has created or deleted a pod or has to wait.
  Result<void> step(const View& v);
  Result<void> createPod(const View& v, int ordinal, const Json& podTemplate,
                         const std::string& revision);
  Result<void> removePod(const View& v, const Json& pod);
  Result<void> writeStatus(const View& v);

  SimClient& client_;
  const tro::base::Clock& clock_;
  std::mt19937_64 rng_;
  std::vector<std::string> nodes_;
  // Pod templates by set uid, then revision name: the current and the update revision.
  std::map<std::string, std::map<std::string, Json>> templates_;
};

}  // namespace kubesim::world
