#pragma once
// DaemonSetController: the DaemonSet controller of Kubernetes seen through the API, one step per
// reconcile of one DaemonSet, over the simulated nodes (WorldOptions::nodes; every node fits):
//   - one pod per node, named `<set>-<5 characters>`, bound to its node (spec.nodeName and the
//     node-affinity term the real controller writes), with the template's labels plus
//     controller-revision-hash (the template hash) and pod-template-generation; a surplus pod on a
//     node, or a pod on a node that does not exist, is deleted;
//   - RollingUpdate deletes pods of an older template, unavailable ones at once and available
//     ones while fewer than maxUnavailable (an integer or a percentage of the nodes, rounded up,
//     at least 1) nodes lack an available pod; the node gets a new pod on the next step. OnDelete
//     replaces nothing; a deleted pod comes back from the current template;
//   - status: desiredNumberScheduled, currentNumberScheduled, numberMisscheduled, numberReady,
//     numberAvailable (minReadySeconds), numberUnavailable, updatedNumberScheduled,
//     observedGeneration;
//   - Events SuccessfulCreate "Created pod: x" / SuccessfulDelete "Deleted pod: x", source
//     daemonset-controller.
// Caveats: no node selectors, taints or tolerations (every node runs every DaemonSet), maxSurge
// is not simulated (a surge rollout behaves as maxUnavailable 1), no ControllerRevisions.

#include <random>
#include <string>
#include <vector>

#include "kubesim/world/sim_client.h"
#include "operator/base/clock.h"

namespace kubesim::world {

class DaemonSetController {
 public:
  DaemonSetController(SimClient& client, const tro::base::Clock& clock,
                      std::vector<std::string> nodes, std::uint64_t seed);
  // `pods`: the live (not terminating) pods this DaemonSet controls.
  Result<void> reconcile(const Json& daemonSet, const std::vector<Json>& pods);

 private:
  Result<void> createPod(const Json& set, const std::string& node, const std::string& hash);
  Result<void> removePod(const Json& set, const Json& pod);
  // Deletes pods of an older template within the maxUnavailable budget.
  Result<void> rollingUpdate(const Json& set, const std::vector<const Json*>& placed,
                             const std::string& hash);
  Result<void> writeStatus(const Json& set, const std::vector<Json>& pods, const std::string& hash);

  SimClient& client_;
  const tro::base::Clock& clock_;
  std::vector<std::string> nodes_;
  std::mt19937_64 rng_;
};

}  // namespace kubesim::world
