// The shared alert poll (controllers/rollout/alert_poller.h) driven round by round with
// pollOnce() and a simulated clock: one request per source per round, whatever the number of
// rollouts; a rollout woken once per newly breached gate; failures counted, never fatal; and the
// answer the analyses read is the poll's.

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "controllers/analysis/testing/fake_prometheus.h"
#include "controllers/rollout/alert_poller.h"
#include "operator/base/simulated_clock.h"
#include "tests/support/eventually.h"
#include "tests/unit/controllers/gated_rollout_fixture.h"

namespace tro::controllers {
namespace {

using kube::Json;
using namespace std::chrono_literals;
using analysis::testing::FakePrometheus;

TypedRolloutPtr rollout(const std::string& ns, const std::string& name, Json prometheus,
                        const std::string& firingFor = "") {
  Json gate = {{"name", "HighErrorRate"}, {"matchLabels", {{"namespace", ns}}}};
  if (!firingFor.empty()) gate["firingFor"] = firingFor;
  return typeRollout(std::make_shared<const Json>(testing::gatedRolloutJson(
      ns, name, "Progressing", std::move(prometheus), Json::array({gate}))));
}

const Json& kPlain = testing::kPlainPrometheus;

analysis::Alert firing(const std::string& ns, base::TimePoint activeAt) {
  return {"HighErrorRate",
          {{"alertname", "HighErrorRate"}, {"namespace", ns}},
          "firing",
          activeAt,
          std::nullopt};
}

struct PollWorld {
  base::SimulatedClock clock;
  runtime::Registry registry;
  std::ostringstream logs;
  analysis::SharedAlerts shared{clock};
  std::vector<TypedRolloutPtr> rollouts;
  // Every client the poller makes answers from this one fake.
  std::shared_ptr<FakePrometheus> prometheus = std::make_shared<FakePrometheus>();
  std::atomic<int> connects{0};
  std::atomic<bool> connectFails{false};
  std::vector<std::vector<std::string>> woken;
  std::mutex mu;

  AlertPoller poller{
      AlertPollerOptions{},
      [this] {
        std::lock_guard lock(mu);
        return rollouts;
      },
      [this](const std::string&,
             const AnalysisSpec&) -> analysis::PromResult<analysis::PrometheusApiPtr> {
        ++connects;
        if (connectFails) {
          return base::fail(
              analysis::testing::error(analysis::PrometheusError::Kind::Config, "no Secret"));
        }
        return analysis::PrometheusApiPtr(std::make_unique<Forward>(prometheus));
      },
      shared,
      [this](const std::vector<std::string>& keys) {
        std::lock_guard lock(mu);
        woken.push_back(keys);
      },
      clock,
      registry,
      base::Logger(clock, logs)};

  struct Forward final : analysis::PrometheusApi {
    explicit Forward(std::shared_ptr<FakePrometheus> p) : p(std::move(p)) {}
    analysis::PromResult<std::vector<analysis::Alert>> alerts() override { return p->alerts(); }
    analysis::PromResult<analysis::QueryResult> query(const std::string& q,
                                                      std::optional<base::TimePoint> at) override {
      return p->query(q, at);
    }
    std::shared_ptr<FakePrometheus> p;
  };

  size_t alertRequests() const {
    auto calls = prometheus->calls();
    return static_cast<size_t>(std::count(calls.begin(), calls.end(), "ALERTS"));
  }
  // Advances one period and polls.
  void round() {
    clock.advance(1s);
    poller.pollOnce();
  }
};

TEST(AlertPoller, OneRequestPerSourcePerRoundWakesEachBreachedRolloutOnce) {
  PollWorld w;
  for (int i = 0; i < 50; ++i)
    w.rollouts.push_back(rollout("shop", "r" + std::to_string(i), kPlain));
  w.rollouts.push_back(rollout("web", "web", kPlain));
  w.round();
  EXPECT_EQ(w.alertRequests(), 1u) << "51 rollouts, one source, one request";
  EXPECT_TRUE(w.woken.empty());

  w.prometheus->setAlerts(std::vector<analysis::Alert>{firing("web", w.clock.now())});
  w.round();
  EXPECT_EQ(w.alertRequests(), 2u);
  ASSERT_EQ(w.woken.size(), 1u);
  EXPECT_EQ(w.woken[0], (std::vector<std::string>{"web/web"}));

  w.round();
  EXPECT_EQ(w.woken.size(), 1u) << "still breached: not woken again";

  w.prometheus->setAlerts(std::vector<analysis::Alert>{});
  w.round();
  w.prometheus->setAlerts(std::vector<analysis::Alert>{firing("web", w.clock.now())});
  w.round();
  EXPECT_EQ(w.woken.size(), 2u) << "resolved, then firing again: a new breach";
  EXPECT_EQ(w.connects, 1) << "the client is kept between rounds";
}

TEST(AlertPoller, WakesAFiringForGateWhenTheAlertHasFiredLongEnough) {
  PollWorld w;
  w.rollouts.push_back(rollout("shop", "slow", kPlain, "5s"));
  w.prometheus->setAlerts(std::vector<analysis::Alert>{firing("shop", w.clock.now())});
  for (int i = 0; i < 4; ++i) w.round();
  EXPECT_TRUE(w.woken.empty()) << "firing for 4s of 5s";
  w.round();
  ASSERT_EQ(w.woken.size(), 1u);
  EXPECT_EQ(w.woken[0], (std::vector<std::string>{"shop/slow"}));
}

TEST(AlertPoller, SourcesWithTheirOwnCredentialsArePolledApart) {
  PollWorld w;
  const Json withToken = {{"address", "http://prometheus.monitoring:9090"},
                          {"authorization", {{"secretRef", {{"name", "token"}}}}}};
  w.rollouts = {rollout("shop", "a", withToken), rollout("web", "b", withToken),
                rollout("web", "c", withToken)};
  w.round();
  EXPECT_EQ(w.alertRequests(), 2u) << "shop's and web's credentials";
  EXPECT_EQ(w.connects, 2);
}

TEST(AlertPoller, AConnectionFailureIsCountedAndRetriedNextRound) {
  PollWorld w;
  w.rollouts.push_back(rollout("shop", "a", kPlain));
  w.connectFails = true;
  w.round();
  w.round();
  EXPECT_EQ(w.connects, 2);
  EXPECT_EQ(w.alertRequests(), 0u);
  EXPECT_NE(w.registry.render().find("telemetry_rollout_alert_polls_total{result=\"error\"} 2"),
            std::string::npos)
      << w.registry.render();
  EXPECT_EQ(w.logs.str().find("no Secret"), w.logs.str().rfind("no Secret"))
      << "the same problem is logged once";
  w.connectFails = false;
  w.round();
  EXPECT_EQ(w.alertRequests(), 1u);
}

TEST(AlertPoller, TheAnalysisReadsThePollsAnswerWithoutARequestOfItsOwn) {
  PollWorld w;
  w.rollouts.push_back(rollout("shop", "a", kPlain));
  w.prometheus->setAlerts(std::vector<analysis::Alert>{firing("shop", w.clock.now())});
  w.round();
  AnalysisSpec spec;
  spec.prometheusAddress = "http://prometheus.monitoring:9090";
  analysis::SharedAlertsApi api(std::make_unique<PollWorld::Forward>(w.prometheus), w.shared,
                                alertSourceKey("shop", spec), 1s);
  auto alerts = api.alerts();
  ASSERT_TRUE(alerts.ok());
  EXPECT_EQ(alerts->size(), 1u);
  EXPECT_EQ(w.alertRequests(), 1u);
}

TEST(AlertPoller, StartedItPollsEveryPeriodUntilStopped) {
  PollWorld w;
  w.rollouts.push_back(rollout("shop", "a", kPlain));
  w.poller.start();
  ASSERT_TRUE(tro::testing::eventually([&] { return w.alertRequests() >= 1; }));
  w.prometheus->setAlerts(std::vector<analysis::Alert>{firing("shop", w.clock.now())});
  ASSERT_TRUE(tro::testing::eventually([&] {
    w.clock.advance(1s);  // each wait of the scheduler ends at its next period
    std::lock_guard lock(w.mu);
    return !w.woken.empty();
  }));
  w.poller.stop();
  const size_t after = w.alertRequests();
  w.clock.advance(10s);
  EXPECT_EQ(w.alertRequests(), after) << "stopped: no more rounds";
}

}  // namespace
}  // namespace tro::controllers
