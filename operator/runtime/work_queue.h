#pragma once
// The rate-limiting work queue of client-go/controller-runtime, on an injected Clock.
//
// Guarantees (as client-go's workqueue):
//  - a key is queued at most once (adding a queued key is a no-op);
//  - a key handed out by get() is never handed out again until done(key): if it is added while
//    being processed, it is queued again when done() is called;
//  - addAfter() keeps the earliest deadline per key; a key whose deadline has passed on the Clock
//    becomes ready (get() waits on Clock::waitUntil, so a SimulatedClock drives it);
//  - addRateLimited() waits base * 2^n (n = failures so far) per key until forget(key).
// Additions: addUrgent() puts a key in a priority lane served before normal keys (rollbacks).
// Difference from client-go: after shutDown() get() returns nullopt at once, even if keys are
// still queued, so a stopping controller only finishes the reconciles already in flight.
// Thread-safe; one mutex guards all state.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "operator/base/clock.h"
#include "operator/runtime/metrics.h"
#include "operator/runtime/rate_limiter_backoff.h"

namespace tro::runtime {

struct WorkQueueOptions {
  std::string name;
  BackoffOptions backoff;
  // Optional metrics (workqueue_depth / workqueue_adds_total series); must outlive the queue.
  Gauge* depth = nullptr;
  Counter* adds = nullptr;
};

class WorkQueue {
 public:
  explicit WorkQueue(const base::Clock& clock, WorkQueueOptions options = {});
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void add(const std::string& key);
  void addUrgent(const std::string& key);
  void addAfter(const std::string& key, base::Duration delay);
  void addRateLimited(const std::string& key);
  void forget(const std::string& key);
  std::size_t numRequeues(const std::string& key) const;

  // Blocks until a key is ready; nullopt once the queue is shut down or `stop` is requested.
  // The caller must call done(key) when it has finished with the key.
  std::optional<std::string> get(std::stop_token stop);
  void done(const std::string& key);

  void shutDown();
  bool shuttingDown() const;

  // Keys ready to be handed out (delayed keys that are due count as ready).
  std::size_t len();
  // Keys waiting for their addAfter/addRateLimited deadline.
  std::size_t waitingLen() const;
  std::size_t processingLen() const;

 private:
  void addLocked(const std::string& key, bool urgent);
  void promoteDueLocked();
  void updateDepthLocked();

  const base::Clock& clock_;
  const WorkQueueOptions options_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  // All below guarded by mu_.
  std::deque<std::string> urgentQueue_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> dirty_;       // needs processing (queued or re-added)
  std::unordered_set<std::string> urgent_;      // dirty keys that go to the urgent lane
  std::unordered_set<std::string> processing_;  // handed out, not yet done
  std::set<std::pair<base::MonoTime, std::string>> waiting_;  // by deadline
  std::unordered_map<std::string, base::MonoTime> waitingDeadline_;
  ItemExponentialBackoff backoff_;
  bool shuttingDown_ = false;
};

}  // namespace tro::runtime
