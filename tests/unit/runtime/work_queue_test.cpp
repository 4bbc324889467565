#include "operator/runtime/work_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace tro::runtime {
namespace {

using namespace std::chrono_literals;
using tro::testing::eventually;

std::string mustGet(WorkQueue& q) {
  auto key = q.get(std::stop_token{});
  EXPECT_TRUE(key.has_value());
  return key.value_or("");
}

TEST(WorkQueueTest, AddDeduplicatesAndKeepsFifoOrder) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.add("a");
  q.add("b");
  q.add("a");
  EXPECT_EQ(q.len(), 2u);
  EXPECT_EQ(mustGet(q), "a");
  EXPECT_EQ(mustGet(q), "b");
  EXPECT_EQ(q.len(), 0u);
}

TEST(WorkQueueTest, KeyAddedWhileProcessingIsRequeuedOnlyOnDone) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.add("a");
  EXPECT_EQ(mustGet(q), "a");
  q.add("a");
  q.add("a");
  EXPECT_EQ(q.len(), 0u) << "a is being processed: it must not be handed out again";
  q.done("a");
  EXPECT_EQ(q.len(), 1u);
  EXPECT_EQ(mustGet(q), "a");
  q.done("a");
  EXPECT_EQ(q.len(), 0u);
}

TEST(WorkQueueTest, DoneWithoutReAddDoesNotRequeue) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.add("a");
  EXPECT_EQ(mustGet(q), "a");
  EXPECT_EQ(q.processingLen(), 1u);
  q.done("a");
  EXPECT_EQ(q.processingLen(), 0u);
  EXPECT_EQ(q.len(), 0u);
}

TEST(WorkQueueTest, NeverHandsOneKeyToTwoWorkersAtOnce) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  std::mutex mu;
  std::map<std::string, int> active;  // guarded by mu
  std::atomic<int> violations{0};
  std::atomic<int> processed{0};
  std::vector<std::jthread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&](std::stop_token stop) {
      while (auto key = q.get(stop)) {
        {
          std::lock_guard l(mu);
          if (++active[*key] > 1) ++violations;
        }
        std::this_thread::yield();
        {
          std::lock_guard l(mu);
          --active[*key];
        }
        ++processed;
        q.done(*key);
      }
    });
  }
  for (int i = 0; i < 2000; ++i) q.add("k" + std::to_string(i % 3));
  ASSERT_TRUE(eventually([&] { return q.len() == 0 && q.processingLen() == 0; }));
  q.shutDown();
  workers.clear();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_GE(processed.load(), 3);
}

TEST(WorkQueueTest, AddAfterBecomesReadyWhenTheClockReachesItsDeadline) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.addAfter("late", 2s);
  q.addAfter("early", 1s);
  EXPECT_EQ(q.len(), 0u);
  EXPECT_EQ(q.waitingLen(), 2u);
  clock.advance(999ms);
  EXPECT_EQ(q.len(), 0u);
  clock.advance(1ms);
  EXPECT_EQ(q.len(), 1u);
  EXPECT_EQ(mustGet(q), "early");
  clock.advance(1s);
  EXPECT_EQ(mustGet(q), "late");
}

TEST(WorkQueueTest, AddAfterKeepsTheEarliestDeadline) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.addAfter("a", 10s);
  q.addAfter("a", 3s);
  q.addAfter("a", 20s);
  EXPECT_EQ(q.waitingLen(), 1u);
  clock.advance(3s);
  EXPECT_EQ(q.len(), 1u);
  EXPECT_EQ(q.waitingLen(), 0u);
}

TEST(WorkQueueTest, AddAfterWithoutDelayAddsNow) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.addAfter("a", 0s);
  EXPECT_EQ(q.len(), 1u);
}

TEST(WorkQueueTest, BlockedGetWakesWhenTheSimulatedClockPassesTheDeadline) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.addAfter("a", 5s);
  std::optional<std::string> got;
  std::jthread worker([&](std::stop_token stop) { got = q.get(stop); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  clock.advance(5s);
  worker.join();
  EXPECT_EQ(got, "a");
}

TEST(WorkQueueTest, RateLimitedBackoffDoublesPerKeyUntilForget) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  // Failures 0,1,2 wait 5ms, 10ms, 20ms.
  for (auto wait : {5ms, 10ms, 20ms}) {
    q.addRateLimited("a");
    clock.advance(wait - 1ms);
    EXPECT_EQ(q.len(), 0u) << "wait " << wait.count();
    clock.advance(1ms);
    ASSERT_EQ(q.len(), 1u) << "wait " << wait.count();
    EXPECT_EQ(mustGet(q), "a");
    q.done("a");
  }
  EXPECT_EQ(q.numRequeues("a"), 3u);
  EXPECT_EQ(q.numRequeues("b"), 0u);
  q.forget("a");
  EXPECT_EQ(q.numRequeues("a"), 0u);
  q.addRateLimited("a");
  clock.advance(5ms);
  EXPECT_EQ(q.len(), 1u);
}

TEST(WorkQueueTest, BackoffIsPerKey) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.addRateLimited("a");
  q.addRateLimited("a");  // second failure: the earlier 5ms deadline still wins
  q.addRateLimited("b");
  EXPECT_EQ(q.numRequeues("a"), 2u);
  EXPECT_EQ(q.numRequeues("b"), 1u);
  clock.advance(5ms);
  EXPECT_EQ(q.len(), 2u);
}

TEST(WorkQueueTest, UrgentKeysAreHandedOutFirst) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.add("n1");
  q.add("n2");
  q.addUrgent("u1");
  q.addUrgent("n2");  // promotes a queued key, keeps it queued once
  EXPECT_EQ(q.len(), 3u);
  EXPECT_EQ(mustGet(q), "u1");
  EXPECT_EQ(mustGet(q), "n2");
  EXPECT_EQ(mustGet(q), "n1");
}

TEST(WorkQueueTest, UrgentReAddDuringProcessingRequeuesInTheUrgentLane) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  q.add("a");
  EXPECT_EQ(mustGet(q), "a");
  q.add("b");
  q.addUrgent("a");
  EXPECT_EQ(q.len(), 1u);
  q.done("a");
  EXPECT_EQ(mustGet(q), "a");
  EXPECT_EQ(mustGet(q), "b");
}

TEST(WorkQueueTest, ShutDownUnblocksGetAndRejectsNewKeys) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  std::atomic<bool> returned{false};
  std::optional<std::string> got = "unset";
  std::jthread worker([&](std::stop_token stop) {
    got = q.get(stop);
    returned = true;
  });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_FALSE(returned.load());
  q.shutDown();
  worker.join();
  EXPECT_EQ(got, std::nullopt);
  EXPECT_TRUE(q.shuttingDown());
  q.add("a");
  EXPECT_EQ(q.len(), 0u);
}

TEST(WorkQueueTest, StopTokenUnblocksGet) {
  base::SimulatedClock clock;
  WorkQueue q(clock);
  std::optional<std::string> got = "unset";
  std::jthread worker([&](std::stop_token stop) { got = q.get(stop); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  worker.request_stop();
  worker.join();
  EXPECT_EQ(got, std::nullopt);
}

TEST(WorkQueueTest, ReportsDepthAndAdds) {
  base::SimulatedClock clock;
  Gauge depth;
  Counter adds;
  WorkQueue q(clock, {.name = "q", .backoff = {}, .depth = &depth, .adds = &adds});
  q.add("a");
  q.add("a");
  q.add("b");
  EXPECT_EQ(depth.value(), 2);
  EXPECT_EQ(adds.value(), 2) << "a deduplicated add is not an add";
  EXPECT_EQ(mustGet(q), "a");
  EXPECT_EQ(depth.value(), 1);
}

TEST(ItemExponentialBackoffTest, DoublesAndCaps) {
  ItemExponentialBackoff b({.base = 5ms, .max = 30ms});
  std::vector<base::Duration> got;
  for (int i = 0; i < 5; ++i) got.push_back(b.when("k"));
  EXPECT_EQ(got, (std::vector<base::Duration>{5ms, 10ms, 20ms, 30ms, 30ms}));
  ItemExponentialBackoff defaults;
  for (int i = 0; i < 100; ++i) (void)defaults.when("k");  // would overflow without the cap
  EXPECT_EQ(defaults.when("k"), base::Duration(1000s));
}

}  // namespace
}  // namespace tro::runtime
