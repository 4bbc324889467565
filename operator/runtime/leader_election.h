#pragma once
// LeaderElector: the I/O loop around decideLease() (client-go leaderelection with a Lease lock).
//
// Contract:
//  - tick() is one attempt: GET the Lease, decide, then create/PUT it. The loop started by
//    start() calls it every retryPeriod on the Clock, as leader (renew) and as candidate.
//  - Writes use the resourceVersion that was read: a 409 means another elector wrote first, and
//    counts as a failed attempt. As leader, failing to renew for renewDeadline loses leadership,
//    also while a request hangs: a watchdog thread (started by start()) ends leadership at
//    renewDeadline after the renewTime its last successful write stamped, as client-go's renew
//    timeout does, and a renewal answered only after renewDeadline does not count. So a leader cut
//    off from the API server stops leading before its Lease (leaseDuration > renewDeadline) can be
//    acquired by another candidate.
//  - Callbacks run on the elector's threads (or the caller of tick()/stop()), outside its lock:
//    onStartedLeading when we become leader, onStoppedLeading when we lose it or stop. When the
//    watchdog ends a term just as a renewal succeeds, the two may run at once on two threads
//    (the operator exits on the first).
//  - After losing leadership the elector stays a candidate (it may lead again); callers that
//    must not resume work (client-go exits the process) should act in onStoppedLeading.
//  - stop() joins the loop, then releases the Lease if releaseOnCancel and we lead, so another
//    candidate can acquire it at once instead of waiting for expiry.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "operator/base/clock.h"
#include "operator/kube/api_client.h"
#include "operator/runtime/leader_election_decision.h"

namespace tro::runtime {

struct LeaderCallbacks {
  std::function<void()> onStartedLeading;
  std::function<void()> onStoppedLeading;
};

class LeaderElector {
 public:
  LeaderElector(kube::ApiClient& client, const base::Clock& clock, LeaderElectionConfig config,
                LeaderCallbacks callbacks = {});
  ~LeaderElector();
  LeaderElector(const LeaderElector&) = delete;
  LeaderElector& operator=(const LeaderElector&) = delete;

  // One acquire-or-renew attempt; returns the action decided, or the error of the failed call.
  // Not to be called concurrently with the loop started by start().
  kube::Result<LeaseAction> tick();
  // Gives up the Lease if we lead (holderIdentity "", leaseDurationSeconds 1).
  kube::Result<void> release();

  void start();
  void stop();

  bool isLeader() const { return leading_.load(); }
  // The holderIdentity last read from the Lease ("" if none or not read yet).
  std::string observedHolder() const;
  // The last failed attempt's error ("" if none), for logs and metrics.
  std::string lastError() const;

 private:
  void run(std::stop_token stop);
  void watchdog(std::stop_token stop);
  // `stamped`: the time tick() read before the GET, which the Lease carries as renewTime.
  kube::Result<LeaseAction> write(const LeaseDecision& decision, LeaseNow stamped);
  void attemptFailed(base::MonoTime now);
  void stepDown();  // tick()'s thread: forgets the renewal, then stops leading
  // Leading until the deadline, or not leading (nullopt); runs the callback of a change.
  void setLeading(std::optional<base::MonoTime> until);
  void recordError(const kube::Error& error);

  kube::ApiClient& client_;
  const base::Clock& clock_;
  LeaderElectionConfig config_;
  LeaderCallbacks callbacks_;
  std::atomic<bool> leading_{false};
  // Written by tick()/release() only (one thread at a time by contract).
  std::optional<base::MonoTime> lastRenewed_;
  std::optional<LeaseObservation> observed_;  // what the last read saw, and since when
  kube::Json lastLease_;

  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::string observedHolder_;  // guarded by mu_
  std::string lastError_;       // guarded by mu_
  // While leading: when leadership ends unless a renewal succeeds first. Guarded by mu_.
  std::optional<base::MonoTime> leadingUntil_;
  std::jthread watchdog_;
  std::jthread thread_;  // the threads last: joined before the members they use are destroyed
};

}  // namespace tro::runtime
