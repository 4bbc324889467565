#pragma once
// Which TelemetryRollout keys ("ns/name") a watch event concerns. Pure; the informer handlers
// call these and enqueue the keys (the reconciler is level-based, so over-enqueueing is harmless
// and under-enqueueing is the bug to avoid).
//  - A TelemetryRollout event concerns that rollout.
//  - A Deployment event concerns the rollout its owner annotation names (old or new object: a
//    rollout must see a Deployment it claims disappear or change) and every TelemetryRollout in
//    the Deployment's namespace whose spec.selector matches the old or the new labels. Rollouts
//    with a missing or invalid selector match nothing here (their reconcile reports the spec).

#include <string>
#include <vector>

#include "operator/kube/resource.h"
#include "operator/runtime/store.h"

namespace tro::controllers {

std::string rolloutKey(const kube::Json& rollout);

// `oldDeployment` / `newDeployment` may be null (add / delete). `rollouts` are the
// TelemetryRollouts of the Deployment's namespace. The keys come back sorted and unique.
std::vector<std::string> rolloutKeysForDeployment(const kube::Json* oldDeployment,
                                                  const kube::Json* newDeployment,
                                                  const std::vector<runtime::ObjectPtr>& rollouts);

}  // namespace tro::controllers
