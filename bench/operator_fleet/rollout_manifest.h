#pragma once
// The TelemetryRollouts of the operator fleet benchmark, over the fleet of fleet_manifest.h with
// 10 namespaces: rollout r selects the group g = r / 10 (label kFleetGroupLabel = g<g>) in
// namespace fleet-<r mod 10>, that is the 10 Deployments fleet-<g * 100 + r mod 10 + 10 j> for
// j = 0..9, and is named tro-g<g>. Its steps: setWeight 50, whose wave is the first 5 of them by
// name (the operator enables in name order), a pause of 1h (a canary window that outlasts the
// benchmark, so the rollout sits still), then setWeight 100. No analysis: a rollout without it
// is valid and its window sends nothing to Prometheus, so the steady state shows the operator's
// own requests only. Pure.

#include <map>
#include <string>
#include <vector>

#include "bench/common/fleet_manifest.h"
#include "operator/kube/resource.h"

namespace tro::bench {

inline constexpr int kFleetNamespaces = 10;
inline constexpr int kTargetsPerRollout = kFleetGroupSize / kFleetNamespaces;
inline constexpr int kFirstWaveWeight = 50;  // percent of the selected Deployments
inline constexpr const char* kWindow = "1h";
inline constexpr const char* kEnabledValue = "true";

// N Deployments of 2 replicas in kFleetNamespaces namespaces.
FleetShape fleetShapeOf(int deployments);
// How many rollouts a fleet of `deployments` holds: one per full group of 100 and namespace.
int maxRollouts(int deployments);
// Deployments in the first wave of each rollout: kFirstWaveWeight percent of
// kTargetsPerRollout, by the operator's own rule (controllers/rollout/targets.h: rounded up).
int firstWaveSize();

std::string rolloutNamespace(int rollout);
std::string rolloutName(int rollout);
kube::Json fleetRollout(int rollout);
// The fleet indices (fleetName()) of the Deployments `rollout` selects, in name order.
std::vector<int> rolloutTargets(int rollout);
// "<namespace>/<name>" (objectKey()) of every first-wave Deployment of rollouts 0..rollouts-1,
// mapped to its rollout.
std::map<std::string, int> firstWaves(int rollouts);

}  // namespace tro::bench
