#pragma once
// ReplicaSetController: keeps spec.replicas pods per ReplicaSet. Pods are named
// `<rs>-<5 chars of the safe alphabet>`, carry the template's labels and annotations and a
// controller ownerReference; surplus pods go unready-first, then newest-first. Emits
// SuccessfulCreate / SuccessfulDelete Events (source replicaset-controller) and maintains
// status.replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (minReadySeconds
// honoured), observedGeneration. One reconcile does one convergence step per ReplicaSet.

#include <random>
#include <string>
#include <vector>

#include "kubesim/world/sim_client.h"
#include "kubesim/world/world_options.h"
#include "operator/base/clock.h"

namespace kubesim::world {

class ReplicaSetController {
 public:
  ReplicaSetController(SimClient& client, const tro::base::Clock& clock,
                       const WorldOptions& options);
  // `pods`: the live (not terminating) pods this ReplicaSet controls.
  Result<void> reconcile(const Json& replicaSet, const std::vector<Json>& pods);

 private:
  Result<void> createPod(const Json& rs);
  Result<void> updateStatus(const Json& rs, const std::vector<Json>& pods);

  SimClient& client_;
  const tro::base::Clock& clock_;
  std::mt19937_64 rng_;
  std::vector<std::string> nodes_;  // where its pods are placed (WorldOptions::workerNodes)
};

// Records a core/v1 Event about `object` (Normal type), as the controllers' recorders do.
Result<void> recordEvent(SimClient& client, const tro::base::Clock& clock, const Json& object,
                         const std::string& component, const std::string& reason,
                         const std::string& message, std::mt19937_64& rng);

}  // namespace kubesim::world
