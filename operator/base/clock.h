#pragma once
// Injected time (STYLE.md: "Time is injected"). Nothing in kube/, runtime/ or controllers/ reads
// a clock directly: it asks a Clock&. Production uses SystemClock; tests use SimulatedClock and
// move time explicitly with advance().
//
// Two clocks, as Envoy's TimeSource has: now() is wall time, for what is written down and
// compared across machines (timestamps in objects, Events, logs, an alert's activeAt);
// monotonicNow() never jumps, for everything measured or waited on in this process (backoff,
// rate limits, requeue delays, lease and renew deadlines, latencies). A wall clock stepped by
// NTP must not fire a backoff early or hold a lease past its deadline.
//
// Waiting is part of the clock so that simulated time can wake sleepers: waitUntil() blocks the
// caller until the monotonic clock reaches `deadline`, the condition variable is notified, or
// `stop` is requested. With SimulatedClock, advance() wakes every waiter so it can re-check its
// deadline.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <utility>

namespace tro::base {

using TimePoint = std::chrono::system_clock::time_point;
using Duration = std::chrono::system_clock::duration;
using MonoTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
  virtual MonoTime monotonicNow() const = 0;
  // Waits on `cv` (with `lock` held by the caller) until `deadline` on the monotonic clock, a
  // notify, or a stop request. Spurious wake-ups are allowed: callers re-check their predicate.
  virtual void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                         MonoTime deadline, std::stop_token stop) const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
  MonoTime monotonicNow() const override { return std::chrono::steady_clock::now(); }
  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                 MonoTime deadline, std::stop_token stop) const override {
    bool woken = false;  // return on the first wake-up (notify, stop or deadline)
    cv.wait_until(lock, stop, deadline, [&woken] { return std::exchange(woken, true); });
  }
};

}  // namespace tro::base
