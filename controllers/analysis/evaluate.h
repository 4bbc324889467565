#pragma once
// The pure judge of analysis: evaluate(measurements, criteria) -> Verdict (verdict.h). No I/O,
// no clock: "now" is part of the measurements. The runner (analysis_runner.h) fetches.
//
// Result shapes and what they mean for a threshold check:
//  - a Prometheus error (unreachable, timeout, HTTP, bad query) -> Inconclusive, naming it;
//  - empty vector, or a NaN value -> no data -> onNoData (Pass | Inconclusive | Fail);
//  - +Inf / -Inf are values and are compared (+Inf breaches any max);
//  - per-target runs must give at most one sample; an aggregate run one sample, or a vector
//    whose samples all carry a "deployment" label (judged per Deployment); anything else is an
//    error -> Inconclusive ("3 series, expected 1").
// Alert gates: only state "firing" counts, and only once it has been active for firingFor
// (measured from activeAt). An alert labelled with this namespace and a deployment implicates
// that Deployment. A Deployment whose own rollout failed is a breach ("rollout/<name>").

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/prometheus_types.h"
#include "controllers/analysis/verdict.h"

namespace tro::controllers::analysis {

struct QueryRun {
  std::optional<std::string> target;  // set for per-target runs
  PromResult<QueryResult> result;
};

struct BaselineRun {
  PromResult<QueryResult> enabled;   // {{cohort}} = enabled targets
  PromResult<QueryResult> baseline;  // {{cohort}} = not-yet-enabled targets
};

struct Measurements {
  base::TimePoint now;
  std::string namespaceName;
  std::optional<PromResult<std::vector<Alert>>> alerts;  // unset when there are no alert gates
  // By check name. A missing check is Inconclusive ("not measured"); an empty list of runs
  // (per-target check, no enabled target) passes.
  std::map<std::string, std::vector<QueryRun>> thresholds;
  // By check name. A missing check was skipped because a cohort is empty: it passes.
  std::map<std::string, BaselineRun> baselines;
  std::vector<std::string> failedRollouts;  // enabled Deployments with ProgressDeadlineExceeded
};

Verdict evaluate(const Measurements& measurements, const Criteria& criteria);

// Building blocks, exposed for table-driven tests.
// Whether `alert` is one the gate watches: its name, and every matcher on its labels (whatever
// its state).
bool gateSelects(const AlertGate& gate, const Alert& alert);
// Whether `alert` fails the gate at `now`: selected, firing, and for at least gate.firingFor (a
// firing alert without activeAt counts: it has been firing for an unknown time).
bool gateBreached(const AlertGate& gate, const Alert& alert, base::TimePoint now);

CheckResult evaluateAlertGate(const AlertGate& gate, const std::vector<Alert>& alerts,
                              base::TimePoint now, const std::string& namespaceName);
CheckResult evaluateThreshold(const ThresholdCheck& check, const std::vector<QueryRun>& runs);
CheckResult evaluateBaseline(const BaselineCheck& check, const BaselineRun& run);
// Combines check results in order: Failed beats Inconclusive beats Successful.
Verdict combine(std::vector<CheckResult> checks);

// "0.0213", "+Inf", "NaN": how values appear in reasons and status.
std::string formatValue(double value);
// "max 0.02", "min 0.9, max 1".
std::string formatBounds(std::optional<double> min, std::optional<double> max);

}  // namespace tro::controllers::analysis
