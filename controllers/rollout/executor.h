#pragma once
// Executor: the TelemetryRollout controller's writes, at the edge (STYLE.md: decide purely, act
// at the edge). Every write is computed from a copy of the object and guarded by a JSON patch
// `test` of metadata.resourceVersion (or PUT's resourceVersion), so a concurrent change by
// anyone else, or a stale copy, makes it fail; the executor then re-reads and recomputes, up to
// ExecutorOptions::attempts times, and nobody's change is lost. A Deployment write starts from
// the informer's copy when the caller has one (one request instead of a GET and a PATCH, which
// halves a rollback's requests); other writes read the live object first.
//  - Finalizer add/remove on the TelemetryRollout (JSON patch).
//  - Deployment writes: makeJsonPatch(live, desired) with fieldManager telemetry-rollout-operator,
//    sent only when it changes something. Urgent writes (rollbacks) go first, all of them in
//    parallel with at most maxUrgentInFlight requests at once; the others follow, at most
//    maxInFlight at once.
//  - Status: PUT /status with the resourceVersion. A 409 is not retried here: the status was
//    computed from the object another writer has since changed, so the caller plans again from
//    the re-read object.
//  - Events: created, or a repeat counted on the first one (EventAggregator).
//  - Events: core/v1 Events (events.h); a failed Event is returned, never fatal to the caller.
// Thread-safe; worker threads live only for the duration of writeTargets() and are joined there.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "controllers/rollout/event_aggregation.h"
#include "controllers/rollout/inject.h"
#include "controllers/rollout/plan.h"
#include "operator/base/clock.h"
#include "operator/kube/api_client.h"

namespace tro::controllers {

struct ExecutorOptions {
  int maxInFlight = 16;        // concurrent Deployment writes
  int maxUrgentInFlight = 16;  // concurrent rollback writes (threads; urgentApi may bound less)
  int attempts = 3;            // reads+writes per object before a concurrent writer wins this round
  // The urgent lane's in-flight bound now, when urgentApi adapts one (run.cpp). A rollback batch
  // then runs bound + 1 threads (capped by maxUrgentInFlight): one more than may send, so that
  // the bound sees itself in use and can grow, and no more, because threads waiting for a slot
  // cost more than they bring (measured: 64 threads behind a bound of 16 made a rollback of 100
  // Deployments 1.8x slower than 17 threads).
  std::function<int()> urgentBound;
};

// How one Deployment should look, from its live state; re-run after every re-read.
using DesiredFn = std::function<InjectResult(const kube::Json& live)>;

struct TargetWrite {
  std::string deployment;
  bool urgent = false;
  DesiredFn desired;
  // The informer's copy to compute the first attempt from; null: read the live object first.
  std::shared_ptr<const kube::Json> cached = nullptr;
};

struct TargetOutcome {
  enum class Kind {
    Unchanged,  // live already as desired: nothing sent
    Written,    // one patch applied
    Conflict,   // inject refused (InjectError); left alone, message says why
    Error,      // API failure or every attempt lost to a concurrent writer; retry later
  };
  std::string deployment;
  Kind kind = Kind::Unchanged;
  std::string message;
  kube::Json live;  // the Deployment after the write (or as last read); null on read failure
  // The write path's trace (issue #14): when the first PATCH went out and the last answer came.
  std::optional<base::MonoTime> sentAt;
  std::optional<base::MonoTime> answeredAt;
};
const char* toString(TargetOutcome::Kind kind);

class Executor {
 public:
  // `api`, `urgentApi` and `clock` must outlive the executor. Urgent Deployment writes
  // (rollbacks) go through `urgentApi` (null: `api`): the operator gives it no client-side rate
  // limit, so a rollback of many Deployments is bounded by maxInFlight concurrent requests, not
  // queued behind a QPS budget.
  Executor(kube::ApiClient& api, const base::Clock& clock, ExecutorOptions options = {},
           kube::ApiClient* urgentApi = nullptr);

  // An empty `ns` is a ClusterTelemetryRollout's (its finalizer and status; its targets' keys
  // name their namespaces, workload_kind.h).
  // Return the TelemetryRollout as it is after the change (unchanged if nothing was needed).
  kube::Result<kube::Json> addFinalizer(const std::string& ns, const std::string& name);
  // A TelemetryRollout that is already gone (404) answers a null Json.
  kube::Result<kube::Json> removeFinalizer(const std::string& ns, const std::string& name);

  // Outcomes in the order of `writes` after sorting urgent first (stable otherwise).
  std::vector<TargetOutcome> writeTargets(const std::string& ns, std::vector<TargetWrite> writes);

  // `rollout` as last read (its resourceVersion is the guard); returns the stored object.
  // `sentVersion` (optional) gets the resourceVersion the update was made against. A 409 means
  // somebody else wrote since `rollout` was read: the status computed from it is not sent again
  // (it could undo their change); the 409 is returned, and `fresh` (optional) gets the object
  // as it is now, for the caller to plan again from.
  kube::Result<kube::Json> writeStatus(const kube::Json& rollout, const kube::Json& status,
                                       std::string* sentVersion = nullptr,
                                       kube::Json* fresh = nullptr);

  // Creates the Event, or, when this process recorded the same one before (EventAggregator),
  // raises that Event's count and lastTimestamp. Returns the Event as stored.
  kube::Result<kube::Json> recordEvent(const kube::Json& involved, const PlannedEvent& event);

  int maxUrgentInFlight() const { return options_.maxUrgentInFlight; }

 private:
  TargetOutcome writeTarget(const std::string& rolloutNs, const TargetWrite& write);
  kube::Result<kube::Json> patchFinalizers(const std::string& ns, const std::string& name,
                                           bool add);

  kube::ApiClient& api_;
  kube::ApiClient& urgentApi_;
  const base::Clock& clock_;
  const ExecutorOptions options_;
  std::mutex mu_;
  uint64_t eventSequence_ = 0;  // guarded by mu_
  EventAggregator events_;      // guarded by mu_
};

}  // namespace tro::controllers
