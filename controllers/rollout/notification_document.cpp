#include "controllers/rollout/notification_document.h"

#include "controllers/rollout/conditions.h"
#include "operator/base/rfc3339.h"

namespace tro::controllers {

namespace {

std::string reasonOf(const RolloutStatus& status) {
  if (status.phase == Phase::RolledBack && status.rollback && !status.rollback->reason.empty()) {
    return status.rollback->reason;
  }
  if (const Condition* ready = findCondition(status.conditions, kConditionReady)) {
    if (!ready->reason.empty()) return ready->reason;
  }
  return toString(status.phase);
}

kube::Json orNull(const std::string& s) { return s.empty() ? kube::Json() : kube::Json(s); }

}  // namespace

bool isNotifiedTransition(std::optional<Phase> before, Phase after) {
  if (before && *before == after) return false;
  return after == Phase::RolledBack || after == Phase::Succeeded || after == Phase::Failed;
}

kube::Json notificationDocument(const RolloutIdentity& rollout, const RolloutStatus& status,
                                base::TimePoint now) {
  const bool rolledBack = status.phase == Phase::RolledBack && status.rollback.has_value();
  kube::Json value;  // null unless the rollback measured one
  if (rolledBack && status.rollback->value) value = *status.rollback->value;
  return {{"apiVersion", kNotificationApiVersion},
          {"kind", kNotificationKind},
          {"rollout",
           {{"namespace", rollout.namespace_},
            {"name", rollout.name},
            {"uid", orNull(rollout.uid)},
            {"generation", rollout.generation}}},
          {"phase", toString(status.phase)},
          {"reason", reasonOf(status)},
          {"message", rolledBack && !status.rollback->message.empty() ? status.rollback->message
                                                                      : status.message},
          {"check", rolledBack ? orNull(status.rollback->check) : kube::Json()},
          {"value", value},
          {"threshold", rolledBack ? orNull(status.rollback->threshold) : kube::Json()},
          {"time", base::formatRfc3339(now)}};
}

std::string notificationKey(const RolloutIdentity& rollout, const RolloutStatus& status) {
  const HandledControls& c = status.handledControls;
  return rollout.uid + "|" + std::to_string(status.observedGeneration) + "|" +
         toString(status.phase) + "|" + c.promote + "|" + c.abort + "|" + c.retry;
}

}  // namespace tro::controllers
