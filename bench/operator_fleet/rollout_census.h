#pragma once
// Where the benchmark's TelemetryRollouts are, from their status: how many hold in their canary
// window (phase Progressing at step 1 or later, i.e. the first wave rolled out and the 1h pause
// running), and how many are in each phase. holdsInWindow() is pure; countRollouts() is one
// paged LIST of the rollouts of all namespaces.

#include <map>
#include <string>

#include "operator/kube/api_client.h"

namespace tro::bench {

struct RolloutCensus {
  int listed = 0;
  int holding = 0;
  std::map<std::string, int> phases;  // status.phase ("" before the first status) -> rollouts
  std::string summary() const;        // "500 listed, 480 holding; Progressing 500"
};

// Pure: one TelemetryRollout as the API returns it.
bool holdsInWindow(const kube::Json& rollout);

kube::Result<RolloutCensus> countRollouts(kube::ApiClient& client, int listLimit);

}  // namespace tro::bench
