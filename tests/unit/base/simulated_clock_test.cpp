#include "operator/base/simulated_clock.h"

#include <gtest/gtest.h>

#include <thread>

namespace tro::base {
namespace {

using namespace std::chrono_literals;

TEST(SimulatedClockTest, MovesOnlyWhenAdvanced) {
  SimulatedClock clock;
  TimePoint t0 = clock.now();
  MonoTime m0 = clock.monotonicNow();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(5s);
  EXPECT_EQ(clock.now() - t0, 5s);
  EXPECT_EQ(clock.monotonicNow() - m0, 5s);
  clock.advanceTo(t0 + 7s);
  EXPECT_EQ(clock.now() - t0, 7s);
  EXPECT_EQ(clock.monotonicNow() - m0, 7s);
}

// A wall-clock step (NTP, `date -s`) moves now() only: what waits on the monotonic clock neither
// fires early when the wall clock jumps ahead nor stalls when it jumps back.
TEST(SimulatedClockTest, AWallClockStepDoesNotMoveMonotonicTime) {
  SimulatedClock clock;
  const TimePoint t0 = clock.now();
  const MonoTime m0 = clock.monotonicNow();
  clock.set(t0 + 1h);
  EXPECT_EQ(clock.now(), t0 + 1h);
  EXPECT_EQ(clock.monotonicNow(), m0);
  clock.set(t0 - 1h);
  EXPECT_EQ(clock.now(), t0 - 1h);
  EXPECT_EQ(clock.monotonicNow(), m0);

  std::mutex mu;
  std::condition_variable_any cv;
  bool done = false;
  std::jthread waiter([&] {
    std::unique_lock lock(mu);
    const MonoTime deadline = m0 + 10s;
    while (clock.monotonicNow() < deadline) clock.waitUntil(lock, cv, deadline, {});
    done = true;
  });
  while (clock.waiters() == 0) std::this_thread::yield();
  clock.set(t0 + 24h);  // wakes the waiter, which finds its deadline still ahead
  while (clock.waiters() == 0) std::this_thread::yield();
  {
    std::lock_guard l(mu);
    EXPECT_FALSE(done);
  }
  clock.advance(10s);
  waiter.join();
  EXPECT_TRUE(done);
}

TEST(SimulatedClockTest, WaitReturnsImmediatelyWhenDeadlinePassed) {
  SimulatedClock clock;
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  clock.waitUntil(lock, cv, clock.monotonicNow() - 1s, {});
  EXPECT_EQ(clock.waiters(), 0u);
}

TEST(SimulatedClockTest, AdvanceWakesWaiterPastItsDeadline) {
  SimulatedClock clock;
  std::mutex mu;
  std::condition_variable_any cv;
  MonoTime deadline = clock.monotonicNow() + 10s;
  bool done = false;
  std::jthread waiter([&] {
    std::unique_lock lock(mu);
    while (clock.monotonicNow() < deadline) clock.waitUntil(lock, cv, deadline, {});
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
    while (!stop.stop_requested()) clock.waitUntil(lock, cv, clock.monotonicNow() + 1h, stop);
  });
  while (clock.waiters() == 0) std::this_thread::yield();
  waiter.request_stop();
  waiter.join();
  EXPECT_EQ(clock.waiters(), 0u);
}

}  // namespace
}  // namespace tro::base
