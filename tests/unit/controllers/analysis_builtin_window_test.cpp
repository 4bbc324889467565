// Built-in checks must have data at any analysis interval: their rate() range is the interval,
// but never less than kMinBuiltinRateWindow. Found end to end (tests/integration/analysis): with
// a 1s interval (the demo uses 2s), rate(...[1s]) over 1s scrapes was always empty, so
// builtin/collector-export-failure-ratio stayed Inconclusive and held the rollout forever.

#include <gtest/gtest.h>

#include <regex>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/promql.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;

// Every "[...]" range in an expanded query.
std::vector<std::string> ranges(const std::string& query) {
  std::vector<std::string> out;
  const std::regex range(R"(\[([0-9a-z]+)\])");
  for (std::sregex_iterator it(query.begin(), query.end(), range), end; it != end; ++it)
    out.push_back((*it)[1]);
  return out;
}

TEST(AnalysisBuiltinWindowTest, RateRangeIsTheIntervalButAtLeastOneMinute) {
  struct Case {
    std::chrono::nanoseconds interval;
    std::string range;
  };
  const Case cases[] = {
      {1s, "1m"}, {2s, "1m"}, {59s, "1m"}, {1min, "1m"}, {90s, "1m30s"}, {5min, "5m"},
  };
  for (const Case& c : cases) {
    AnalysisSpec spec;
    spec.interval = c.interval;
    AnalysisExtensions ext;
    ext.builtins = {{"collector-export-failure-ratio", std::nullopt, NoDataPolicy::Inconclusive},
                    {"cpu-overhead", std::nullopt, NoDataPolicy::Inconclusive},
                    {"memory-overhead", std::nullopt, NoDataPolicy::Inconclusive}};
    CompiledCriteria compiled = makeCriteria(spec, ext);
    ASSERT_TRUE(compiled.problems.empty()) << compiled.problems[0].message;
    ASSERT_EQ(compiled.criteria.thresholds.size(), 1u);
    ASSERT_EQ(compiled.criteria.baselines.size(), 2u);
    TemplateVars vars;
    vars.namespaceName = "shop";
    vars.targets = {"web"};
    vars.cohort = std::vector<std::string>{"web"};
    vars.interval = compiled.criteria.interval;

    auto ratio = expandTemplate(compiled.criteria.thresholds[0].query, vars);
    ASSERT_TRUE(ratio.ok()) << ratio.error().message;
    EXPECT_EQ(ranges(*ratio), std::vector<std::string>(3, c.range)) << *ratio;
    auto cpu = expandTemplate(compiled.criteria.baselines[0].query, vars);
    ASSERT_TRUE(cpu.ok()) << cpu.error().message;
    EXPECT_EQ(ranges(*cpu), std::vector<std::string>{c.range}) << *cpu;
    auto memory = expandTemplate(compiled.criteria.baselines[1].query, vars);
    ASSERT_TRUE(memory.ok()) << memory.error().message;
    EXPECT_TRUE(ranges(*memory).empty()) << *memory;  // a gauge: no range at all
  }
}

TEST(AnalysisBuiltinWindowTest, UserQueriesKeepTheirOwnRanges) {
  AnalysisSpec spec;
  spec.interval = 1s;
  spec.queries = {
      {"error-rate", "rate(x[{{interval}}])", std::nullopt, 0.1, NoDataPolicy::Inconclusive}};
  CompiledCriteria compiled = makeCriteria(spec, {});
  ASSERT_TRUE(compiled.problems.empty());
  TemplateVars vars;
  vars.interval = compiled.criteria.interval;
  auto q = expandTemplate(compiled.criteria.thresholds[0].query, vars);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, "rate(x[1s])");  // what the user wrote is what runs
}

}  // namespace
}  // namespace tro::controllers::analysis
