#pragma once
// Notifications of a TelemetryRollout's outcome, besides Events: what is delivered where, and the
// seam to delivery (webhook_notifier.h). Which transitions notify and the document a webhook
// receives are the rollout's decisions: rollout/notification_document.h.
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

#include <chrono>
#include <string>

#include "operator/base/clock.h"
#include "operator/kube/resource.h"

namespace tro::controllers::notify {

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
  kube::Json document;  // rollout/notification_document.h
};

// The seam between the reconciler and delivery. notify() must not block on I/O.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void notify(Notification notification) = 0;
};

}  // namespace tro::controllers::notify
