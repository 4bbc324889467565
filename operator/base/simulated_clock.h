#pragma once
// A Clock for tests: time moves only when the test moves it. advance() and advanceTo() move the
// wall and the monotonic clock together; set() steps the wall clock alone (as NTP or an operator
// with `date -s` would), leaving monotonic time where it was. Waiters blocked in waitUntil() are
// woken on every move so they can re-check their deadlines; a waiter whose deadline has passed
// returns. Waiters' mutexes must outlive their wait (they always do when the waiting object is
// alive while the test advances time).

#include <algorithm>
#include <utility>
#include <vector>

#include "operator/base/clock.h"

namespace tro::base {

class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(TimePoint start = TimePoint{} + std::chrono::hours(24 * 365 * 56))
      : now_(start) {}

  TimePoint now() const override {
    std::lock_guard l(mu_);
    return now_;
  }
  MonoTime monotonicNow() const override {
    std::lock_guard l(mu_);
    return mono_;
  }

  // Both clocks move forward by `d` (negative durations are ignored: time does not go back).
  void advance(Duration d) {
    if (d < Duration::zero()) d = Duration::zero();
    move([d](TimePoint& wall, MonoTime& mono) {
      wall += d;
      mono += std::chrono::duration_cast<MonoTime::duration>(d);
    });
  }
  // Both clocks move forward until now() is `t` (nothing happens when `t` is not ahead).
  void advanceTo(TimePoint t) { advance(t - now()); }
  // The wall clock is stepped to `t`, forward or back; monotonic time does not move.
  void set(TimePoint t) {
    move([t](TimePoint& wall, MonoTime&) { wall = t; });
  }

  // Number of threads currently blocked in waitUntil(); lets tests wait for a worker to park.
  size_t waiters() const {
    std::lock_guard l(mu_);
    return waiters_.size();
  }

  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                 MonoTime deadline, std::stop_token stop) const override {
    Waiter self{lock.mutex(), &cv};
    {
      std::lock_guard l(mu_);
      if (mono_ >= deadline) return;
      waiters_.push_back(self);
    }
    bool woken = false;  // return on the first wake-up; callers re-check their predicate
    cv.wait(lock, stop, [&woken] { return std::exchange(woken, true); });
    std::lock_guard l(mu_);
    auto it = std::find(waiters_.begin(), waiters_.end(), self);
    if (it != waiters_.end()) waiters_.erase(it);
  }

 private:
  struct Waiter {
    std::mutex* mu;
    std::condition_variable_any* cv;
    bool operator==(const Waiter&) const = default;
  };

  template <typename Change>
  void move(Change change) {
    std::vector<Waiter> waiters;
    {
      std::lock_guard l(mu_);
      change(now_, mono_);
      waiters = waiters_;
    }
    // Taking each waiter's own mutex before notifying closes the window between its deadline
    // check and its wait (no lost wake-up).
    for (auto& w : waiters) {
      std::lock_guard wl(*w.mu);
      w.cv->notify_all();
    }
  }

  mutable std::mutex mu_;
  TimePoint now_;
  MonoTime mono_{std::chrono::hours(24)};  // any fixed start: only differences mean anything
  mutable std::vector<Waiter> waiters_;
};

}  // namespace tro::base
