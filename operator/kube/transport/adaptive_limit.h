#pragma once
// How many requests may be in flight to the API server, adapted to its answers (AIMD, as TCP
// congestion control and Netflix's concurrency-limits AIMDLimit). A pure value: no clock reads,
// no locks; AdaptiveConcurrencyTransport holds one under its mutex and passes time in.
//
//  - Window: `limit()` successes of the current generation. When a window closes the limit
//    goes up by 1 if every latency in it stayed within latencyTolerance x baseline and the limit
//    was in use (some request was admitted with in-flight = limit: callers that never fill the
//    limit cannot inflate it, so a halving bites at once); otherwise it holds. Slow answers never
//    lower it: a server's latency rises with the requests it queues while its throughput holds
//    (measured on kubesim: a latency-driven decrease took a 100-Deployment rollback from 16 in
//    flight down to 3 and made it 2x slower). Only the server's own word, an overload, does.
//  - Baseline: the lowest latency seen, never below baselineFloor. When a window closes the
//    baseline moves halfway up to that window's fastest latency, so a server that became slower
//    for good is re-baselined within a few windows instead of holding the limit down forever.
//  - Overload (429, or 503 with Retry-After): the limit halves (floor at min) and the generation
//    advances. An overload or success of a request admitted in an earlier generation is ignored
//    for the limit: 16 concurrent 429s halve it once, not 16 times.
//  - Retry-After pauses admissions until now + retryAfter (capped at maxPause), whatever the
//    request's generation: the server said when to come back.

#include <chrono>
#include <cstdint>
#include <optional>

#include "operator/base/clock.h"

namespace tro::kube::transport {

struct AdaptiveLimitOptions {
  int initial = 16;
  int min = 1;
  int max = 64;
  double latencyTolerance = 2.0;      // a latency above tolerance x baseline is "slow"
  std::chrono::seconds maxPause{60};  // a longer Retry-After is clamped to this
  // Latencies below this count as this: a clock step or a tiny answer must not set a baseline
  // that no later request can meet.
  std::chrono::nanoseconds baselineFloor{std::chrono::milliseconds(1)};
};

class AdaptiveLimit {
 public:
  // Taken when a request is admitted and handed back with its outcome.
  struct Admission {
    std::uint64_t generation = 0;
    bool inUse = false;  // in-flight (this request included) reached the limit
  };

  // Options are normalised: 1 <= min <= initial <= max, tolerance >= 1, maxPause >= 0.
  explicit AdaptiveLimit(AdaptiveLimitOptions options = {});

  int limit() const { return limit_; }
  // When admissions may resume; a time in the past means not paused. nullopt: never paused.
  std::optional<base::MonoTime> pausedUntil() const { return pausedUntil_; }
  // The current baseline latency; nullopt before the first success.
  std::optional<std::chrono::nanoseconds> baseline() const { return baseline_; }

  // For a request admitted now with `inFlight` requests in flight, itself included.
  Admission admission(int inFlight) const;
  void onSuccess(std::chrono::nanoseconds latency, Admission admission);
  void onOverload(std::optional<std::chrono::seconds> retryAfter, base::MonoTime now,
                  Admission admission);

 private:
  struct Window {
    int samples = 0;
    int slow = 0;
    bool inUse = false;
    std::chrono::nanoseconds fastest = std::chrono::nanoseconds::max();
  };

  bool isSlow(std::chrono::nanoseconds sample) const;
  void closeWindow();

  AdaptiveLimitOptions options_;
  int limit_;
  std::uint64_t generation_ = 0;
  std::optional<std::chrono::nanoseconds> baseline_;
  std::optional<base::MonoTime> pausedUntil_;
  Window window_;
};

}  // namespace tro::kube::transport
