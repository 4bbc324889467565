#pragma once
// After the executor ran a Plan's target writes: a target's status may say what the operator
// did to it only when the API server acknowledged the write. A target whose write failed (a
// refused change, an API error, every attempt lost to other writers) keeps the state it had in
// the previous status (Pending when there was none) with the failure as its message; the events
// that announced its change are dropped and the target progress is recounted. Pure.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controllers/rollout/plan.h"

namespace tro::controllers {

// Bytes of a failure kept in a target's message (an API server's Invalid message can quote the
// whole object).
inline constexpr size_t kTargetMessageBytes = 512;

struct WriteFailure {
  // Conflict: the injection was refused on the live object (the target becomes Conflict, as the
  // next plan would say). Error: the server refused or never took the write.
  enum class Kind { Conflict, Error };
  Kind kind = Kind::Error;
  std::string message;
};

// failedWrites: deployment -> why its write was not acknowledged. `selected`: how many
// Deployments the rollout selects (the denominator of targetProgress).
void settleUnacknowledged(Plan& plan, const std::optional<RolloutStatus>& previous,
                          const std::map<std::string, WriteFailure>& failedWrites, size_t selected);

// A restore leaves alone the fields another field manager owns by then (inject.h): each
// restored Deployment's Event (or a new Restored Event, for a target in Conflict) names them,
// `leftToOthers` by Deployment; nothing for a Deployment whose write failed.
void announceLeftToOthers(std::vector<PlannedEvent>& events,
                          const std::map<std::string, std::vector<std::string>>& leftToOthers,
                          const std::map<std::string, WriteFailure>& failedWrites);

}  // namespace tro::controllers
