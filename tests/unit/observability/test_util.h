#pragma once
// Waiting helpers for tests: poll a condition until it holds or a generous real-time deadline
// passes. Nothing here sleeps to synchronise; the deadline only bounds a failing test.

#include <chrono>
#include <functional>
#include <thread>

namespace tro::runtime::testing {

inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::seconds limit = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace tro::runtime::testing
