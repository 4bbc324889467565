#pragma once
// Which phase transitions of a TelemetryRollout are worth a notification, and the JSON document
// its webhook receives (delivery: notify/). Pure.
//
// Document (Content-Type application/json), fields always present, null when unknown:
//   {"apiVersion": "rollout.telemetry.io/v1alpha1", "kind": "TelemetryRolloutNotification",
//    "rollout": {"namespace", "name", "uid", "generation"}, "phase", "reason", "message",
//    "check", "value", "threshold", "time"}
//   reason: the rollback's reason (ManualAbort, AnalysisFailed, ...) for RolledBack, else the
//   Ready condition's reason (Succeeded, InvalidSpec, ...); check/value/threshold come from
//   status.rollback (RolledBack only); time: when the transition was committed (RFC 3339).

#include <optional>
#include <string>

#include "controllers/rollout/plan.h"
#include "controllers/rollout/status.h"
#include "operator/base/clock.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

inline constexpr const char* kNotificationApiVersion = "rollout.telemetry.io/v1alpha1";
inline constexpr const char* kNotificationKind = "TelemetryRolloutNotification";

// True when entering `after` from `before` (nullopt: no status yet) is worth a notification:
// a change of phase into RolledBack, Succeeded or Failed.
bool isNotifiedTransition(std::optional<Phase> before, Phase after);

kube::Json notificationDocument(const RolloutIdentity& rollout, const RolloutStatus& status,
                                base::TimePoint now);

// Identifies one transition for de-duplication: a reconcile that re-plans from a cache that has
// not yet seen its own status write would otherwise notify the same transition twice. Distinct
// for a new generation and for each manual control acted on (a retry, then another abort).
std::string notificationKey(const RolloutIdentity& rollout, const RolloutStatus& status);

}  // namespace tro::controllers
