#include "controllers/rollout/plan_settle.h"

#include <algorithm>

#include "operator/base/untrusted_text.h"

namespace tro::controllers {

namespace {

// Events that report a change made to the Deployment itself.
bool announcesWrite(const PlannedEvent& e) {
  return e.reason == "TargetEnabled" || e.reason == "TargetUpdated" ||
         e.reason == "TelemetryDisabled" || e.reason == "Restored";
}

}  // namespace

void settleUnacknowledged(Plan& plan, const std::optional<RolloutStatus>& previous,
                          const std::map<std::string, WriteFailure>& failedWrites,
                          size_t selected) {
  if (failedWrites.empty()) return;
  for (TargetStatus& t : plan.status.targets) {
    auto failed = failedWrites.find(t.name);
    if (failed == failedWrites.end()) continue;
    const std::string why = base::cleanExcerpt(failed->second.message, kTargetMessageBytes);
    if (failed->second.kind == WriteFailure::Kind::Conflict) {
      t = {t.name, TargetState::Conflict, "", why};
      continue;
    }
    const TargetStatus* before = previous ? previous->target(t.name) : nullptr;
    t = before != nullptr ? *before : TargetStatus{t.name, TargetState::Pending, "", ""};
    t.message = "not acknowledged by the API server: " + why;
  }
  std::erase_if(plan.events, [&](const PlannedEvent& e) {
    return announcesWrite(e) && failedWrites.count(e.deployment) > 0;
  });
  const auto enabled =
      std::count_if(plan.status.targets.begin(), plan.status.targets.end(),
                    [](const TargetStatus& t) { return t.state == TargetState::Enabled; });
  plan.status.targetProgress = std::to_string(enabled) + "/" + std::to_string(selected);
}

}  // namespace tro::controllers
