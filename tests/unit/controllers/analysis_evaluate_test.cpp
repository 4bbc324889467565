#include <gtest/gtest.h>

#include <functional>

#include "controllers/analysis/evaluate.h"
#include "controllers/analysis/testing/fake_prometheus.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;
using namespace testing;
using Kind = PrometheusError::Kind;

ThresholdCheck maxCheck(double max, NoDataPolicy onNoData = NoDataPolicy::Inconclusive) {
  return ThresholdCheck{"query/error-rate", "q", std::nullopt, max, onNoData};
}

struct ThresholdCase {
  std::string name;
  ThresholdCheck check;
  std::vector<QueryRun> runs;
  Outcome outcome;
  std::optional<double> value;
  std::vector<std::string> implicated;
  std::string inMessage;
};

TEST(AnalysisEvaluateTest, ThresholdChecksEveryResultShape) {
  const ThresholdCheck minCheck{"query/success", "q", 0.9, std::nullopt,
                                NoDataPolicy::Inconclusive};
  const ThresholdCheck both{"query/band", "q", 0.1, 0.5, NoDataPolicy::Inconclusive};
  const ThresholdCase cases[] = {
      {"scalar within",
       maxCheck(0.02),
       {{std::nullopt, scalar(0.01)}},
       Outcome::Successful,
       0.01,
       {},
       "0.01 within max 0.02"},
      {"scalar above max",
       maxCheck(0.02),
       {{std::nullopt, scalar(0.05)}},
       Outcome::Failed,
       0.05,
       {},
       "0.05 above max 0.02"},
      {"one-sample vector above",
       maxCheck(0.02),
       {{std::nullopt, one(0.021)}},
       Outcome::Failed,
       0.021,
       {},
       "above max"},
      {"equal to max passes",
       maxCheck(0.02),
       {{std::nullopt, one(0.02)}},
       Outcome::Successful,
       0.02,
       {},
       "within"},
      {"below min",
       minCheck,
       {{std::nullopt, one(0.8)}},
       Outcome::Failed,
       0.8,
       {},
       "0.8 below min 0.9"},
      {"inside band",
       both,
       {{std::nullopt, one(0.3)}},
       Outcome::Successful,
       0.3,
       {},
       "within min 0.1, max 0.5"},
      {"empty, onNoData Inconclusive",
       maxCheck(0.02),
       {{std::nullopt, vec({})}},
       Outcome::Inconclusive,
       std::nullopt,
       {},
       "no data (empty result), onNoData Inconclusive"},
      {"empty, onNoData Pass",
       maxCheck(0.02, NoDataPolicy::Pass),
       {{std::nullopt, vec({})}},
       Outcome::Successful,
       std::nullopt,
       {},
       "no data, onNoData Pass"},
      {"empty, onNoData Fail",
       maxCheck(0.02, NoDataPolicy::Fail),
       {{std::nullopt, vec({})}},
       Outcome::Failed,
       std::nullopt,
       {},
       "no data (empty result), onNoData Fail"},
      {"NaN is no data",
       maxCheck(0.02),
       {{std::nullopt, scalar(kNaN)}},
       Outcome::Inconclusive,
       std::nullopt,
       {},
       "no data (NaN)"},
      {"NaN with Pass",
       maxCheck(0.02, NoDataPolicy::Pass),
       {{std::nullopt, one(kNaN)}},
       Outcome::Successful,
       std::nullopt,
       {},
       "no data"},
      {"+Inf breaches max",
       maxCheck(0.02),
       {{std::nullopt, one(kInf)}},
       Outcome::Failed,
       kInf,
       {},
       "+Inf above max 0.02"},
      {"-Inf breaches min",
       minCheck,
       {{std::nullopt, scalar(-kInf)}},
       Outcome::Failed,
       -kInf,
       {},
       "-Inf below min 0.9"},
      {"-Inf passes a max",
       maxCheck(0.02),
       {{std::nullopt, one(-kInf)}},
       Outcome::Successful,
       -kInf,
       {},
       "within"},
      {"several unlabelled series",
       maxCheck(0.02),
       {{std::nullopt, vec({Sample{{{"code", "500"}}, 0.01}, Sample{{{"code", "503"}}, 0.01}})}},
       Outcome::Inconclusive,
       std::nullopt,
       {},
       "2 series, expected 1"},
      {"per-deployment vector",
       maxCheck(0.02),
       {{std::nullopt, vec({dep("web", 0.01), dep("api", 0.05), dep("cart", 0.07)})}},
       Outcome::Failed,
       0.05,
       {"api", "cart"},
       "0.05 above max 0.02 (deployment api)"},
      {"per-deployment vector all fine",
       maxCheck(0.02),
       {{std::nullopt, vec({dep("web", 0.01), dep("api", 0.015)})}},
       Outcome::Successful,
       0.015,
       {},
       "0.015 within"},
      {"single labelled sample implicates",
       maxCheck(0.02),
       {{std::nullopt, vec({dep("web", 1)})}},
       Outcome::Failed,
       1.0,
       {"web"},
       "(deployment web)"},
      {"per-target runs",
       maxCheck(0.02),
       {{"web", one(0.01)}, {"api", scalar(0.3)}},
       Outcome::Failed,
       0.3,
       {"api"},
       "(deployment api)"},
      {"per-target run with several series",
       maxCheck(0.02),
       {{"web", vec({dep("web", 0.01), dep("web", 0.01)})}},
       Outcome::Inconclusive,
       std::nullopt,
       {},
       "2 series, expected 1 (deployment web)"},
      {"per-target no data with Fail implicates",
       maxCheck(0.02, NoDataPolicy::Fail),
       {{"web", one(0.0)}, {"api", vec({})}},
       Outcome::Failed,
       std::nullopt,
       {"api"},
       "no data (empty result) (deployment api), onNoData Fail"},
      {"unreachable",
       maxCheck(0.02),
       {{std::nullopt, failed(Kind::Unreachable, "refused")}},
       Outcome::Inconclusive,
       std::nullopt,
       {},
       "unreachable: refused"},
      {"breach beats an error",
       maxCheck(0.02),
       {{"web", failed(Kind::Timeout, "slow")}, {"api", one(0.5)}},
       Outcome::Failed,
       0.5,
       {"api"},
       "above max"},
      {"no enabled target",
       maxCheck(0.02),
       {},
       Outcome::Successful,
       std::nullopt,
       {},
       "no enabled target"},
  };
  for (const auto& c : cases) {
    CheckResult r = evaluateThreshold(c.check, c.runs);
    EXPECT_EQ(r.outcome, c.outcome) << c.name << ": " << r.reason.message;
    EXPECT_EQ(r.reason.check, c.check.check) << c.name;
    EXPECT_EQ(r.reason.value, c.value) << c.name;
    EXPECT_EQ(r.reason.threshold, formatBounds(c.check.min, c.check.max)) << c.name;
    EXPECT_EQ(r.implicated, c.implicated) << c.name;
    EXPECT_NE(r.reason.message.find(c.inMessage), std::string::npos)
        << c.name << ": " << r.reason.message;
  }
}

Alert alert(std::string name, std::string state, Labels labels,
            std::optional<base::TimePoint> activeAt = std::nullopt) {
  labels["alertname"] = name;
  return Alert{std::move(name), std::move(labels), std::move(state), activeAt, 1.0};
}

TEST(AnalysisEvaluateTest, AlertGates) {
  const base::TimePoint now = base::TimePoint{} + 1000h;
  struct Case {
    std::string name;
    AlertGate gate;
    std::vector<Alert> alerts;
    Outcome outcome;
    std::vector<std::string> implicated;
    std::string inMessage;
  };
  const AlertGate plain{"alert/HighErrorRate", "HighErrorRate", {}, std::nullopt};
  auto withMatcher = [&](std::string label, std::string spec) {
    AlertGate g = plain;
    g.matchers.push_back(parseMatcher(label, spec));
    return g;
  };
  AlertGate lasting = plain;
  lasting.firingFor = 10min;
  const Labels web{{"namespace", "shop"}, {"deployment", "web"}};
  const Case cases[] = {
      {"no alerts", plain, {}, Outcome::Successful, {}, "not firing"},
      {"firing",
       plain,
       {alert("HighErrorRate", "firing", web)},
       Outcome::Failed,
       {"web"},
       "alert HighErrorRate firing {deployment=web, namespace=shop}"},
      {"pending does not count",
       plain,
       {alert("HighErrorRate", "pending", web)},
       Outcome::Successful,
       {},
       "1 matching alert(s) pending"},
      {"other alert",
       plain,
       {alert("HighP95Latency", "firing", web)},
       Outcome::Successful,
       {},
       "not firing"},
      {"other namespace does not implicate",
       plain,
       {alert("HighErrorRate", "firing", {{"namespace", "blog"}, {"deployment", "web"}})},
       Outcome::Failed,
       {},
       "firing"},
      {"no deployment label",
       plain,
       {alert("HighErrorRate", "firing", {{"namespace", "shop"}})},
       Outcome::Failed,
       {},
       "firing"},
      {"several implicated",
       plain,
       {alert("HighErrorRate", "firing", web),
        alert("HighErrorRate", "firing", {{"namespace", "shop"}, {"deployment", "api"}})},
       Outcome::Failed,
       {"api", "web"},
       "and 1 more"},
      {"equality matcher hit",
       withMatcher("namespace", "shop"),
       {alert("HighErrorRate", "firing", web)},
       Outcome::Failed,
       {"web"},
       "firing"},
      {"equality matcher miss",
       withMatcher("namespace", "blog"),
       {alert("HighErrorRate", "firing", web)},
       Outcome::Successful,
       {},
       "not firing"},
      {"regex matcher is anchored",
       withMatcher("deployment", "=~we"),
       {alert("HighErrorRate", "firing", web)},
       Outcome::Successful,
       {},
       "not firing"},
      {"regex matcher hit",
       withMatcher("deployment", "=~w.b|api"),
       {alert("HighErrorRate", "firing", web)},
       Outcome::Failed,
       {"web"},
       "firing"},
      {"negative regex",
       withMatcher("deployment", "!~w.*"),
       {alert("HighErrorRate", "firing", web)},
       Outcome::Successful,
       {},
       "not firing"},
      {"not-equal on a missing label",
       withMatcher("team", "!=payments"),
       {alert("HighErrorRate", "firing", web)},
       Outcome::Failed,
       {"web"},
       "firing"},
      {"firingFor not reached",
       lasting,
       {alert("HighErrorRate", "firing", web, now - 5min)},
       Outcome::Successful,
       {},
       "not yet firing for 10m"},
      {"firingFor reached",
       lasting,
       {alert("HighErrorRate", "firing", web, now - 10min)},
       Outcome::Failed,
       {"web"},
       "firing for 10m"},
      {"firingFor without activeAt counts",
       lasting,
       {alert("HighErrorRate", "firing", web)},
       Outcome::Failed,
       {"web"},
       "firing for 10m"},
  };
  for (const auto& c : cases) {
    CheckResult r = evaluateAlertGate(c.gate, c.alerts, now, "shop");
    EXPECT_EQ(r.outcome, c.outcome) << c.name << ": " << r.reason.message;
    EXPECT_EQ(r.reason.check, "alert/HighErrorRate") << c.name;
    EXPECT_EQ(r.implicated, c.implicated) << c.name;
    EXPECT_NE(r.reason.message.find(c.inMessage), std::string::npos)
        << c.name << ": " << r.reason.message;
    if (r.outcome == Outcome::Failed) {
      EXPECT_EQ(r.reason.value, std::optional<double>(1.0)) << c.name;
      EXPECT_EQ(r.reason.threshold, c.gate.firingFor ? "firing for 10m" : "firing") << c.name;
    }
  }
}

TEST(AnalysisEvaluateTest, BaselineComparison) {
  using Dir = BaselineCheck::Direction;
  struct Case {
    std::string name;
    BaselineCheck check;
    PromResult<QueryResult> enabled;
    PromResult<QueryResult> baseline;
    Outcome outcome;
    std::string inMessage;
  };
  const BaselineCheck higher{"baseline/latency",        "q", Dir::HigherIsWorse, 0.1, 0,
                             NoDataPolicy::Inconclusive};
  const BaselineCheck lower{"baseline/success", "q", Dir::LowerIsWorse, 0, 0.05,
                            NoDataPolicy::Fail};
  const Case cases[] = {
      {"within relative margin", higher, one(1.05), one(1.0), Outcome::Successful,
       "enabled 1.05 within max 1.1 (baseline 1 +10% +0)"},
      {"worse than margin", higher, one(1.2), one(1.0), Outcome::Failed,
       "enabled 1.2 above max 1.1"},
      {"negative baseline uses |baseline|", higher, one(-0.85), one(-1.0), Outcome::Failed,
       "above max -0.9"},
      {"lower is worse within", lower, scalar(0.95), scalar(0.99), Outcome::Successful, "within"},
      {"lower is worse breach", lower, scalar(0.9), scalar(0.99), Outcome::Failed,
       "enabled 0.9 below min 0.94"},
      {"no data enabled, Fail", lower, vec({}), one(0.99), Outcome::Failed,
       "no data for the enabled cohort, onNoData Fail"},
      {"NaN baseline, Inconclusive", higher, one(1), one(kNaN), Outcome::Inconclusive,
       "no data for the baseline cohort"},
      {"error", higher, one(1), failed(Kind::Timeout, "slow"), Outcome::Inconclusive,
       "baseline cohort: timeout: slow"},
      {"several series", higher, vec({dep("a", 1), dep("b", 2)}), one(1), Outcome::Inconclusive,
       "enabled cohort: 2 series, expected 1"},
      {"infinite baseline never breached", higher, one(1e9), one(kInf), Outcome::Successful,
       "within"},
  };
  for (const auto& c : cases) {
    CheckResult r = evaluateBaseline(c.check, BaselineRun{c.enabled, c.baseline});
    EXPECT_EQ(r.outcome, c.outcome) << c.name << ": " << r.reason.message;
    EXPECT_EQ(r.reason.check, c.check.check);
    EXPECT_NE(r.reason.message.find(c.inMessage), std::string::npos)
        << c.name << ": " << r.reason.message;
  }
  CheckResult breach = evaluateBaseline(higher, BaselineRun{one(1.2), one(1.0)});
  EXPECT_EQ(breach.reason.value, std::optional<double>(1.2));
  EXPECT_EQ(breach.reason.threshold, "max 1.1 (baseline 1 +10% +0)");
}

Criteria criteria() {
  Criteria c;
  c.alerts = {AlertGate{"alert/HighErrorRate", "HighErrorRate", {}, std::nullopt}};
  c.thresholds = {maxCheck(0.02)};
  c.baselines = {BaselineCheck{"baseline/cpu", "q", BaselineCheck::Direction::HigherIsWorse, 0.2, 0,
                               NoDataPolicy::Inconclusive}};
  return c;
}

Measurements healthy() {
  Measurements m;
  m.namespaceName = "shop";
  m.alerts = PromResult<std::vector<Alert>>(std::vector<Alert>{});
  m.thresholds["query/error-rate"] = {{std::nullopt, one(0.01)}};
  m.baselines.emplace("baseline/cpu", BaselineRun{one(1), one(1)});
  return m;
}

TEST(AnalysisEvaluateTest, VerdictCombinesChecks) {
  struct Case {
    std::string name;
    std::function<void(Measurements&)> change;
    Outcome outcome;
    std::string check;  // the deciding check
    std::vector<std::string> implicated;
  };
  const Case cases[] = {
      {"all healthy", nullptr, Outcome::Successful, "", {}},
      {"firing alert",
       [](Measurements& m) {
         m.alerts = PromResult<std::vector<Alert>>(std::vector<Alert>{
             alert("HighErrorRate", "firing", {{"namespace", "shop"}, {"deployment", "web"}})});
       },
       Outcome::Failed,
       "alert/HighErrorRate",
       {"web"}},
      {"alerts unreachable",
       [](Measurements& m) {
         m.alerts = PromResult<std::vector<Alert>>(base::fail(error(Kind::Unreachable, "down")));
       },
       Outcome::Inconclusive,
       "alert/HighErrorRate",
       {}},
      {"alerts not measured",
       [](Measurements& m) { m.alerts.reset(); },
       Outcome::Inconclusive,
       "alert/HighErrorRate",
       {}},
      {"query not measured",
       [](Measurements& m) { m.thresholds.clear(); },
       Outcome::Inconclusive,
       "query/error-rate",
       {}},
      {"baseline skipped passes",
       [](Measurements& m) { m.baselines.clear(); },
       Outcome::Successful,
       "",
       {}},
      {"failed rollout is a breach first",
       [](Measurements& m) {
         m.failedRollouts = {"api"};
         m.thresholds["query/error-rate"] = {{std::nullopt, one(0.5)}};
       },
       Outcome::Failed,
       "rollout/api",
       {"api"}},
      {"failure beats inconclusive",
       [](Measurements& m) {
         m.alerts = PromResult<std::vector<Alert>>(base::fail(error(Kind::Timeout, "slow")));
         m.baselines.erase("baseline/cpu");
         m.baselines.emplace("baseline/cpu", BaselineRun{one(2), one(1)});
       },
       Outcome::Failed,
       "baseline/cpu",
       {}},
  };
  for (const auto& c : cases) {
    Measurements m = healthy();
    if (c.change) c.change(m);
    Verdict v = evaluate(m, criteria());
    EXPECT_EQ(v.outcome, c.outcome) << c.name << ": " << v.reason.message;
    EXPECT_EQ(v.reason.check, c.check) << c.name;
    EXPECT_EQ(v.implicated, c.implicated) << c.name;
    EXPECT_EQ(v.checks.size(), 3u + m.failedRollouts.size()) << c.name;
    if (v.outcome != Outcome::Successful) {
      EXPECT_FALSE(v.reason.threshold.empty()) << c.name;
      EXPECT_FALSE(v.reason.message.empty()) << c.name;
    }
  }
}

TEST(AnalysisEvaluateTest, FailedRolloutReason) {
  Measurements m = healthy();
  m.failedRollouts = {"web"};
  Verdict v = evaluate(m, criteria());
  EXPECT_EQ(v.reason, (Reason{"rollout/web", std::nullopt, "ProgressDeadlineExceeded",
                              "rollout/web: Deployment web exceeded its progress deadline"}));
}

TEST(AnalysisEvaluateTest, FormatsValuesAndBounds) {
  EXPECT_EQ(formatValue(0.0213), "0.0213");
  EXPECT_EQ(formatValue(kInf), "+Inf");
  EXPECT_EQ(formatValue(-kInf), "-Inf");
  EXPECT_EQ(formatValue(kNaN), "NaN");
  EXPECT_EQ(formatValue(1234567), "1.23457e+06");
  EXPECT_EQ(formatBounds(0.9, std::nullopt), "min 0.9");
  EXPECT_EQ(formatBounds(std::nullopt, 2), "max 2");
  EXPECT_EQ(formatBounds(0, 1), "min 0, max 1");
  EXPECT_EQ(toString(Outcome::Inconclusive), std::string("Inconclusive"));
}

}  // namespace
}  // namespace tro::controllers::analysis
