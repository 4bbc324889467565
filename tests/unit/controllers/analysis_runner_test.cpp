#include <gtest/gtest.h>

#include "controllers/analysis/analysis_runner.h"
#include "controllers/analysis/testing/fake_prometheus.h"
#include "operator/base/simulated_clock.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using Kind = PrometheusError::Kind;

Criteria criteria() {
  Criteria c;
  c.interval = 1min;
  c.alerts = {AlertGate{"alert/HighErrorRate", "HighErrorRate", {}, std::nullopt}};
  c.thresholds = {
      ThresholdCheck{"query/error-rate", "err{namespace=\"{{namespace}}\",d=\"{{deployment}}\"}",
                     std::nullopt, 0.02, NoDataPolicy::Inconclusive},
      ThresholdCheck{"query/stall", "stall{d=~\"{{targets}}\"}[{{interval}}]", 1, std::nullopt,
                     NoDataPolicy::Pass}};
  c.baselines = {BaselineCheck{"baseline/cpu", "cpu{d=~\"{{cohort}}\"}",
                               BaselineCheck::Direction::HigherIsWorse, 0.2, 0,
                               NoDataPolicy::Inconclusive}};
  return c;
}

AnalysisTargets targets() { return AnalysisTargets{"shop", {"web", "api"}, {"cart"}, {}}; }

TEST(AnalysisRunnerTest, RunsEveryCheckForTheCohortsAndJudges) {
  base::SimulatedClock clock;
  const base::TimePoint start = clock.now();
  FakePrometheus prom(&clock);
  prom.answer("err{namespace=\"shop\",d=\"web\"}", one(0.01));
  prom.answer("err{namespace=\"shop\",d=\"api\"}", one(0.05));
  prom.answer("cpu{d=~\"(?:api|web)\"}", one(1.1));
  prom.answer("cpu{d=~\"(?:cart)\"}", one(1.0));

  AnalysisRun run = runAnalysis(criteria(), targets(), prom, clock);

  EXPECT_EQ(prom.calls(), (std::vector<std::string>{
                              "ALERTS", "err{namespace=\"shop\",d=\"web\"}",
                              "err{namespace=\"shop\",d=\"api\"}", "stall{d=~\"(?:api|web)\"}[1m]",
                              "cpu{d=~\"(?:api|web)\"}", "cpu{d=~\"(?:cart)\"}"}));
  for (const auto& t : prom.times()) EXPECT_EQ(t, std::optional<base::TimePoint>(start));
  EXPECT_EQ(run.requests, 6);
  EXPECT_EQ(run.latency, 300ms);
  EXPECT_EQ(run.measurements.now, start);
  EXPECT_EQ(run.verdict.outcome, Outcome::Failed);
  EXPECT_EQ(run.verdict.reason.check, "query/error-rate");
  EXPECT_EQ(run.verdict.reason.value, std::optional<double>(0.05));
  EXPECT_EQ(run.verdict.reason.threshold, "max 0.02");
  EXPECT_EQ(run.verdict.implicated, std::vector<std::string>{"api"});
  ASSERT_EQ(run.verdict.checks.size(), 4u);
  EXPECT_EQ(run.verdict.checks[3].outcome, Outcome::Successful);  // 1.1 within 1.0 +20%
}

TEST(AnalysisRunnerTest, HealthyRolloutSucceeds) {
  base::SimulatedClock clock;
  FakePrometheus prom(&clock);
  prom.answer("err{namespace=\"shop\",d=\"web\"}", one(0.0));
  prom.answer("err{namespace=\"shop\",d=\"api\"}", scalar(0.001));
  prom.answer("cpu{d=~\"(?:api|web)\"}", one(1.0));
  prom.answer("cpu{d=~\"(?:cart)\"}", one(1.0));
  AnalysisRun run = runAnalysis(criteria(), targets(), prom, clock);
  EXPECT_EQ(run.verdict.outcome, Outcome::Successful) << run.verdict.reason.message;
}

TEST(AnalysisRunnerTest, SkipsBaselineWhenACohortIsEmpty) {
  base::SimulatedClock clock;
  FakePrometheus prom(&clock);
  AnalysisTargets all = targets();
  all.baseline.clear();
  prom.answer("err{namespace=\"shop\",d=\"web\"}", one(0.0));
  prom.answer("err{namespace=\"shop\",d=\"api\"}", one(0.0));
  AnalysisRun run = runAnalysis(criteria(), all, prom, clock);
  EXPECT_EQ(run.requests, 4);
  EXPECT_TRUE(run.measurements.baselines.empty());
  EXPECT_EQ(run.verdict.outcome, Outcome::Successful) << run.verdict.reason.message;
}

TEST(AnalysisRunnerTest, StopsAskingOncePrometheusIsUnreachable) {
  base::SimulatedClock clock;
  FakePrometheus prom(&clock);
  prom.setAlerts(
      base::fail(error(Kind::Unreachable, "dial tcp 10.0.0.9:9090: connection refused")));
  prom.failAll(error(Kind::Unreachable, "connection refused"));
  AnalysisRun run = runAnalysis(criteria(), targets(), prom, clock);
  EXPECT_EQ(prom.calls(), std::vector<std::string>{"ALERTS"});
  EXPECT_EQ(run.requests, 1);
  EXPECT_EQ(run.latency, 50ms);
  EXPECT_EQ(run.verdict.outcome, Outcome::Inconclusive);
  EXPECT_EQ(run.verdict.reason.check, "alert/HighErrorRate");
  EXPECT_NE(run.verdict.reason.message.find("unreachable: dial tcp"), std::string::npos);
  for (const CheckResult& c : run.verdict.checks) {
    if (c.reason.check == "query/stall") {
      EXPECT_EQ(c.outcome, Outcome::Inconclusive) << "errors are not no-data: onNoData Pass "
                                                     "must not turn an outage into a pass";
    }
  }
}

TEST(AnalysisRunnerTest, QueryErrorsDoNotStopOtherChecks) {
  base::SimulatedClock clock;
  FakePrometheus prom(&clock);
  PrometheusError bad{Kind::Prometheus, 400, "bad_data", "parse error"};
  prom.answer("err{namespace=\"shop\",d=\"web\"}", base::fail(bad));
  AnalysisRun run = runAnalysis(criteria(), targets(), prom, clock);
  EXPECT_EQ(run.requests, 6);
  EXPECT_EQ(run.verdict.outcome, Outcome::Inconclusive);
  EXPECT_NE(run.verdict.reason.message.find("prometheus error bad_data (400): parse error"),
            std::string::npos)
      << run.verdict.reason.message;
}

TEST(AnalysisRunnerTest, FailedRolloutsAreBreachesEvenWithoutQueries) {
  base::SimulatedClock clock;
  FakePrometheus prom(&clock);
  AnalysisTargets t = targets();
  t.failedRollouts = {"web"};
  AnalysisRun run = runAnalysis(Criteria{}, t, prom, clock);
  EXPECT_EQ(run.requests, 0);
  EXPECT_EQ(run.verdict.outcome, Outcome::Failed);
  EXPECT_EQ(run.verdict.reason.check, "rollout/web");
  EXPECT_EQ(run.verdict.implicated, std::vector<std::string>{"web"});
}

}  // namespace
}  // namespace tro::controllers::analysis
