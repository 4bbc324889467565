#pragma once
// Pure rollout arithmetic of the Deployment controller, as in Kubernetes'
// pkg/controller/deployment/util: intOrString resolution (maxSurge rounds up, maxUnavailable
// rounds down, both zero -> maxUnavailable 1), the new ReplicaSet's next size, how many old
// replicas may go, and the status conditions with their exact reasons and messages.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"
#include "operator/base/clock.h"

namespace kubesim::world {

// An intOrString value ("25%" or 3) against `total`; `fallback` when absent or malformed.
int resolveIntOrPercent(const Json& value, int total, bool roundUp, int fallback);

struct Fenceposts {
  int maxSurge = 0;
  int maxUnavailable = 0;
  bool operator==(const Fenceposts&) const = default;
};
// From deployment.spec (replicas, strategy). Recreate has no surge and full unavailability.
Fenceposts resolveFenceposts(const Json& deploymentSpec);

// NewRSNewReplicas for RollingUpdate: the size the new ReplicaSet may grow to now.
int newReplicaSetSize(int desired, int maxSurge, int currentSpecTotal, int newSpec);
// reconcileOldReplicaSets' maxScaledDown: how many old replicas may go at all this step (unhealthy
// ones first); may be <= 0.
int maxScaledDown(int desired, int maxUnavailable, int allSpecTotal, int newSpec, int newAvailable);
// scaleDownOldReplicaSetsForRollingUpdate: how many available old replicas may go (>= 0).
int availableScaleDown(int desired, int maxUnavailable, int allAvailable);

// Deployment status counters as calculateStatus() derives them from the ReplicaSets.
struct ReplicaCounts {
  int specTotal = 0;  // sum of spec.replicas (all ReplicaSets)
  int replicas = 0;   // sum of status.replicas
  int updated = 0;    // new ReplicaSet's status.replicas
  int ready = 0;
  int available = 0;
};

// One status.conditions[] entry.
struct Condition {
  std::string type, status, reason, message;
  std::string lastUpdateTime, lastTransitionTime;
  Json toJson() const;
  static Condition fromJson(const Json& j);
};

// SetDeploymentCondition: same status and reason -> unchanged; same status -> keeps
// lastTransitionTime; replaces any condition of that type.
void setCondition(std::vector<Condition>& conds, Condition c);
const Condition* findCondition(const std::vector<Condition>& conds, const std::string& type);

struct StatusInput {
  Json deployment;                // the Deployment as last read (its old status included)
  std::string newReplicaSetName;  // "" when none
  ReplicaCounts counts;
  Fenceposts fenceposts;
  tro::base::TimePoint now;
};
// The whole new status (observedGeneration, counters, Available and Progressing conditions
// following syncRolloutStatus, ProgressDeadlineExceeded included).
Json computeDeploymentStatus(const StatusInput& in);
// DeploymentComplete: what `kubectl rollout status` waits for.
bool deploymentComplete(const Json& deployment, const Json& status);

}  // namespace kubesim::world
