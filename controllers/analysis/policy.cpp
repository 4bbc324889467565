#include "controllers/analysis/policy.h"

namespace tro::controllers::analysis {

const char* toString(Action action) {
  switch (action) {
    case Action::Proceed:
      return "Proceed";
    case Action::Hold:
      return "Hold";
    case Action::Rollback:
      break;
  }
  return "Rollback";
}

Decision decide(const Verdict& verdict, const AnalysisCounters& before,
                const PolicyLimits& limits) {
  Decision d;
  d.counters = before;
  const std::string& why = verdict.reason.message;
  switch (verdict.outcome) {
    case Outcome::Successful:
      d.counters.consecutiveInconclusive = 0;
      return d;
    case Outcome::Failed: {
      d.counters.consecutiveInconclusive = 0;
      int n = ++d.counters.failures;
      std::string count = "failure " + std::to_string(n) + " of limit " +
                          std::to_string(limits.failureLimit) + ": " + why;
      d.action = n > limits.failureLimit ? Action::Rollback : Action::Hold;
      d.message = (d.action == Action::Rollback ? "failure limit exceeded, " : "") + count;
      return d;
    }
    case Outcome::Inconclusive:
      break;
  }
  int n = ++d.counters.consecutiveInconclusive;
  switch (limits.onInconclusive) {
    case InconclusivePolicy::Continue:
      d.message = "inconclusive, onInconclusive Continue: " + why;
      return d;
    case InconclusivePolicy::Rollback:
      d.action = Action::Rollback;
      d.message = "inconclusive, onInconclusive Rollback: " + why;
      return d;
    case InconclusivePolicy::Pause:
      break;
  }
  if (limits.inconclusiveLimit > 0 && n > limits.inconclusiveLimit) {
    d.action = Action::Rollback;
    d.message = "inconclusive " + std::to_string(n) + " times in a row (limit " +
                std::to_string(limits.inconclusiveLimit) + "), escalating to rollback: " + why;
    return d;
  }
  d.action = Action::Hold;
  d.message = "inconclusive, holding (onInconclusive Pause): " + why;
  return d;
}

}  // namespace tro::controllers::analysis
