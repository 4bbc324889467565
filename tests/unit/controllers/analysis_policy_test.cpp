#include <gtest/gtest.h>

#include "controllers/analysis/policy.h"

namespace tro::controllers::analysis {
namespace {

Verdict verdict(Outcome outcome) {
  Verdict v;
  v.outcome = outcome;
  if (outcome != Outcome::Successful) v.reason.message = "query/error-rate: 0.05 above max 0.02";
  return v;
}

TEST(AnalysisPolicyTest, DecidesFromVerdictCountersAndLimits) {
  using enum Outcome;
  using P = InconclusivePolicy;
  struct Case {
    std::string name;
    Outcome outcome;
    AnalysisCounters before;
    PolicyLimits limits;
    Action action;
    AnalysisCounters after;
    std::string inMessage;
  };
  const Case cases[] = {
      {"success proceeds, resets inconclusive streak",
       Successful,
       {1, 3},
       {0, P::Pause, 0},
       Action::Proceed,
       {1, 0},
       ""},
      {"first breach, limit 0: rollback",
       Failed,
       {0, 0},
       {0, P::Pause, 0},
       Action::Rollback,
       {1, 0},
       "failure limit exceeded, failure 1 of limit 0: query/error-rate"},
      {"breach within limit holds",
       Failed,
       {0, 2},
       {1, P::Pause, 0},
       Action::Hold,
       {1, 0},
       "failure 1 of limit 1"},
      {"total, not consecutive: second breach after passes rolls back",
       Failed,
       {1, 0},
       {1, P::Pause, 0},
       Action::Rollback,
       {2, 0},
       "failure 2 of limit 1"},
      {"pause holds",
       Inconclusive,
       {0, 0},
       {0, P::Pause, 0},
       Action::Hold,
       {0, 1},
       "holding (onInconclusive Pause)"},
      {"pause without limit holds forever",
       Inconclusive,
       {0, 1000},
       {0, P::Pause, 0},
       Action::Hold,
       {0, 1001},
       "holding"},
      {"pause at its limit still holds",
       Inconclusive,
       {0, 2},
       {0, P::Pause, 3},
       Action::Hold,
       {0, 3},
       "holding"},
      {"pause beyond its limit escalates",
       Inconclusive,
       {0, 3},
       {0, P::Pause, 3},
       Action::Rollback,
       {0, 4},
       "inconclusive 4 times in a row (limit 3), escalating"},
      {"rollback policy",
       Inconclusive,
       {0, 0},
       {5, P::Rollback, 0},
       Action::Rollback,
       {0, 1},
       "onInconclusive Rollback"},
      {"continue policy proceeds",
       Inconclusive,
       {0, 0},
       {0, P::Continue, 1},
       Action::Proceed,
       {0, 1},
       "onInconclusive Continue"},
      {"inconclusive does not count as a failure",
       Inconclusive,
       {1, 0},
       {1, P::Pause, 0},
       Action::Hold,
       {1, 1},
       "holding"},
  };
  for (const auto& c : cases) {
    Decision d = decide(verdict(c.outcome), c.before, c.limits);
    EXPECT_EQ(d.action, c.action) << c.name << ": " << d.message;
    EXPECT_EQ(d.counters, c.after) << c.name;
    EXPECT_NE(d.message.find(c.inMessage), std::string::npos) << c.name << ": " << d.message;
  }
}

TEST(AnalysisPolicyTest, LimitsComeFromCriteria) {
  Criteria c;
  c.failureLimit = 2;
  c.onInconclusive = InconclusivePolicy::Continue;
  c.inconclusiveLimit = 7;
  PolicyLimits l = limitsOf(c);
  EXPECT_EQ(l.failureLimit, 2);
  EXPECT_EQ(l.onInconclusive, InconclusivePolicy::Continue);
  EXPECT_EQ(l.inconclusiveLimit, 7);
  EXPECT_EQ(std::string(toString(Action::Hold)), "Hold");
}

}  // namespace
}  // namespace tro::controllers::analysis
