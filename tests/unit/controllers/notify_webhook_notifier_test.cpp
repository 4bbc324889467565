// WebhookNotifier against a fake sender: delivery, retries with exponential backoff on a
// SimulatedClock, giving up, refusals, drop-oldest when full, never blocking the caller, and
// shutdown while a POST or a backoff is in progress. Waits are on conditions with deadlines.

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>

#include "controllers/notify/webhook_notifier.h"
#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace tro::controllers::notify {
namespace {

using namespace std::chrono_literals;
using tro::testing::eventually;

// Answers from a script (then 200), records each request and the clock time it was sent at.
// With hold(), posts block until release() or until the notifier stops.
class FakeSender final : public WebhookSender {
 public:
  explicit FakeSender(const base::Clock& clock) : clock_(clock) {}

  void script(std::vector<SendResult> answers) {
    std::lock_guard l(mu_);
    answers_.assign(answers.begin(), answers.end());
  }
  void hold() {
    std::lock_guard l(mu_);
    held_ = true;
  }
  void release() {
    {
      std::lock_guard l(mu_);
      held_ = false;
    }
    cv_.notify_all();
  }
  size_t calls() const {
    std::lock_guard l(mu_);
    return requests_.size();
  }
  std::vector<WebhookRequest> requests() const {
    std::lock_guard l(mu_);
    return requests_;
  }
  std::vector<base::TimePoint> times() const {
    std::lock_guard l(mu_);
    return times_;
  }

  SendResult post(const WebhookRequest& request, std::stop_token stop) override {
    std::unique_lock l(mu_);
    requests_.push_back(request);
    times_.push_back(clock_.now());
    cv_.wait(l, stop, [this] { return !held_; });
    if (stop.stop_requested() && held_) return base::fail(std::string("cancelled"));
    if (answers_.empty()) return 200;
    SendResult r = answers_.front();
    answers_.pop_front();
    return r;
  }

 private:
  const base::Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::deque<SendResult> answers_;        // guarded by mu_
  bool held_ = false;                     // guarded by mu_
  std::vector<WebhookRequest> requests_;  // guarded by mu_
  std::vector<base::TimePoint> times_;    // guarded by mu_
};

Notification notification(const std::string& name) {
  return {WebhookTarget{"http://127.0.0.1:9/hook", 2s}, "shop/" + name, "RolledBack",
          kube::Json{{"rollout", {{"name", name}}}, {"phase", "RolledBack"}}};
}

double counter(const runtime::Registry& registry, const std::string& result) {
  const std::string series = "telemetry_rollout_notifications_total{result=\"" + result + "\"} ";
  const std::string text = registry.render();
  const size_t at = text.find(series);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size()));
}

class NotifierTest : public ::testing::Test {
 protected:
  std::unique_ptr<WebhookNotifier> start(NotifierOptions options) {
    auto sender = std::make_unique<FakeSender>(clock_);
    sender_ = sender.get();
    return std::make_unique<WebhookNotifier>(std::move(sender), clock_, registry_,
                                             base::Logger(clock_, logs_), options);
  }
  double metric(const std::string& result) const { return counter(registry_, result); }

  base::SimulatedClock clock_;
  runtime::Registry registry_;
  std::ostringstream logs_;
  FakeSender* sender_ = nullptr;  // owned by the notifier
};

TEST(Classify, DeliveredRetryOrFailedByAnswer) {
  struct Case {
    SendResult result;
    SendVerdict want;
  };
  const std::vector<Case> cases = {
      {200, SendVerdict::Delivered}, {202, SendVerdict::Delivered},
      {204, SendVerdict::Delivered}, {base::fail(std::string("refused")), SendVerdict::Retry},
      {408, SendVerdict::Retry},     {429, SendVerdict::Retry},
      {500, SendVerdict::Retry},     {503, SendVerdict::Retry},
      {301, SendVerdict::Failed},    {400, SendVerdict::Failed},
      {401, SendVerdict::Failed},    {404, SendVerdict::Failed},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(classify(c.result), c.want) << (c.result.ok() ? *c.result : 0);
  }
}

TEST(BackoffAfter, DoublesFromTheInitialUpToTheCap) {
  NotifierOptions o;  // 1s .. 30s
  const std::vector<std::pair<int, base::Duration>> cases = {
      {1, 1s}, {2, 2s}, {3, 4s}, {4, 8s}, {5, 16s}, {6, 30s}, {7, 30s}, {60, 30s}};
  for (const auto& [attempt, want] : cases) EXPECT_EQ(backoffAfter(attempt, o), want) << attempt;
  o.initialBackoff = 100ms;
  o.maxBackoff = 250ms;
  EXPECT_EQ(backoffAfter(1, o), 100ms);
  EXPECT_EQ(backoffAfter(2, o), 200ms);
  EXPECT_EQ(backoffAfter(3, o), 250ms);
}

TEST_F(NotifierTest, DeliversTheDocumentToTheTargetWithItsTimeout) {
  auto notifier = start({});
  notifier->notify(notification("a"));
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 1; })) << logs_.str();
  auto requests = sender_->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].url, "http://127.0.0.1:9/hook");
  EXPECT_EQ(requests[0].timeout, 2s);
  EXPECT_EQ(kube::Json::parse(requests[0].body), notification("a").document);
  EXPECT_EQ(metric("failed"), 0);
  EXPECT_EQ(metric("dropped"), 0);
}

TEST_F(NotifierTest, RetriesWithExponentialBackoffUntilDelivered) {
  auto notifier = start({});  // 5 attempts, 1s doubling
  sender_->script({base::fail(std::string("connection refused")), 500, 503});
  const base::TimePoint t0 = clock_.now();
  notifier->notify(notification("a"));
  for (auto [calls, wait] :
       std::vector<std::pair<size_t, base::Duration>>{{1, 1s}, {2, 2s}, {3, 4s}}) {
    ASSERT_TRUE(eventually([&] { return sender_->calls() == calls && clock_.waiters() == 1; }))
        << "attempt " << calls << "\n"
        << logs_.str();
    clock_.advance(wait / 2);  // an early retry would be recorded at this time
    clock_.advance(wait - wait / 2);
  }
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 1; })) << logs_.str();
  EXPECT_EQ(sender_->times(), (std::vector<base::TimePoint>{t0, t0 + 1s, t0 + 3s, t0 + 7s}));
  EXPECT_EQ(metric("failed"), 0);
}

TEST_F(NotifierTest, GivesUpAfterTheAttemptsAndGoesOnWithTheNext) {
  NotifierOptions o;
  o.attempts = 3;
  auto notifier = start(o);
  sender_->script({503, 503, 503});
  notifier->notify(notification("a"));
  notifier->notify(notification("b"));
  for (size_t calls : {1u, 2u}) {
    ASSERT_TRUE(eventually([&] { return sender_->calls() == calls && clock_.waiters() == 1; }));
    clock_.advance(1h);
  }
  ASSERT_TRUE(eventually([&] { return metric("failed") == 1 && metric("delivered") == 1; }))
      << logs_.str();
  auto requests = sender_->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(kube::Json::parse(requests[3].body)["rollout"]["name"], "b");
  EXPECT_NE(logs_.str().find("notification failed"), std::string::npos);
}

TEST_F(NotifierTest, ARefusalFailsAtOnceWithoutRetrying) {
  auto notifier = start({});
  sender_->script({400});
  notifier->notify(notification("a"));
  ASSERT_TRUE(eventually([&] { return metric("failed") == 1; })) << logs_.str();
  EXPECT_EQ(sender_->calls(), 1u);
  EXPECT_EQ(clock_.waiters(), 0u);
}

TEST_F(NotifierTest, NeverBlocksTheCallerAndDropsTheOldestWhenFull) {
  NotifierOptions o;
  o.capacity = 2;
  auto notifier = start(o);
  sender_->hold();  // the receiver hangs
  notifier->notify(notification("a"));
  ASSERT_TRUE(eventually([&] { return sender_->calls() == 1; }));
  for (const char* name : {"b", "c", "d", "e"}) notifier->notify(notification(name));
  // All returned while the worker is stuck in a POST.
  EXPECT_EQ(notifier->pending(), 2u);
  EXPECT_EQ(metric("dropped"), 2);
  sender_->release();
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 3; })) << logs_.str();
  std::vector<std::string> sent;
  for (const auto& r : sender_->requests())
    sent.push_back(kube::Json::parse(r.body)["rollout"]["name"]);
  EXPECT_EQ(sent, (std::vector<std::string>{"a", "d", "e"}));
}

TEST_F(NotifierTest, DestructionCancelsAHungPostAndCountsWhatWasNotSent) {
  auto notifier = start({});
  sender_->hold();
  notifier->notify(notification("a"));
  ASSERT_TRUE(eventually([&] { return sender_->calls() == 1; }));
  notifier->notify(notification("b"));
  notifier.reset();  // must return: the stop request reaches the hung POST
  EXPECT_EQ(metric("dropped"), 2);
  EXPECT_EQ(metric("delivered"), 0);
}

TEST_F(NotifierTest, DestructionDuringABackoffReturnsAtOnce) {
  auto notifier = start({});
  sender_->script({500});
  notifier->notify(notification("a"));
  ASSERT_TRUE(eventually([&] { return clock_.waiters() == 1; }));
  notifier.reset();  // simulated time never advances: only the stop can end the wait
  EXPECT_EQ(metric("dropped"), 1);
}

}  // namespace
}  // namespace tro::controllers::notify
