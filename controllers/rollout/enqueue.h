#pragma once
// Which TelemetryRollout keys ("ns/name") a watch event concerns. Pure; the informer handlers
// call these and enqueue the keys (the reconciler is level-based, so over-enqueueing is harmless
// and under-enqueueing is the bug to avoid).
//  - A TelemetryRollout event concerns that rollout.
//  - A Deployment event concerns the rollout its owner annotation names (old or new object: a
//    rollout must see a Deployment it claims disappear or change) and every TelemetryRollout in
//    the Deployment's namespace whose spec.selector matches the old or the new labels. Rollouts
//    with a missing or invalid selector match nothing here (their reconcile reports the spec).
//  - A Deployment event's keys go to the urgent lane when its own rollout failed.

#include <string>
#include <vector>

#include "controllers/rollout/typed_rollout.h"
#include "operator/kube/resource.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

std::string rolloutKey(const kube::Json& rollout);

// `oldDeployment` / `newDeployment` may be null (add / delete). `rollouts` are the
// rollouts that read the Deployment's namespace. The keys come back sorted and unique.
std::vector<std::string> rolloutKeysForDeployment(const kube::Json* oldDeployment,
                                                  const kube::Json* newDeployment,
                                                  const std::vector<TypedRolloutPtr>& rollouts);

// The work-queue lane a Deployment event's keys take. Urgent when the Deployment as it is now
// has a failed rollout of its own (its progress deadline exceeded): that is a breach, and the
// rollback goes ahead of other work. Normal otherwise, a deletion (`newDeployment` null)
// included: there is nothing left to roll back there.
enum class QueueLane { Normal, Urgent };
QueueLane laneForDeploymentEvent(const kube::Json* newDeployment);

}  // namespace tro::controllers
