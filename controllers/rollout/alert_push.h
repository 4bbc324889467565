#pragma once
// Which rollouts an alert pushed by Alertmanager concerns: those with an alert gate
// (spec.analysis.alerts) that selects one of the firing alerts, by name and matchLabels, as the
// analysis itself would. Those rollouts are analysed at once instead of at their next interval;
// the verdict still comes from Prometheus (a push is an accelerator, never the evidence). Pure.

#include <string>
#include <vector>

#include "controllers/analysis/prometheus_types.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

// "<namespace>/<name>" of every rollout in `rollouts` (TelemetryRollout objects, any
// namespace) whose valid spec gates on a firing alert among `alerts`; in `rollouts` order.
std::vector<std::string> rolloutsGatedBy(const std::vector<analysis::Alert>& alerts,
                                         const std::vector<const kube::Json*>& rollouts);

}  // namespace tro::controllers
