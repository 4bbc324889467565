#include "operator/runtime/controller.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <sstream>

#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace tro::runtime {
namespace {

using namespace std::chrono_literals;
using tro::testing::eventually;

// Returns scripted results in order and records the keys it saw; advances the clock by `cost`
// so reconcile durations are deterministic.
class ScriptedReconciler : public Reconciler {
 public:
  ScriptedReconciler(base::SimulatedClock& clock, base::Duration cost)
      : clock_(clock), cost_(cost) {}
  void push(ReconcileResult r) { script_.push_back(std::move(r)); }
  ReconcileResult reconcile(const std::string& key, std::stop_token) override {
    seen.push_back(key);
    clock_.advance(cost_);
    if (throwNext) {
      throwNext = false;
      throw std::runtime_error("boom");
    }
    ReconcileResult r = script_.front();
    script_.pop_front();
    return r;
  }
  std::vector<std::string> seen;
  bool throwNext = false;

 private:
  base::SimulatedClock& clock_;
  base::Duration cost_;
  std::deque<ReconcileResult> script_;
};

class ControllerTest : public ::testing::Test {
 protected:
  double total(const std::string& result) {
    return metrics.reconcileTotal.labels({"rollout", result}).value();
  }
  double errors() { return metrics.reconcileErrors.labels({"rollout"}).value(); }
  bool processOne() { return controller.processNext(std::stop_token{}); }

  base::SimulatedClock clock;
  std::ostringstream logs;
  base::Logger log{clock, logs, {.level = base::LogLevel::Debug, .format = base::LogFormat::Text}};
  Registry registry;
  StandardMetrics metrics{registry};
  ScriptedReconciler reconciler{clock, 30ms};
  Controller controller{
      {.name = "rollout", .workers = 1, .backoff = {}}, reconciler, clock, log, metrics};
};

TEST_F(ControllerTest, RequeueAfterForgetsBackoffAndComesBackAfterTheDelay) {
  reconciler.push(ReconcileResult::retryableError("x"));
  reconciler.push(ReconcileResult::requeueAfter(10s));
  controller.queue().add("ns/a");
  ASSERT_TRUE(processOne());
  EXPECT_EQ(controller.queue().numRequeues("ns/a"), 1u);
  clock.advance(5ms);
  ASSERT_TRUE(processOne());
  EXPECT_EQ(controller.queue().numRequeues("ns/a"), 0u);
  EXPECT_EQ(controller.queue().len(), 0u);
  clock.advance(10s);
  EXPECT_EQ(controller.queue().len(), 1u);
  EXPECT_EQ(total("requeue_after"), 1);
}

TEST_F(ControllerTest, WaitForChangeLeavesNothingQueued) {
  reconciler.push(ReconcileResult::waitForChange());
  controller.queue().add("ns/a");
  ASSERT_TRUE(processOne());
  clock.advance(10000s);
  EXPECT_EQ(controller.queue().len(), 0u);
  EXPECT_EQ(controller.queue().waitingLen(), 0u);
  EXPECT_EQ(total("success"), 1);
  EXPECT_EQ(errors(), 0);
  EXPECT_EQ(reconciler.seen, std::vector<std::string>{"ns/a"});
}

TEST_F(ControllerTest, RetryableErrorBacksOffExponentially) {
  reconciler.push(ReconcileResult::retryableError("conflict"));
  reconciler.push(ReconcileResult::retryableError("conflict"));
  controller.queue().add("ns/a");
  ASSERT_TRUE(processOne());
  EXPECT_EQ(controller.queue().waitingLen(), 1u);
  clock.advance(5ms);
  ASSERT_TRUE(processOne());
  EXPECT_EQ(controller.queue().numRequeues("ns/a"), 2u);
  clock.advance(9ms);
  EXPECT_EQ(controller.queue().len(), 0u);
  clock.advance(1ms);
  EXPECT_EQ(controller.queue().len(), 1u);
  EXPECT_EQ(total("error"), 2);
  EXPECT_EQ(errors(), 2);
  EXPECT_NE(logs.str().find("error=conflict"), std::string::npos) << logs.str();
}

TEST_F(ControllerTest, TerminalErrorIsRecordedNotRetried) {
  reconciler.push(ReconcileResult::terminalError("spec.analysis is invalid"));
  controller.queue().add("ns/a");
  ASSERT_TRUE(processOne());
  clock.advance(10000s);
  EXPECT_EQ(controller.queue().len(), 0u);
  EXPECT_EQ(controller.queue().numRequeues("ns/a"), 0u);
  EXPECT_EQ(total("error"), 1);
  EXPECT_EQ(errors(), 1);
  EXPECT_EQ(metrics.terminalReconcileErrors.labels({"rollout"}).value(), 1);
  EXPECT_NE(logs.str().find("not retrying"), std::string::npos) << logs.str();
}

TEST_F(ControllerTest, ThrowingReconcilerIsARetryableError) {
  reconciler.throwNext = true;
  controller.queue().add("ns/a");
  ASSERT_TRUE(processOne());
  EXPECT_EQ(controller.queue().numRequeues("ns/a"), 1u);
  EXPECT_EQ(total("error"), 1);
  EXPECT_NE(logs.str().find("boom"), std::string::npos);
}

TEST_F(ControllerTest, RecordsReconcileDurationOnTheClock) {
  reconciler.push(ReconcileResult::waitForChange());
  controller.queue().add("ns/a");
  ASSERT_TRUE(processOne());
  auto snap = metrics.reconcileTime.labels({"rollout"}).snapshot();
  EXPECT_EQ(snap.count, 1u);
  EXPECT_DOUBLE_EQ(snap.sum, 0.03);
  EXPECT_NE(
      registry.render().find(
          "controller_runtime_reconcile_time_seconds_bucket{controller=\"rollout\",le=\"0.05\"} 1"),
      std::string::npos);
}

TEST_F(ControllerTest, ProcessNextReturnsFalseAfterShutdown) {
  controller.queue().shutDown();
  EXPECT_FALSE(processOne());
}

// Blocks in reconcile until released, to observe draining on stop().
class GateReconciler : public Reconciler {
 public:
  ReconcileResult reconcile(const std::string& key, std::stop_token) override {
    std::unique_lock l(mu_);
    started_.push_back(key);
    cv_.notify_all();
    cv_.wait(l, [&] { return open_; });
    ++finished_;
    return ReconcileResult::waitForChange();
  }
  void open() {
    std::lock_guard l(mu_);
    open_ = true;
    cv_.notify_all();
  }
  size_t started() {
    std::lock_guard l(mu_);
    return started_.size();
  }
  int finished() {
    std::lock_guard l(mu_);
    return finished_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> started_;
  int finished_ = 0;
  bool open_ = false;
};

TEST(ControllerWorkersTest, StopDrainsInFlightReconcilesAndDropsQueuedOnes) {
  base::SimulatedClock clock;
  std::ostringstream logs;
  base::Logger log(clock, logs);
  Registry registry;
  StandardMetrics metrics(registry);
  GateReconciler reconciler;
  Controller controller({.name = "c", .workers = 2, .backoff = {}}, reconciler, clock, log,
                        metrics);
  controller.start();
  controller.queue().add("a");
  controller.queue().add("b");
  ASSERT_TRUE(eventually([&] { return reconciler.started() == 2; }));
  controller.queue().add("c");  // queued behind the two in-flight keys
  std::jthread stopper([&] { controller.stop(); });
  ASSERT_TRUE(eventually([&] { return controller.queue().shuttingDown(); }));
  reconciler.open();
  stopper.join();
  EXPECT_EQ(reconciler.finished(), 2);
  EXPECT_EQ(reconciler.started(), 2u);
  EXPECT_EQ(metrics.reconcileTotal.labels({"c", "success"}).value(), 2);
}

}  // namespace
}  // namespace tro::runtime
