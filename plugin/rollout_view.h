#pragma once
// What `kubectl telemetry get` and `list` print, computed purely from what was read and `now`, so
// that golden tests pin it down: the phase and its reason, the steps with the current one marked,
// the window's remaining time, each target with its state and its own rollout's progress, the
// last analysis (each check with value, threshold and outcome), the rollback record and the last
// Events. Text from the server is cleaned (control characters replaced, long values cut), so a
// hostile message cannot move the cursor or fill the screen.

#include <string>
#include <vector>

#include "operator/base/clock.h"
#include "operator/kube/resource.h"

namespace tro::plugin {

struct RolloutView {
  kube::Json rollout;  // the TelemetryRollout as read
  // Its namespace's workloads of the kinds it targets (targets are looked up by key); each says
  // its kind (the lister stamps it: LIST items carry none), a workload without one is a
  // Deployment.
  std::vector<kube::Json> workloads;
  std::vector<kube::Json> events;  // Events about the rollout, in any order
};

inline constexpr size_t kEventsShown = 5;

std::string renderRollout(const RolloutView& view, base::TimePoint now);

// One line per rollout: NAMESPACE (with -A), NAME, PHASE, REASON, STEP, TARGETS, AGE.
std::string renderList(const std::vector<kube::Json>& rollouts, bool withNamespace,
                       base::TimePoint now);

// "45s", "3m20s", "2h5m", "3d4h": kubectl's short ages.
std::string shortDuration(std::chrono::nanoseconds d);

}  // namespace tro::plugin
