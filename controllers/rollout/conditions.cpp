#include "controllers/rollout/conditions.h"

namespace tro::controllers {

const Condition* findCondition(const std::vector<Condition>& conditions, const std::string& type) {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

void setCondition(std::vector<Condition>& conditions, const std::string& type,
                  const ConditionValue& value, int64_t generation, base::TimePoint now) {
  std::string status = value.status ? "True" : "False";
  Condition* existing = nullptr;
  for (auto& c : conditions) {
    if (c.type == type) existing = &c;
  }
  if (existing == nullptr) {
    conditions.push_back({type, status, value.reason, value.message, generation, now});
    return;
  }
  if (existing->status != status) existing->lastTransitionTime = now;
  existing->status = status;
  existing->reason = value.reason;
  existing->message = value.message;
  existing->observedGeneration = generation;
}

}  // namespace tro::controllers
