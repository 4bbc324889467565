#pragma once
// eventually(): waits for a condition another thread makes true, up to a real-time deadline.
// Polls (tests must not sleep to synchronise, but may wait on a condition with a deadline); the
// deadline only bounds a failing test, it never decides a passing one.

#include <chrono>
#include <functional>
#include <thread>

namespace tro::testing {

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  auto until = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace tro::testing
