#pragma once
// The outcome of one analysis run (one tick of a canary window), as a plain value the planner
// consumes. Produced by evaluate() (evaluate.h), which is pure.
//
// Contract:
//  - Successful: every check passed (or had no data under onNoData Pass). reason is empty.
//  - Failed: at least one check breached. reason names the first breaching check in evaluation
//    order (failed Deployment rollouts, alerts, queries then threshold built-ins, baseline
//    comparisons then baseline built-ins); `checks` holds all of them.
//  - Inconclusive: nothing breached but some check could not decide (Prometheus unreachable,
//    no data under onNoData Inconclusive). reason names the first such check.
// A Failed verdict always wins over Inconclusive. The policy helpers in evaluate.h turn a
// sequence of verdicts into "keep going / hold / roll back".

#include <optional>
#include <string>
#include <vector>

namespace tro::controllers::analysis {

enum class Outcome { Successful, Failed, Inconclusive };

// Why a check did not pass. For status.rollback {reason, check, value, threshold} and Events.
struct Reason {
  std::string check;            // "alert/HighErrorRate", "query/error-rate", "builtin/..."
  std::optional<double> value;  // the measured value; nullopt for alerts and missing data
  std::string threshold;        // "max 0.02", "min 0.9", "firing", "baseline +10%"
  std::string message;          // one human sentence: "error-rate 0.051 > max 0.02"
  bool operator==(const Reason&) const = default;
};

// One check's own result; Successful checks carry their value too (status.lastAnalysis).
struct CheckResult {
  Outcome outcome = Outcome::Successful;
  Reason reason;
  std::vector<std::string> implicated;  // Deployment names this check blames (sorted, unique)
  bool operator==(const CheckResult&) const = default;
};

struct Verdict {
  Outcome outcome = Outcome::Successful;
  Reason reason;                        // the deciding check; empty when Successful
  std::vector<std::string> implicated;  // union over breaching checks (sorted, unique)
  std::vector<CheckResult> checks;      // every check that ran, in evaluation order
  bool operator==(const Verdict&) const = default;
};

const char* toString(Outcome outcome);  // "Successful" | "Failed" | "Inconclusive"

}  // namespace tro::controllers::analysis
