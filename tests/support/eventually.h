#pragma once
// eventually(): waits for a condition another thread makes true, up to a real-time deadline.
// Polls (tests must not sleep to synchronise, but may wait on a condition with a deadline); the
// deadline only bounds a failing test, it never decides a passing one.

#include <chrono>
#include <functional>
#include <thread>

namespace tro::testing {

// `period` paces the polls (a condition that runs kubectl wants a longer one than a read of
// memory); it never decides the outcome.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = std::chrono::seconds(10),
                       std::chrono::milliseconds period = std::chrono::milliseconds(1)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(period);
  }
  return true;
}

}  // namespace tro::testing
