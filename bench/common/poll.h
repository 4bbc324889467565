#pragma once
// pollUntil(): tests/support's eventually() with a polling interval, for conditions that cost a
// request to kubesim. eventually() re-checks every millisecond, which would turn a setup wait on
// a LIST of 100 Deployments into load on the server whose speed is being measured.

#include <chrono>
#include <functional>
#include <thread>

#include "tests/support/eventually.h"

namespace tro::bench {

inline bool pollUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                      std::chrono::milliseconds every = std::chrono::milliseconds(100)) {
  return testing::eventually(
      [&] {
        if (condition()) return true;
        std::this_thread::sleep_for(every);  // the polling interval, not synchronisation
        return false;
      },
      timeout);
}

}  // namespace tro::bench
