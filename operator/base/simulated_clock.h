#pragma once
// A Clock for tests: time moves only when the test calls advance() or set(). Waiters blocked in
// waitUntil() are woken on every move so they can re-check their deadlines; a waiter whose
// deadline has passed returns. Waiters' mutexes must outlive their wait (they always do when the
// waiting object is alive while the test advances time).

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

  void advance(Duration d) { set(now() + d); }

  void set(TimePoint t) {
    std::vector<Waiter> waiters;
    {
      std::lock_guard l(mu_);
      now_ = t;
      waiters = waiters_;
    }
    // Taking each waiter's own mutex before notifying closes the window between its deadline
    // check and its wait (no lost wake-up).
    for (auto& w : waiters) {
      std::lock_guard wl(*w.mu);
      w.cv->notify_all();
    }
  }

  // Number of threads currently blocked in waitUntil(); lets tests wait for a worker to park.
  size_t waiters() const {
    std::lock_guard l(mu_);
    return waiters_.size();
  }

  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable_any& cv,
                 TimePoint deadline, std::stop_token stop) const override {
    Waiter self{lock.mutex(), &cv};
    {
      std::lock_guard l(mu_);
      if (now_ >= deadline) return;
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
  mutable std::mutex mu_;
  TimePoint now_;
  mutable std::vector<Waiter> waiters_;
};

}  // namespace tro::base
