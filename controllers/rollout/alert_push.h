#pragma once
// Which rollouts an alert pushed by Alertmanager concerns: those with an alert gate
// (spec.analysis.alerts) that selects one of the firing alerts, by name and matchLabels, as the
// analysis itself would. Those rollouts are analysed at once instead of at their next interval;
// the verdict still comes from Prometheus (a push is an accelerator, never the evidence). Pure.

#include <string>
#include <vector>

#include "controllers/analysis/prometheus_types.h"
#include "controllers/rollout/typed_rollout.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

// The key of every rollout in `rollouts` (TelemetryRollouts of any namespace and
// ClusterTelemetryRollouts) whose valid spec gates on a firing alert among `alerts`; in
// `rollouts` order.
std::vector<std::string> rolloutsGatedBy(const std::vector<analysis::Alert>& alerts,
                                         const std::vector<TypedRolloutPtr>& rollouts);

}  // namespace tro::controllers
