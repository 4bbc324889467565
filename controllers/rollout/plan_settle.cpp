#include "controllers/rollout/plan_settle.h"
#include "controllers/rollout/workload_kind.h"

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

void announceLeftToOthers(std::vector<PlannedEvent>& events,
                          const std::map<std::string, std::vector<std::string>>& leftToOthers,
                          const std::map<std::string, WriteFailure>& failedWrites) {
  for (const auto& entry : leftToOthers) {
    const std::string& deployment = entry.first;  // a name, not a structured binding: clang 14
    const auto& left = entry.second;              // cannot capture those in the lambda below
    if (left.empty() || failedWrites.count(deployment) > 0) continue;
    std::string except = ", except what another field manager owns now: ";
    for (size_t i = 0; i < left.size(); ++i) except += (i == 0 ? "" : "; ") + left[i];
    auto restored = std::find_if(events.begin(), events.end(), [&](const PlannedEvent& e) {
      return e.reason == "Restored" && e.deployment == deployment;
    });
    if (restored != events.end()) {
      restored->message += except;
    } else {  // a target in Conflict is restored too, without a state change to announce it
      events.push_back({PlannedEvent::Type::Normal, "Restored",
                        describeTarget(deployment) + " restored" + except, deployment});
    }
  }
}

}  // namespace tro::controllers
