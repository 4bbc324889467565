#pragma once
// The thin, impure glue of one analysis tick: expand every check's template for the current
// cohorts, ask Prometheus (PrometheusApi), collect Measurements, and judge them with the pure
// evaluate(). All queries are evaluated at the clock's "now", the same instant used for
// firingFor, so one tick sees one consistent moment.
//
// Caveats:
//  - Requests are sequential. Once one fails as Unreachable, Timeout or Config, the rest of the
//    tick is not sent and gets the same error (Prometheus is down: do not pay the timeout once
//    per check and target).
//  - Per-target checks send one query per enabled Deployment; prefer aggregate queries with a
//    "deployment" label for large rollouts.
//  - Baseline checks are skipped while either cohort is empty.

#include <chrono>
#include <string>
#include <vector>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/evaluate.h"
#include "controllers/analysis/prometheus_client.h"
#include "operator/base/clock.h"

namespace tro::controllers::analysis {

struct AnalysisTargets {
  std::string namespaceName;
  std::vector<std::string> enabled;         // Deployments carrying telemetry now
  std::vector<std::string> baseline;        // selected but not yet enabled
  std::vector<std::string> failedRollouts;  // enabled ones whose rollout exceeded its deadline
};

struct AnalysisRun {
  Verdict verdict;
  Measurements measurements;            // what was seen, for status.lastAnalysis and debugging
  std::chrono::nanoseconds latency{0};  // clock time from the first request to the verdict
  int requests = 0;                     // requests actually sent to Prometheus
};

AnalysisRun runAnalysis(const Criteria& criteria, const AnalysisTargets& targets,
                        PrometheusApi& prometheus, const base::Clock& clock);

}  // namespace tro::controllers::analysis
