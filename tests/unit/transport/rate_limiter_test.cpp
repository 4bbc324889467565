#include "operator/kube/transport/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace tro::kube::transport {
namespace {

using namespace std::chrono_literals;

using tro::testing::eventually;

TEST(RateLimiter, StartsWithAFullBurst) {
  base::SimulatedClock clock;
  RateLimiter limiter(2.0, 3, clock);
  EXPECT_TRUE(limiter.tryAcquire());
  EXPECT_TRUE(limiter.tryAcquire());
  EXPECT_TRUE(limiter.tryAcquire());
  EXPECT_FALSE(limiter.tryAcquire());
}

TEST(RateLimiter, RefillsAtQpsUpToBurst) {
  base::SimulatedClock clock;
  RateLimiter limiter(2.0, 3, clock);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.tryAcquire());
  clock.advance(499ms);
  EXPECT_FALSE(limiter.tryAcquire());
  clock.advance(1ms);
  EXPECT_TRUE(limiter.tryAcquire());
  EXPECT_FALSE(limiter.tryAcquire());
  clock.advance(1h);  // a long idle period refills only up to the burst
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.tryAcquire()) << i;
  EXPECT_FALSE(limiter.tryAcquire());
}

TEST(RateLimiter, ZeroQpsMeansUnlimited) {
  base::SimulatedClock clock;
  RateLimiter limiter(0.0, 1, clock);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.tryAcquire());
}

TEST(RateLimiter, AcquireBlocksUntilTheClockProvidesAToken) {
  base::SimulatedClock clock;
  RateLimiter limiter(4.0, 1, clock);
  ASSERT_TRUE(limiter.tryAcquire());
  std::atomic<bool> acquired{false};
  std::jthread worker([&](std::stop_token stop) { acquired = limiter.acquire(stop); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  clock.advance(200ms);  // 0.8 token: not yet
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_FALSE(acquired);
  clock.advance(50ms);
  worker.join();
  EXPECT_TRUE(acquired);
  EXPECT_FALSE(limiter.tryAcquire());
}

TEST(RateLimiter, AcquireReturnsFalseWhenStopped) {
  base::SimulatedClock clock;
  RateLimiter limiter(1.0, 1, clock);
  ASSERT_TRUE(limiter.tryAcquire());
  std::atomic<int> result{-1};
  std::jthread worker([&](std::stop_token stop) { result = limiter.acquire(stop) ? 1 : 0; });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  worker.request_stop();
  worker.join();
  EXPECT_EQ(result, 0);
  clock.advance(1s);  // the stopped waiter did not take the refilled token
  EXPECT_TRUE(limiter.tryAcquire());
}

}  // namespace
}  // namespace tro::kube::transport
