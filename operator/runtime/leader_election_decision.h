#pragma once
// The pure half of leader election (client-go's tryAcquireOrRenew, without the I/O): given the
// Lease as read (or absent), who we are, the time, whether we currently lead and what we last
// observed of the Lease, decide what to do and build the Lease to write. The thin loop in
// leader_election.h performs the I/O.
//
// Rules (coordination.k8s.io/v1 Lease, MicroTime "2026-11-21T05:03:00.123456Z"):
//  - Lost:    we lead but could not renew within renewDeadline, or another holder is recorded.
//  - Create:  no Lease exists.
//  - Renew:   we hold it; renewTime moves to now, acquireTime and leaseTransitions are kept.
//  - Acquire: holder empty (released), renewTime unreadable, or expired: leaseDurationSeconds
//             have passed on our monotonic clock since we first saw the Lease as it is now;
//             acquireTime = renewTime = now, leaseTransitions + 1.
//  - Wait:    another holder's lease is still valid until `expiresAt` (monotonic).
// Expiry is counted as client-go counts it (observedRecord, observedTime): from when this
// process saw the record change, never from the renewTime another machine wrote, so clock skew
// between nodes or a stepped wall clock cannot hand the lease over early.
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

// The Lease's record as last read, and when (monotonic) it was first seen that way.
struct LeaseObservation {
  std::string record;  // the Lease's spec, serialized: any change to it is a renewal
  base::MonoTime since{};
  bool operator==(const LeaseObservation&) const = default;
};

struct LeaseNow {
  base::TimePoint wall;  // written into the Lease (renewTime, acquireTime)
  base::MonoTime mono;   // before the read: what our own deadlines and expiry checks use
  // When the read was answered (monotonic); unset: `mono`. A new or changed record counts from
  // here, not from before the read: a slow GET that brings a fresh renewal must not count as
  // time that renewal had already sat unchanged.
  std::optional<base::MonoTime> read = std::nullopt;
};

struct LeaseDecision {
  LeaseAction action = LeaseAction::Wait;
  kube::Json lease;                          // Create / Acquire / Renew: the object to write
  std::string holder;                        // holderIdentity as read ("" if none)
  base::MonoTime expiresAt{};                // Wait: when the current holder's lease expires
  std::optional<LeaseObservation> observed;  // to pass to the next decision (none: no Lease)
};

// `lastRenewed` is set iff we currently lead: when (monotonic) our last successful write was
// stamped. `observed`: the previous decision's observation.
LeaseDecision decideLease(const std::optional<kube::Json>& lease,
                          const LeaderElectionConfig& config, LeaseNow now,
                          std::optional<base::MonoTime> lastRenewed,
                          const std::optional<LeaseObservation>& observed);

// The record decideLease() compares between reads.
std::string leaseRecord(const kube::Json& lease);

// The Lease to PUT on graceful shutdown (client-go ReleaseOnCancel).
kube::Json releasedLease(const kube::Json& lease, base::TimePoint now);

}  // namespace tro::runtime
