// WebhookNotifier against a fake sender: delivery, retries with exponential backoff on a
// SimulatedClock, giving up, refusals, drop-oldest when full, never blocking the caller, and
// shutdown while a POST or a backoff is in progress; with several receivers, that a hung or
// backing-off receiver does not delay another, per-receiver order, the bound on concurrent
// POSTs and on receivers tracked. Waits are on conditions with deadlines.

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "controllers/notify/webhook_notifier.h"
#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"
#include "tests/support/log_capture.h"

namespace tro::controllers::notify {
namespace {

using namespace std::chrono_literals;
using tro::testing::eventually;

const std::string kHook = "http://127.0.0.1:9/hook";

// Answers posts to each URL from that URL's script (then 200), records each request and the
// clock time it was sent at. Posts to a held URL block until release() or until the notifier
// stops. Counts the posts in progress and their maximum.
class FakeSender final : public WebhookSender {
 public:
  explicit FakeSender(const base::Clock& clock) : clock_(clock) {}

  void script(std::vector<SendResult> answers, const std::string& url = kHook) {
    std::lock_guard l(mu_);
    answers_[url].assign(answers.begin(), answers.end());
  }
  void hold(const std::string& url = kHook) {
    std::lock_guard l(mu_);
    held_.insert(url);
  }
  void release(const std::string& url = kHook) {
    {
      std::lock_guard l(mu_);
      held_.erase(url);
    }
    cv_.notify_all();
  }
  void releaseAll() {
    {
      std::lock_guard l(mu_);
      held_.clear();
    }
    cv_.notify_all();
  }
  size_t calls() const {
    std::lock_guard l(mu_);
    return requests_.size();
  }
  size_t calls(const std::string& url) const {
    std::lock_guard l(mu_);
    return std::count_if(requests_.begin(), requests_.end(),
                         [&url](const WebhookRequest& r) { return r.url == url; });
  }
  size_t inFlight() const {
    std::lock_guard l(mu_);
    return inFlight_;
  }
  size_t maxInFlight() const {
    std::lock_guard l(mu_);
    return maxInFlight_;
  }
  std::vector<WebhookRequest> requests() const {
    std::lock_guard l(mu_);
    return requests_;
  }
  std::vector<base::TimePoint> times() const {
    std::lock_guard l(mu_);
    return times_;
  }
  // The rollout names posted to URLs of `origin`, one per attempt, in the order sent.
  std::vector<std::string> names(const std::string& origin) const {
    std::vector<std::string> out;
    for (const auto& r : requests()) {
      if (receiverKey(r.url) == origin) out.push_back(kube::Json::parse(r.body)["rollout"]["name"]);
    }
    return out;
  }

  SendResult post(const WebhookRequest& request, std::stop_token stop) override {
    std::unique_lock l(mu_);
    requests_.push_back(request);
    times_.push_back(clock_.now());
    maxInFlight_ = std::max(maxInFlight_, ++inFlight_);
    cv_.wait(l, stop, [&] { return !held_.contains(request.url); });
    --inFlight_;
    if (held_.contains(request.url)) return base::fail(std::string("cancelled"));
    std::deque<SendResult>& answers = answers_[request.url];
    if (answers.empty()) return 200;
    SendResult r = answers.front();
    answers.pop_front();
    return r;
  }

 private:
  const base::Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  std::map<std::string, std::deque<SendResult>> answers_;  // guarded by mu_
  std::set<std::string> held_;                             // guarded by mu_
  size_t inFlight_ = 0;                                    // guarded by mu_
  size_t maxInFlight_ = 0;                                 // guarded by mu_
  std::vector<WebhookRequest> requests_;                   // guarded by mu_
  std::vector<base::TimePoint> times_;                     // guarded by mu_
};

Notification notification(const std::string& name, const std::string& url = kHook) {
  return {WebhookTarget{url, 2s}, "shop/" + name, "RolledBack",
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
                                             base::Logger(clock_, logs_.stream()), options);
  }
  double metric(const std::string& result) const { return counter(registry_, result); }

  base::SimulatedClock clock_;
  runtime::Registry registry_;
  tro::testing::LogCapture logs_;  // read while the notifier thread logs
  FakeSender* sender_ = nullptr;   // owned by the notifier
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

TEST(ReceiverKey, IsTheOriginOfTheUrl) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://a.example/hook", "http://a.example"},
      {"http://A.Example:80/other?token=secret", "http://a.example"},
      {"https://a.example/hook", "https://a.example"},
      {"https://a.example:443/hook", "https://a.example"},
      {"http://a.example:8080/hook", "http://a.example:8080"},
      {"http://[::1]:9/hook", "http://[::1]:9"},
      {"not a url", "not a url"},
  };
  for (const auto& [url, want] : cases) EXPECT_EQ(receiverKey(url), want) << url;
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
  for (const auto& attempt :
       std::vector<std::pair<size_t, base::Duration>>{{1, 1s}, {2, 2s}, {3, 4s}}) {
    const auto [calls, wait] = attempt;
    const size_t expected = calls;  // clang 14 cannot capture a structured binding
    ASSERT_TRUE(eventually([&] { return sender_->calls() == expected && clock_.waiters() == 1; }))
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
  // The failure is counted before it is logged: wait for the line rather than read it at once.
  EXPECT_TRUE(eventually([&] {
    return logs_.str().find("notification failed") != std::string::npos;
  })) << logs_.str();
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

const std::string kA = "http://a.example/hook";
const std::string kB = "http://b.example/hook";
const std::string kC = "http://c.example/hook";

TEST_F(NotifierTest, AReceiverThatNeverAnswersDoesNotDelayAnother) {
  auto notifier = start({});
  sender_->hold(kA);  // A never answers
  notifier->notify(notification("a1", kA));
  ASSERT_TRUE(eventually([&] { return sender_->calls(kA) == 1; }));
  notifier->notify(notification("b1", kB));
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 1; })) << logs_.str();
  EXPECT_EQ(sender_->names("http://b.example"), std::vector<std::string>{"b1"});
  EXPECT_EQ(sender_->inFlight(), 1u);                                   // A's POST is still waiting
  EXPECT_TRUE(eventually([&] { return notifier->receivers() == 1; }));  // B is forgotten
  notifier.reset();
  EXPECT_EQ(metric("dropped"), 1);
}

TEST_F(NotifierTest, UrlsOfOneOriginAreOneReceiver) {
  auto notifier = start({});
  const std::string one = "http://a.example/one";
  const std::string two = "http://a.example:80/two?token=t";
  sender_->hold(one);
  notifier->notify(notification("x1", one));
  notifier->notify(notification("x2", two));
  notifier->notify(notification("y1", kB));
  ASSERT_TRUE(eventually([&] {
    return sender_->calls(one) == 1 && metric("delivered") == 1 && notifier->receivers() == 1;
  })) << logs_.str();
  EXPECT_EQ(sender_->calls(two), 0u);  // waits behind x1, on its own receiver
  EXPECT_EQ(notifier->pending(), 1u);
  sender_->release(one);
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 3; })) << logs_.str();
  EXPECT_EQ(sender_->names("http://a.example"), (std::vector<std::string>{"x1", "x2"}));
}

TEST_F(NotifierTest, KeepsEachReceiversOrderAndSendsOneAtATimeToIt) {
  auto notifier = start({});  // 4 workers
  sender_->hold(kA);
  for (const char* n : {"1", "2", "3", "4"}) {
    notifier->notify(notification(std::string("a") + n, kA));
    notifier->notify(notification(std::string("b") + n, kB));
  }
  ASSERT_TRUE(eventually([&] { return sender_->calls(kA) == 1 && metric("delivered") == 4; }))
      << logs_.str();
  // Idle workers were there all along, yet none took A's next while a1 was in flight.
  EXPECT_EQ(sender_->calls(kA), 1u);
  EXPECT_EQ(notifier->pending(), 3u);
  sender_->release(kA);
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 8; })) << logs_.str();
  EXPECT_EQ(sender_->names("http://a.example"), (std::vector<std::string>{"a1", "a2", "a3", "a4"}));
  EXPECT_EQ(sender_->names("http://b.example"), (std::vector<std::string>{"b1", "b2", "b3", "b4"}));
  EXPECT_LE(sender_->maxInFlight(), 2u);  // one per receiver
}

TEST_F(NotifierTest, AReceiverInBackoffDoesNotDelayAnotherNorHoldAWorker) {
  NotifierOptions o;
  o.maxConcurrentReceivers = 1;  // the one worker must not sit out A's backoff
  auto notifier = start(o);
  sender_->script({500}, kA);
  const base::TimePoint t0 = clock_.now();
  notifier->notify(notification("a1", kA));
  notifier->notify(notification("a2", kA));
  notifier->notify(notification("b1", kB));
  // a1 goes first (oldest), fails; b1 is delivered without simulated time moving.
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 1 && clock_.waiters() == 1; }))
      << logs_.str();
  EXPECT_EQ(sender_->names("http://b.example"), std::vector<std::string>{"b1"});
  EXPECT_EQ(sender_->names("http://a.example"), std::vector<std::string>{"a1"});
  clock_.advance(1s);
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 3; })) << logs_.str();
  EXPECT_EQ(sender_->names("http://a.example"), (std::vector<std::string>{"a1", "a1", "a2"}));
  auto requests = sender_->requests();
  auto times = sender_->times();
  std::vector<base::TimePoint> timesOfA;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].url == kA) timesOfA.push_back(times[i]);
  }
  EXPECT_EQ(timesOfA, (std::vector<base::TimePoint>{t0, t0 + 1s, t0 + 1s}));
  EXPECT_TRUE(eventually([&] { return notifier->receivers() == 0; }));
}

TEST_F(NotifierTest, SendsToAtMostMaxConcurrentReceiversAtOnce) {
  NotifierOptions o;
  o.maxConcurrentReceivers = 2;
  auto notifier = start(o);
  std::vector<std::string> urls;
  for (int i = 0; i < 5; ++i) urls.push_back("http://r" + std::to_string(i) + ".example/hook");
  for (const auto& url : urls) sender_->hold(url);
  for (const auto& url : urls) notifier->notify(notification("n", url));
  ASSERT_TRUE(eventually([&] { return sender_->inFlight() == 2; }));
  EXPECT_EQ(notifier->pending(), 3u);  // waiting for a worker
  EXPECT_EQ(notifier->receivers(), 5u);
  sender_->releaseAll();
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 5; })) << logs_.str();
  EXPECT_EQ(sender_->maxInFlight(), 2u);
  EXPECT_EQ(sender_->calls(), 5u);
}

TEST_F(NotifierTest, DropsNotificationsForReceiversBeyondTheCapAndForgetsIdleOnes) {
  NotifierOptions o;
  o.maxReceivers = 2;
  auto notifier = start(o);
  sender_->hold(kA);
  sender_->hold(kB);
  notifier->notify(notification("a1", kA));
  notifier->notify(notification("b1", kB));
  notifier->notify(notification("c1", kC));  // a third receiver: not tracked
  EXPECT_EQ(metric("dropped"), 1);
  EXPECT_EQ(notifier->receivers(), 2u);
  notifier->notify(notification("a2", kA));  // a tracked receiver still queues
  EXPECT_EQ(metric("dropped"), 1);
  sender_->releaseAll();
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 3; })) << logs_.str();
  ASSERT_TRUE(eventually([&] { return notifier->receivers() == 0; }));
  notifier->notify(notification("c2", kC));  // room again
  ASSERT_TRUE(eventually([&] { return metric("delivered") == 4; })) << logs_.str();
  EXPECT_EQ(sender_->names("http://c.example"), std::vector<std::string>{"c2"});
}

TEST_F(NotifierTest, DestructionCancelsEveryHungPostAndCountsWhatWasNotSent) {
  NotifierOptions o;
  o.maxConcurrentReceivers = 2;
  auto notifier = start(o);
  for (const auto& url : {kA, kB, kC}) sender_->hold(url);
  for (const auto& url : {kA, kB, kC}) {
    notifier->notify(notification("first", url));
    notifier->notify(notification("second", url));
  }
  ASSERT_TRUE(eventually([&] { return sender_->inFlight() == 2; }));
  notifier.reset();  // must return: the stop request reaches both hung POSTs
  EXPECT_EQ(metric("dropped"), 6);
  EXPECT_EQ(metric("delivered"), 0);
  EXPECT_EQ(metric("failed"), 0);
}

}  // namespace
}  // namespace tro::controllers::notify
