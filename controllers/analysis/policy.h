#pragma once
// What a verdict means for the rollout, given what happened before: the pure policy between
// evaluate() and the planner.
//
// failureLimit counts TOTAL Failed verdicts within one rollout attempt, not consecutive ones: a
// breach that flaps (fail, pass, fail) must not hide behind the passes in between. The counters
// live in status (status.analysis.failures / .consecutiveInconclusive) so a restarted operator
// continues counting; the planner resets them when a new generation or a retry starts.
// Rollback happens when failures exceed failureLimit (failureLimit 0: the first breach).
//
// Inconclusive (Prometheus unreachable, no data) follows onInconclusive:
//   Pause    -> Hold: never promote, re-check next interval, resume when it recovers; after more
//               than inconclusiveLimit consecutive Inconclusive verdicts (when > 0) -> Rollback.
//   Rollback -> Rollback at once.
//   Continue -> Proceed as if Successful.
// A Failed verdict within the limit also Holds: a window never completes on a breach.

#include <string>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/verdict.h"

namespace tro::controllers::analysis {

struct AnalysisCounters {
  int failures = 0;                 // total Failed verdicts this attempt
  int consecutiveInconclusive = 0;  // reset by any conclusive verdict
  bool operator==(const AnalysisCounters&) const = default;
};

enum class Action {
  Proceed,   // the window may complete when its time is up (or on promote)
  Hold,      // do not complete the window; analyse again next interval
  Rollback,  // roll back every enabled Deployment now
};

struct Decision {
  Action action = Action::Proceed;
  AnalysisCounters counters;  // to write back to status
  std::string message;        // why, for the Event and status; empty for a plain Proceed
  bool operator==(const Decision&) const = default;
};

struct PolicyLimits {
  int failureLimit = 0;
  InconclusivePolicy onInconclusive = InconclusivePolicy::Pause;
  int inconclusiveLimit = 0;  // 0: Pause holds forever
};

inline PolicyLimits limitsOf(const Criteria& c) {
  return {c.failureLimit, c.onInconclusive, c.inconclusiveLimit};
}

Decision decide(const Verdict& verdict, const AnalysisCounters& before, const PolicyLimits& limits);

const char* toString(Action action);  // "Proceed" | "Hold" | "Rollback"

}  // namespace tro::controllers::analysis
