#pragma once
// The pure half of leader election (client-go's tryAcquireOrRenew, without the I/O): given the
// Lease as read (or absent), who we are, the time, and whether we currently lead, decide what to
// do and build the Lease to write. The thin loop in leader_election.h performs the I/O.
//
// Rules (coordination.k8s.io/v1 Lease, MicroTime "2026-11-21T05:03:00.123456Z"):
//  - Lost:    we lead but could not renew within renewDeadline, or another holder is recorded.
//  - Create:  no Lease exists.
//  - Renew:   we hold it; renewTime moves to now, acquireTime and leaseTransitions are kept.
//  - Acquire: holder empty (released) or expired (renewTime + leaseDurationSeconds < now);
//             acquireTime = renewTime = now, leaseTransitions + 1.
//  - Wait:    another holder's lease is still valid until `expiresAt`.
// Acquire/Renew keep metadata.resourceVersion, so the PUT fails with 409 if someone else wrote.

#include <chrono>
#include <optional>
#include <string>

#include "operator/base/clock.h"
#include "operator/kube/resource.h"

namespace tro::runtime {

struct LeaderElectionConfig {
  std::string ns;
  std::string name;
  std::string identity;
  base::Duration leaseDuration = std::chrono::seconds(15);
  base::Duration renewDeadline = std::chrono::seconds(10);
  base::Duration retryPeriod = std::chrono::seconds(2);
  bool releaseOnCancel = true;  // on stop(): clear holderIdentity, leaseDurationSeconds=1
};

enum class LeaseAction { Create, Acquire, Renew, Wait, Lost };

struct LeaseDecision {
  LeaseAction action = LeaseAction::Wait;
  kube::Json lease;             // Create / Acquire / Renew: the object to write
  std::string holder;           // holderIdentity as read ("" if none)
  base::TimePoint expiresAt{};  // Wait: when the current holder's lease expires
};

// `lastRenewed` is set iff we currently lead: the time of our last successful write.
LeaseDecision decideLease(const std::optional<kube::Json>& lease,
                          const LeaderElectionConfig& config, base::TimePoint now,
                          std::optional<base::TimePoint> lastRenewed);

// The Lease to PUT on graceful shutdown (client-go ReleaseOnCancel).
kube::Json releasedLease(const kube::Json& lease, base::TimePoint now);

}  // namespace tro::runtime
