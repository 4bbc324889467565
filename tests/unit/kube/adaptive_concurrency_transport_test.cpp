#include "operator/kube/transport/adaptive_concurrency_transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace tro::kube::transport {
namespace {

using namespace std::chrono_literals;
using tro::testing::eventually;

// What the inner transport saw, and a gate that holds its send()s: while closed, each send()
// blocks until let() passes it. Answers come from `outcomes`, then 200.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = true;
  int passes = 0;
  int entered = 0;  // send() calls seen
  int running = 0;  // send() calls inside the inner transport now
  int maxRunning = 0;
  int streams = 0;
  std::deque<Result<HttpResponse>> outcomes;

  void close() {
    std::lock_guard l(mu);
    open = false;
  }
  void openAll() {
    std::lock_guard l(mu);
    open = true;
    cv.notify_all();
  }
  void let(int n) {
    std::lock_guard l(mu);
    passes += n;
    cv.notify_all();
  }
  int read(const int& field) {
    std::lock_guard l(mu);
    return field;
  }
};

class GatedTransport final : public Transport {
 public:
  explicit GatedTransport(Gate& gate) : gate_(gate) {}

  Result<HttpResponse> send(const HttpRequest&, std::chrono::milliseconds) override {
    std::unique_lock l(gate_.mu);
    ++gate_.entered;
    gate_.maxRunning = std::max(gate_.maxRunning, ++gate_.running);
    gate_.cv.wait(l, [this] { return gate_.open || gate_.passes > 0; });
    if (!gate_.open) --gate_.passes;
    --gate_.running;
    if (gate_.outcomes.empty()) return HttpResponse{200, {}, "ok"};
    Result<HttpResponse> next = std::move(gate_.outcomes.front());
    gate_.outcomes.pop_front();
    return next;
  }

  Result<StreamOpen> stream(const HttpRequest&) override {
    std::lock_guard l(gate_.mu);
    ++gate_.streams;
    StreamOpen opened;
    opened.response.status = 200;
    return opened;
  }

 private:
  Gate& gate_;
};

// Declared after a test's threads, so destroyed first: unblocks them when an assertion failed.
class Unblock {
 public:
  explicit Unblock(std::function<void()> f) : f_(std::move(f)) {}
  ~Unblock() { f_(); }

 private:
  std::function<void()> f_;
};

AdaptiveLimitOptions options(int initial, int min = 1, int max = 64) {
  AdaptiveLimitOptions o;
  o.initial = initial;
  o.min = min;
  o.max = max;
  return o;
}

HttpRequest patch() {
  return HttpRequest{"PATCH", "/apis/apps/v1/namespaces/shop/deployments/api", {}, {}, "{}"};
}

HttpResponse response(int status, std::map<std::string, std::string> headers = {}) {
  return HttpResponse{status, std::move(headers), "body"};
}

Error transportError() {
  Error e;
  e.kind = ErrorKind::Transport;
  e.message = "connection reset";
  return e;
}

TEST(AdaptiveConcurrencyTransport, RunsAtMostLimitRequestsAtOnce) {
  base::SimulatedClock clock;
  Gate gate;
  gate.close();
  AdaptiveConcurrencyTransport transport(std::make_unique<GatedTransport>(gate), options(2, 1, 2),
                                         clock);
  std::atomic<int> done{0};
  std::vector<std::jthread> senders;
  for (int i = 0; i < 5; ++i) {
    senders.emplace_back([&] {
      if (transport.send(patch(), 1s).ok()) ++done;
    });
  }
  Unblock unblock([&] { gate.openAll(); });
  ASSERT_TRUE(eventually([&] { return gate.read(gate.entered) == 2 && transport.waiting() == 3; }));
  EXPECT_EQ(transport.inFlight(), 2);
  for (int released = 1; released <= 5; ++released) {
    gate.let(1);
    ASSERT_TRUE(eventually([&] { return done == released; }));
    ASSERT_TRUE(eventually([&] { return gate.read(gate.entered) == std::min(5, released + 2); }));
  }
  EXPECT_EQ(gate.read(gate.maxRunning), 2);
  EXPECT_EQ(transport.inFlight(), 0);
  EXPECT_EQ(transport.waiting(), 0);
}

TEST(AdaptiveConcurrencyTransport, RetryAfterHoldsTheNextRequestOnTheClock) {
  base::SimulatedClock clock;
  Gate gate;
  gate.outcomes.push_back(response(429, {{"retry-after", "2"}}));
  AdaptiveConcurrencyTransport transport(std::make_unique<GatedTransport>(gate), options(4), clock);
  Result<HttpResponse> first = transport.send(patch(), 1s);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 429);
  EXPECT_EQ(transport.limit(), 2);

  std::optional<Result<HttpResponse>> second;
  std::jthread worker([&] { second.emplace(transport.send(patch(), 1s)); });
  Unblock unblock([&] { clock.advance(1h); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  clock.advance(1999ms);
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  EXPECT_EQ(gate.read(gate.entered), 1);
  clock.advance(1ms);
  worker.join();
  ASSERT_TRUE(second->ok());
  EXPECT_EQ(second->value().status, 200);
  EXPECT_EQ(gate.read(gate.entered), 2);
}

TEST(AdaptiveConcurrencyTransport, StopCancelsASendWaitingForASlot) {
  base::SimulatedClock clock;
  Gate gate;
  gate.close();
  std::stop_source stop;
  AdaptiveConcurrencyTransport transport(std::make_unique<GatedTransport>(gate), options(1, 1, 1),
                                         clock, stop.get_token());
  std::optional<Result<HttpResponse>> first;
  std::optional<Result<HttpResponse>> second;
  std::jthread a([&] { first.emplace(transport.send(patch(), 1s)); });
  std::jthread b([&] { second.emplace(transport.send(patch(), 1s)); });
  Unblock unblock([&] { gate.openAll(); });
  ASSERT_TRUE(eventually([&] { return gate.read(gate.entered) == 1 && transport.waiting() == 1; }));
  stop.request_stop();
  // Whichever thread got the slot is still inside the inner transport; the other is cancelled.
  ASSERT_TRUE(eventually([&] { return transport.waiting() == 0; }));
  gate.openAll();
  a.join();
  b.join();
  const Result<HttpResponse>& cancelled = first->ok() ? *second : *first;
  const Result<HttpResponse>& sent = first->ok() ? *first : *second;
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().kind, ErrorKind::Cancelled);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(gate.read(gate.entered), 1);
}

TEST(AdaptiveConcurrencyTransport, StopCancelsASendPausedByRetryAfter) {
  base::SimulatedClock clock;
  Gate gate;
  gate.outcomes.push_back(response(429, {{"retry-after", "30"}}));
  std::stop_source stop;
  AdaptiveConcurrencyTransport transport(std::make_unique<GatedTransport>(gate), options(4), clock,
                                         stop.get_token());
  ASSERT_TRUE(transport.send(patch(), 1s).ok());
  std::optional<Result<HttpResponse>> paused;
  std::jthread worker([&] { paused.emplace(transport.send(patch(), 1s)); });
  Unblock unblock([&] { stop.request_stop(); });
  ASSERT_TRUE(eventually([&] { return clock.waiters() == 1; }));
  stop.request_stop();
  worker.join();
  ASSERT_FALSE(paused->ok());
  EXPECT_EQ(paused->error().kind, ErrorKind::Cancelled);
  EXPECT_EQ(gate.read(gate.entered), 1);
}

TEST(AdaptiveConcurrencyTransport, StreamsAreNotBounded) {
  base::SimulatedClock clock;
  Gate gate;
  gate.close();
  AdaptiveConcurrencyTransport transport(std::make_unique<GatedTransport>(gate), options(1, 1, 1),
                                         clock);
  std::jthread sender([&] { (void)transport.send(patch(), 1s); });
  Unblock unblock([&] { gate.openAll(); });
  ASSERT_TRUE(eventually([&] { return transport.inFlight() == 1; }));
  Result<StreamOpen> opened = transport.stream(patch());
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(gate.read(gate.streams), 1);
}

struct OutcomeCase {
  std::string name;
  Result<HttpResponse> outcome;
  int limitFromOne;   // limit after this outcome when the limit was 1 (a success raises it)
  int limitFromFour;  // ... when it was 4 (an overload halves it)
};

TEST(AdaptiveConcurrencyTransport, ClassifiesOutcomes) {
  const std::vector<OutcomeCase> cases = {
      {"200 is a success", response(200), 2, 4},
      {"404 is a success", response(404), 2, 4},
      {"409 is a success", response(409), 2, 4},
      {"429 is an overload", response(429), 1, 2},
      {"429 with Retry-After is an overload", response(429, {{"retry-after", "0"}}), 1, 2},
      {"503 with Retry-After is an overload", response(503, {{"retry-after", "0"}}), 1, 2},
      {"503 without Retry-After is neither", response(503), 1, 4},
      {"500 is neither", response(500), 1, 4},
      {"a transport error is neither", fail(transportError()), 1, 4},
  };
  for (const OutcomeCase& c : cases) {
    SCOPED_TRACE(c.name);
    for (auto [initial, expected] : {std::pair{1, c.limitFromOne}, std::pair{4, c.limitFromFour}}) {
      base::SimulatedClock clock;
      Gate gate;
      gate.outcomes.push_back(c.outcome);
      AdaptiveConcurrencyTransport transport(std::make_unique<GatedTransport>(gate),
                                             options(initial), clock);
      (void)transport.send(patch(), 1s);
      EXPECT_EQ(transport.limit(), expected) << "from " << initial;
    }
  }
}

TEST(AdaptiveConcurrencyTransport, ReportsTheLimitAndItsChanges) {
  base::SimulatedClock clock;
  Gate gate;
  gate.outcomes.push_back(response(429));
  std::vector<int> reported;
  AdaptiveConcurrencyTransport transport(std::make_unique<GatedTransport>(gate), options(4), clock,
                                         {}, [&](int limit) { reported.push_back(limit); });
  (void)transport.send(patch(), 1s);  // 429: halves
  (void)transport.send(patch(), 1s);  // 200: half a window, no change
  EXPECT_EQ(reported, (std::vector<int>{4, 2}));
}

}  // namespace
}  // namespace tro::kube::transport
