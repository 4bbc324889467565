// One /api/v1/alerts answer per source, shared (controllers/analysis/shared_alerts.h): reused
// while young enough, fetched once however many callers arrive together, never served across
// sources, and too old for anyone once invalidated.

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "controllers/analysis/shared_alerts.h"
#include "controllers/analysis/testing/fake_prometheus.h"
#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;

std::vector<Alert> firing(const std::string& name) {
  return {Alert{name, {{"alertname", name}}, "firing", std::nullopt, std::nullopt}};
}

struct Counting {
  std::atomic<int> calls{0};
  std::string name = "A";
  FetchAlerts fetch() {
    return [this] {
      ++calls;
      return AlertsAnswer(firing(name));
    };
  }
};

TEST(SharedAlerts, ReusesAnAnswerWhileItIsYoungEnough) {
  base::SimulatedClock clock;
  SharedAlerts shared(clock);
  Counting source;
  ASSERT_TRUE(shared.get("s", 1s, source.fetch()).ok());
  clock.advance(900ms);
  EXPECT_EQ(shared.get("s", 1s, source.fetch())->front().name, "A");
  EXPECT_EQ(source.calls, 1) << "one answer serves every reader within the period";
  clock.advance(200ms);
  source.name = "B";
  EXPECT_EQ(shared.get("s", 1s, source.fetch())->front().name, "B");
  EXPECT_EQ(source.calls, 2);
}

TEST(SharedAlerts, NeverServesOneSourcesAnswerToAnother) {
  base::SimulatedClock clock;
  SharedAlerts shared(clock);
  Counting a, b;
  b.name = "B";
  EXPECT_EQ(shared.get("a", 1h, a.fetch())->front().name, "A");
  EXPECT_EQ(shared.get("b", 1h, b.fetch())->front().name, "B");
  EXPECT_EQ(a.calls + b.calls, 2);
}

TEST(SharedAlerts, InvalidateMakesEveryKeptAnswerTooOld) {
  base::SimulatedClock clock;
  SharedAlerts shared(clock);
  Counting source;
  ASSERT_TRUE(shared.get("s", 1h, source.fetch()).ok());
  shared.invalidate();
  source.name = "pushed";
  EXPECT_EQ(shared.get("s", 1h, source.fetch())->front().name, "pushed");
  EXPECT_EQ(shared.get("s", 1h, source.fetch())->front().name, "pushed");
  EXPECT_EQ(source.calls, 2);
}

TEST(SharedAlerts, KeepsFailuresSoADownPrometheusCostsOneTimeoutPerPeriod) {
  base::SimulatedClock clock;
  SharedAlerts shared(clock);
  int calls = 0;
  auto down = [&calls] {
    ++calls;
    return AlertsAnswer(base::fail(testing::error(PrometheusError::Kind::Timeout, "slow")));
  };
  EXPECT_FALSE(shared.get("s", 1s, down).ok());
  EXPECT_FALSE(shared.get("s", 1s, down).ok());
  EXPECT_EQ(calls, 1);
}

TEST(SharedAlerts, CallersArrivingDuringAFetchWaitForItsAnswer) {
  base::SimulatedClock clock;
  SharedAlerts shared(clock);
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, release = false;
  std::atomic<int> calls{0};
  auto slow = [&] {
    ++calls;
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return AlertsAnswer(firing("slow"));
  };
  std::string first, second;
  std::jthread a([&] { first = shared.get("s", 1s, slow)->front().name; });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return entered; }));
  }
  std::jthread b([&] { second = shared.get("s", 1s, slow)->front().name; });
  ASSERT_TRUE(tro::testing::eventually([&] { return shared.waiters("s") == 1; }));
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  a.join();
  b.join();
  EXPECT_EQ(first, "slow");
  EXPECT_EQ(second, "slow");
  EXPECT_EQ(calls, 1);
}

TEST(SharedAlerts, DropsSourcesNobodyPollsAndStaysBounded) {
  base::SimulatedClock clock;
  SharedAlerts shared(clock, 2);
  Counting source;
  ASSERT_TRUE(shared.get("a", 1h, source.fetch()).ok());
  clock.advance(1s);
  ASSERT_TRUE(shared.get("b", 1h, source.fetch()).ok());
  clock.advance(1s);
  ASSERT_TRUE(shared.get("c", 1h, source.fetch()).ok());
  EXPECT_EQ(shared.size(), 2u) << "the oldest answer is dropped past the bound";
  ASSERT_TRUE(shared.get("b", 1h, source.fetch()).ok());
  EXPECT_EQ(source.calls, 3) << "b was kept";
  shared.retain({"c"});
  EXPECT_EQ(shared.size(), 1u);
}

TEST(SharedAlertsApi, ReadsAlertsFromTheSharedAnswerAndQueriesFromItsOwnClient) {
  base::SimulatedClock clock;
  SharedAlerts shared(clock);
  auto fakeOwned = std::make_unique<testing::FakePrometheus>();
  testing::FakePrometheus& fake = *fakeOwned;
  fake.setAlerts(firing("HighErrorRate"));
  SharedAlertsApi api(std::move(fakeOwned), shared, "s", 1s);
  Counting poll;
  poll.name = "FromThePoll";
  ASSERT_TRUE(shared.get("s", 0s, poll.fetch()).ok());
  EXPECT_EQ(api.alerts()->front().name, "FromThePoll");
  EXPECT_TRUE(api.query("up", std::nullopt).ok());
  EXPECT_EQ(fake.calls(), (std::vector<std::string>{"up"}));
  clock.advance(2s);
  EXPECT_EQ(api.alerts()->front().name, "HighErrorRate") << "too old: asks its own client";
}

}  // namespace
}  // namespace tro::controllers::analysis
