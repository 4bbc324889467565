#include <gtest/gtest.h>

#include <functional>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/promql.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;
using Op = LabelMatcher::Op;

TEST(AnalysisCriteriaTest, ParsesAndAppliesMatchers) {
  struct Case {
    std::string spec;
    LabelMatcher want;
    Labels labels;
    bool matches;
  };
  const Case cases[] = {
      {"shop", {"namespace", Op::Equal, "shop"}, {{"namespace", "shop"}}, true},
      {"shop", {"namespace", Op::Equal, "shop"}, {{"namespace", "shop-2"}}, false},
      {"", {"namespace", Op::Equal, ""}, {}, true},  // missing label is ""
      {"!=shop", {"namespace", Op::NotEqual, "shop"}, {{"namespace", "blog"}}, true},
      {"=~sh.p", {"namespace", Op::Regex, "sh.p"}, {{"namespace", "shop"}}, true},
      {"=~sh", {"namespace", Op::Regex, "sh"}, {{"namespace", "shop"}}, false},  // anchored
      {"=~shop|blog", {"namespace", Op::Regex, "shop|blog"}, {{"namespace", "blog"}}, true},
      {"!~shop|blog", {"namespace", Op::NotRegex, "shop|blog"}, {{"namespace", "blog"}}, false},
      {"!~shop", {"namespace", Op::NotRegex, "shop"}, {}, true},
      {"=~(", {"namespace", Op::Regex, "("}, {{"namespace", "("}}, false},  // invalid: no match
  };
  for (const auto& c : cases) {
    LabelMatcher m = parseMatcher("namespace", c.spec);
    EXPECT_EQ(m, c.want) << c.spec;
    EXPECT_EQ(matches(m, c.labels), c.matches) << c.spec;
  }
}

TEST(AnalysisCriteriaTest, ParsesExtensions) {
  Json spec = Json::parse(R"({"analysis": {
    "baseline": [{"name": "p95-latency", "query": "q{pod=~\"{{cohort}}\"}",
                  "direction": "HigherIsWorse", "relativeMargin": 0.1, "absoluteMargin": 0.05},
                 {"name": "success", "query": "s{d=~\"{{cohort}}\"}", "direction": "LowerIsWorse",
                  "onNoData": "Fail"}],
    "builtins": [{"name": "collector-export-failure-ratio", "max": 0.01},
                 {"name": "cpu-overhead", "onNoData": "Pass"}],
    "inconclusiveLimit": 3}})");
  ParsedExtensions parsed = parseAnalysisExtensions(spec);
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].field;
  const AnalysisExtensions& e = parsed.extensions;
  ASSERT_EQ(e.baselines.size(), 2u);
  EXPECT_EQ(e.baselines[0], (BaselineCheck{"baseline/p95-latency", "q{pod=~\"{{cohort}}\"}",
                                           BaselineCheck::Direction::HigherIsWorse, 0.1, 0.05,
                                           NoDataPolicy::Inconclusive}));
  EXPECT_EQ(e.baselines[1].direction, BaselineCheck::Direction::LowerIsWorse);
  EXPECT_EQ(e.baselines[1].onNoData, NoDataPolicy::Fail);
  EXPECT_EQ(e.builtins, (std::vector<BuiltinSpec>{
                            {"collector-export-failure-ratio", 0.01, NoDataPolicy::Inconclusive},
                            {"cpu-overhead", std::nullopt, NoDataPolicy::Pass}}));
  EXPECT_EQ(e.inconclusiveLimit, 3);
  EXPECT_EQ(parseAnalysisExtensions(Json::parse(R"({"flag": {}})")).extensions,
            AnalysisExtensions{});
}

TEST(AnalysisCriteriaTest, ExtensionProblemsNameTheirField) {
  struct Case {
    std::string analysis;
    std::string field;
  };
  const Case cases[] = {
      {R"({"baseline": {}})", "spec.analysis.baseline"},
      {R"({"baseline": [{"query": "q"}]})", "spec.analysis.baseline[0].name"},
      {R"({"baseline": [{"name": "a"}]})", "spec.analysis.baseline[0].query"},
      {R"({"baseline": [{"name": "a", "query": "q", "direction": "Up"}]})",
       "spec.analysis.baseline[0].direction"},
      {R"({"baseline": [{"name": "a", "query": "q", "relativeMargin": -1}]})",
       "spec.analysis.baseline[0].relativeMargin"},
      {R"({"baseline": [{"name": "a", "query": "q", "absoluteMargin": "1"}]})",
       "spec.analysis.baseline[0].absoluteMargin"},
      {R"({"baseline": [{"name": "a", "query": "q"}, {"name": "a", "query": "q"}]})",
       "spec.analysis.baseline[1].name"},
      {R"({"builtins": [{"name": "x", "onNoData": "Maybe"}]})",
       "spec.analysis.builtins[0].onNoData"},
      {R"({"builtins": [{"name": "x", "max": -1}]})", "spec.analysis.builtins[0].max"},
      {R"({"builtins": [3]})", "spec.analysis.builtins[0]"},
      {R"({"inconclusiveLimit": -1})", "spec.analysis.inconclusiveLimit"},
      {R"({"inconclusiveLimit": 1.5})", "spec.analysis.inconclusiveLimit"},
  };
  for (const auto& c : cases) {
    Json spec{{"analysis", Json::parse(c.analysis)}};
    ParsedExtensions parsed = parseAnalysisExtensions(spec);
    ASSERT_FALSE(parsed.problems.empty()) << c.analysis;
    EXPECT_EQ(parsed.problems[0].field, c.field) << c.analysis;
  }
}

AnalysisSpec analysisSpec() {
  AnalysisSpec a;
  a.prometheusAddress = "http://prometheus:9090";
  a.interval = 2min;
  a.failureLimit = 2;
  a.onInconclusive = InconclusivePolicy::Rollback;
  a.alerts = {
      AlertCheck{"HighErrorRate", {{"namespace", "shop"}, {"severity", "=~page|crit"}}, 5min},
      AlertCheck{"HighErrorRate", {}, std::nullopt}};
  a.queries = {QueryCheck{"error-rate", "x{deployment=\"{{deployment}}\"}", std::nullopt, 0.02,
                          NoDataPolicy::Pass}};
  return a;
}

TEST(AnalysisCriteriaTest, CompilesTheSpec) {
  AnalysisExtensions ext;
  ext.inconclusiveLimit = 4;
  ext.baselines = {BaselineCheck{"baseline/lat", "q{d=~\"{{cohort}}\"}",
                                 BaselineCheck::Direction::HigherIsWorse, 0.1, 0,
                                 NoDataPolicy::Inconclusive}};
  ext.builtins = {{"collector-export-failure-ratio", std::nullopt, NoDataPolicy::Pass},
                  {"collector-queue-saturation", 0.5, NoDataPolicy::Inconclusive},
                  {"memory-overhead", 0.3, NoDataPolicy::Inconclusive}};
  CompiledCriteria compiled = makeCriteria(analysisSpec(), ext);
  ASSERT_TRUE(compiled.problems.empty()) << compiled.problems[0].message;
  const Criteria& c = compiled.criteria;
  EXPECT_EQ(c.failureLimit, 2);
  EXPECT_EQ(c.onInconclusive, InconclusivePolicy::Rollback);
  EXPECT_EQ(c.inconclusiveLimit, 4);
  EXPECT_EQ(c.interval, 2min);
  ASSERT_EQ(c.alerts.size(), 2u);
  EXPECT_EQ(c.alerts[0].check, "alert/HighErrorRate");
  EXPECT_EQ(c.alerts[1].check, "alert/HighErrorRate[1]");  // unique names
  EXPECT_EQ(c.alerts[0].matchers,
            (std::vector<LabelMatcher>{{"namespace", Op::Equal, "shop"},
                                       {"severity", Op::Regex, "page|crit"}}));
  EXPECT_EQ(c.alerts[0].firingFor, std::optional<std::chrono::nanoseconds>(5min));
  ASSERT_EQ(c.thresholds.size(), 3u);
  EXPECT_EQ(c.thresholds[0].check, "query/error-rate");
  EXPECT_TRUE(c.thresholds[0].perTarget());
  EXPECT_EQ(c.thresholds[1].check, "builtin/collector-export-failure-ratio");
  EXPECT_EQ(c.thresholds[1].max, kDefaultExportFailureRatioMax);
  EXPECT_EQ(c.thresholds[1].onNoData, NoDataPolicy::Pass);
  EXPECT_FALSE(c.thresholds[1].perTarget());
  EXPECT_EQ(c.thresholds[2].check, "builtin/collector-queue-saturation");
  EXPECT_EQ(c.thresholds[2].max, 0.5);
  ASSERT_EQ(c.baselines.size(), 2u);
  EXPECT_EQ(c.baselines[0].check, "baseline/lat");
  EXPECT_EQ(c.baselines[1].check, "builtin/memory-overhead");
  EXPECT_EQ(c.baselines[1].relativeMargin, 0.3);
}

TEST(AnalysisCriteriaTest, BuiltinQueriesExpandForTheCohorts) {
  AnalysisExtensions ext;
  ext.builtins = {{"collector-export-failure-ratio", std::nullopt, NoDataPolicy::Inconclusive},
                  {"collector-queue-saturation", std::nullopt, NoDataPolicy::Inconclusive},
                  {"cpu-overhead", std::nullopt, NoDataPolicy::Inconclusive}};
  CompiledCriteria compiled = makeCriteria(AnalysisSpec{}, ext);
  ASSERT_TRUE(compiled.problems.empty()) << compiled.problems[0].message;
  TemplateVars vars;
  vars.namespaceName = "shop";
  vars.targets = {"web", "api"};
  vars.cohort = std::vector<std::string>{"cart"};
  vars.interval = 1min;
  auto ratio = expandTemplate(compiled.criteria.thresholds[0].query, vars);
  ASSERT_TRUE(ratio.ok());
  EXPECT_EQ(*ratio,
            "sum by (deployment) (label_replace(rate(otelcol_exporter_send_failed_spans{namespace="
            "\"shop\",pod=~\"(?:api|web)-[a-z0-9]+-[a-z0-9]+\"}[1m]), \"deployment\", \"$1\", "
            "\"pod\", \"(.+)-[a-z0-9]+-[a-z0-9]+\")) / (sum by (deployment) (label_replace(rate("
            "otelcol_exporter_sent_spans{namespace=\"shop\",pod=~\"(?:api|web)-[a-z0-9]+-[a-z0-9]"
            "+\"}[1m]), \"deployment\", \"$1\", \"pod\", \"(.+)-[a-z0-9]+-[a-z0-9]+\")) + sum by "
            "(deployment) (label_replace(rate(otelcol_exporter_send_failed_spans{namespace=\"shop"
            "\",pod=~\"(?:api|web)-[a-z0-9]+-[a-z0-9]+\"}[1m]), \"deployment\", \"$1\", \"pod\", "
            "\"(.+)-[a-z0-9]+-[a-z0-9]+\")))");
  auto queue = expandTemplate(compiled.criteria.thresholds[1].query, vars);
  ASSERT_TRUE(queue.ok());
  EXPECT_NE(queue->find("otelcol_exporter_queue_size{namespace=\"shop\",pod=~\"(?:api|web)-"),
            std::string::npos);
  EXPECT_NE(queue->find("max by (deployment)"), std::string::npos);
  auto cpu = expandTemplate(compiled.criteria.baselines[0].query, vars);
  ASSERT_TRUE(cpu.ok());
  EXPECT_EQ(*cpu,
            "sum(rate(container_cpu_usage_seconds_total{namespace=\"shop\",pod=~\"(?:cart)-[a-z0-"
            "9]+-[a-z0-9]+\",container!=\"\",container!=\"POD\"}[1m])) / count(count by (pod) ("
            "container_cpu_usage_seconds_total{namespace=\"shop\",pod=~\"(?:cart)-[a-z0-9]+-[a-z0-"
            "9]+\",container!=\"\",container!=\"POD\"}))");
}

TEST(AnalysisCriteriaTest, ReportsCompileProblems) {
  struct Case {
    std::string name;
    std::function<void(AnalysisSpec&, AnalysisExtensions&)> change;
    std::string field;
    std::string inMessage;
  };
  const Case cases[] = {
      {"bad regex",
       [](AnalysisSpec& a, AnalysisExtensions&) { a.alerts[0].matchLabels["pod"] = "=~web-("; },
       "spec.analysis.alerts[0].matchLabels.pod", "invalid regex \"web-(\""},
      {"unknown variable in a query",
       [](AnalysisSpec& a, AnalysisExtensions&) { a.queries[0].query = "x{d=\"{{deploymnet}}\"}"; },
       "spec.analysis.queries[0].query", "{{deploymnet}}"},
      {"cohort in a query",
       [](AnalysisSpec& a, AnalysisExtensions&) { a.queries[0].query = "x{d=~\"{{cohort}}\"}"; },
       "spec.analysis.queries[0].query", "only available in baseline comparisons"},
      {"deployment in a baseline",
       [](AnalysisSpec&, AnalysisExtensions& e) {
         e.baselines.push_back({"baseline/x", "x{d=\"{{deployment}}\",p=~\"{{cohort}}\"}",
                                BaselineCheck::Direction::HigherIsWorse, 0, 0, NoDataPolicy::Pass});
       },
       "spec.analysis.baseline[0].query", "only available in per-target queries"},
      {"baseline without cohort",
       [](AnalysisSpec&, AnalysisExtensions& e) {
         e.baselines.push_back({"baseline/x", "x{d=~\"{{targets}}\"}",
                                BaselineCheck::Direction::HigherIsWorse, 0, 0, NoDataPolicy::Pass});
       },
       "spec.analysis.baseline[0].query", "must use {{cohort}}"},
      {"unknown builtin",
       [](AnalysisSpec&, AnalysisExtensions& e) {
         e.builtins.push_back({"latency", std::nullopt, NoDataPolicy::Pass});
       },
       "spec.analysis.builtins[0].name", "Unsupported value: \"latency\""},
      {"duplicate builtin",
       [](AnalysisSpec&, AnalysisExtensions& e) {
         e.builtins.push_back({"cpu-overhead", std::nullopt, NoDataPolicy::Pass});
         e.builtins.push_back({"cpu-overhead", std::nullopt, NoDataPolicy::Pass});
       },
       "spec.analysis.builtins[1].name", "Duplicate value"},
  };
  for (const auto& c : cases) {
    AnalysisSpec a = analysisSpec();
    AnalysisExtensions e;
    c.change(a, e);
    CompiledCriteria compiled = makeCriteria(a, e);
    ASSERT_EQ(compiled.problems.size(), 1u) << c.name;
    EXPECT_EQ(compiled.problems[0].field, c.field) << c.name;
    EXPECT_NE(compiled.problems[0].message.find(c.inMessage), std::string::npos)
        << c.name << ": " << compiled.problems[0].message;
  }
}

}  // namespace
}  // namespace tro::controllers::analysis
