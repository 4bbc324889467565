#pragma once
// Notifications of a TelemetryRollout's outcome, besides Events: which phase transitions notify
// and the JSON document a webhook receives. Pure; delivery is webhook_notifier.h's job.
//
// Design (issue 6):
//  - Per rollout, spec.notifications.webhook {url, timeout}: the team that owns the rollout owns
//    where it is told; an operator-wide --notification-webhook-url serves rollouts without one
//    (a platform team's channel). One destination per rollout, never both: a rollout's own
//    webhook replaces the default, so a team can route away from the platform channel.
//  - Notify on entering RolledBack, Succeeded or Failed only: the moments a person may need to
//    act or can stop watching. Intermediate phases stay Events (kubectl describe).
//  - Notify only after the status write that commits the new phase succeeded: the status is the
//    record, the notification reports it. A failed status write re-plans and notifies later;
//    a notification never precedes (or blocks) the rollback's Deployment writes.
//  - Delivery is at most once per transition: a notification queued in memory is lost if the
//    operator restarts before it is delivered (the restarted operator reads the new phase from
//    status and sees no transition). Receivers must not rely on seeing every transition.
//
// Document (Content-Type application/json), fields always present, null when unknown:
//   {"apiVersion": "rollout.telemetry.io/v1alpha1", "kind": "TelemetryRolloutNotification",
//    "rollout": {"namespace", "name", "uid", "generation"}, "phase", "reason", "message",
//    "check", "value", "threshold", "time"}
//   reason: the rollback's reason (ManualAbort, AnalysisFailed, ...) for RolledBack, else the
//   Ready condition's reason (Succeeded, InvalidSpec, ...); check/value/threshold come from
//   status.rollback (RolledBack only); time: when the transition was committed (RFC 3339).

#include <chrono>
#include <optional>
#include <string>

#include "controllers/rollout/plan.h"
#include "controllers/rollout/status.h"
#include "operator/base/clock.h"
#include "operator/kube/resource.h"

namespace tro::controllers::notify {

inline constexpr const char* kDocumentApiVersion = "rollout.telemetry.io/v1alpha1";
inline constexpr const char* kDocumentKind = "TelemetryRolloutNotification";

// Where one rollout's notifications go.
struct WebhookTarget {
  std::string url;
  base::Duration timeout = std::chrono::seconds(5);  // per attempt
  bool operator==(const WebhookTarget&) const = default;
};

struct Notification {
  WebhookTarget target;
  std::string rollout;  // "namespace/name", for logs
  std::string phase;    // the phase entered, for logs
  kube::Json document;
};

// The seam between the reconciler and delivery. notify() must not block on I/O.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void notify(Notification notification) = 0;
};

// True when entering `after` from `before` (nullopt: no status yet) is worth a notification:
// a change of phase into RolledBack, Succeeded or Failed.
bool notifies(std::optional<Phase> before, Phase after);

kube::Json makeDocument(const RolloutIdentity& rollout, const RolloutStatus& status,
                        base::TimePoint now);

// Identifies one transition for de-duplication: a reconcile that re-plans from a cache that has
// not yet seen its own status write would otherwise notify the same transition twice. Distinct
// for a new generation and for each manual control acted on (a retry, then another abort).
std::string transitionKey(const RolloutIdentity& rollout, const RolloutStatus& status);

}  // namespace tro::controllers::notify
