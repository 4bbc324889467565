#pragma once
// The analyses behind one verdict, and how their verdicts make one. Pure, table-tested.
//
// A TelemetryRollout is analysed once, over its namespace. A ClusterTelemetryRollout's targets
// live in many namespaces, and a query names one ({{namespace}}) with its workloads
// ({{targets}}, {{deployment}}) and its baseline: it is analysed once per namespace whose targets
// it enabled (every namespace with targets while none is enabled; a namespace with nothing
// enabled cannot show what telemetry did), each over that namespace's cohorts only. The verdict
// is the worst of them: one namespace's breach rolls the whole rollout back, in every namespace.

#include <string>
#include <utility>
#include <vector>

#include "controllers/analysis/analysis_runner.h"
#include "controllers/analysis/verdict.h"
#include "controllers/rollout/targets.h"

namespace tro::controllers {

// `ns`: a namespaced rollout's namespace (its one analysis); "" for a cluster rollout, whose
// cohorts' keys carry their namespaces (workload_kind.h).
std::vector<analysis::AnalysisTargets> analysisGroups(const Cohorts& cohorts,
                                                      const std::string& ns);

// Failed over Inconclusive over Successful; the deciding reason is the first worst one. With
// `nameNamespaces` (a cluster rollout's), each reason's message and each implicated name says
// its namespace ("namespace shop: error-rate 0.051 > max 0.02", "shop/api"); a namespaced
// rollout's one verdict is returned as it is. Alert gates are the same in every namespace's
// analysis, so a firing alert they select fails each, and the reason names the first namespace.
analysis::Verdict combineVerdicts(
    std::vector<std::pair<std::string, analysis::Verdict>> byNamespace, bool nameNamespaces);

}  // namespace tro::controllers
