#pragma once
// The fleet's rollout as a client sees it: a DeploymentWatch of all namespaces (every Deployment
// as ADDED, then the changes) keeps, for every Deployment, whether it is rolled out by
// fleetRolledOut(); the arrival of the event that made the last one rolled out ends the rollout.

#include <chrono>
#include <optional>
#include <string>

#include "bench/common/fleet_manifest.h"
#include "operator/kube/api_client.h"

namespace tro::bench {

struct RolloutFigures {
  std::optional<double> seconds;  // `since` -> all `shape.deployments` rolled out
  int rolledOut = 0;              // at the end of the wait
  int seen = 0;                   // Deployments the watch knows
  int resyncs = 0;                // the watch fell behind the server's history: re-opened afresh
  std::string error;              // "" when all rolled out within the timeout
};

// Starts the watch now and waits up to `timeout` for every Deployment of `shape` to be rolled
// out (checking the watch's health every second).
RolloutFigures waitRolledOut(kube::ApiClient& client, const FleetShape& shape,
                             std::chrono::steady_clock::time_point since,
                             std::chrono::milliseconds timeout);

}  // namespace tro::bench
