#include "operator/base/simulated_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace tro::base {
namespace {

using namespace std::chrono_literals;

TEST(SimulatedClockTest, MovesOnlyWhenAdvanced) {
  SimulatedClock clock;
  TimePoint t0 = clock.now();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(5s);
  EXPECT_EQ(clock.now() - t0, 5s);
}

TEST(SimulatedClockTest, WaitReturnsImmediatelyWhenDeadlinePassed) {
  SimulatedClock clock;
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  clock.waitUntil(lock, cv, clock.now() - 1s, {});
  EXPECT_EQ(clock.waiters(), 0u);
}

TEST(SimulatedClockTest, AdvanceWakesWaiterPastItsDeadline) {
  SimulatedClock clock;
  std::mutex mu;
  std::condition_variable_any cv;
  TimePoint deadline = clock.now() + 10s;
  bool done = false;
  std::jthread waiter([&] {
    std::unique_lock lock(mu);
    while (clock.now() < deadline) clock.waitUntil(lock, cv, deadline, {});
    done = true;
  });
  // Wait (on a condition, not a sleep) until the waiter is parked, then move time.
  while (clock.waiters() == 0) std::this_thread::yield();
  clock.advance(3s);
  {
    std::lock_guard l(mu);
    EXPECT_FALSE(done);
  }
  clock.advance(7s);
  waiter.join();
  EXPECT_TRUE(done);
}

TEST(SimulatedClockTest, StopRequestWakesWaiter) {
  SimulatedClock clock;
  std::mutex mu;
  std::condition_variable_any cv;
  std::jthread waiter([&](std::stop_token stop) {
    std::unique_lock lock(mu);
    while (!stop.stop_requested()) clock.waitUntil(lock, cv, clock.now() + 1h, stop);
  });
  while (clock.waiters() == 0) std::this_thread::yield();
  waiter.request_stop();
  waiter.join();
  EXPECT_EQ(clock.waiters(), 0u);
}

}  // namespace
}  // namespace tro::base
