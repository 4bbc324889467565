#pragma once
// One case (N Deployments, M rollouts) of the operator fleet benchmark, on servers of its own:
//   1. set-up: a fresh kubesim (default pod delays), the CRD, the fleet's 10 namespaces and N
//      Deployments of 2 replicas (fleet_manifest.h) created from T client threads, then a watch
//      until every one is rolled out, so the start-up below reads a fleet at rest;
//   2. start-up: this program's paged LIST (limit 500, all namespaces) of the N Deployments with
//      the operator's client stack, then the operator started and timed until /readyz answers
//      200 (the fixture polls it every millisecond), and its /proc figures right then: the idle
//      figures, with the N Deployments cached and no rollout yet;
//   3. the wave and 4. the steady state (wave_phase.h);
//   5. the operator's /proc figures at the end (VmHWM: the peak over the whole case).
// A phase that fails records its error and skips the phases that need it.

#include <string>
#include <vector>

#include "bench/operator_fleet/figures.h"
#include "bench/operator_fleet/options.h"

namespace tro::bench {

CaseFigures runCase(const FleetBenchOptions& options, const CaseSpec& spec);
// The flags this program adds to the operator fixture's own, for the report.
std::vector<std::string> operatorFlags(const FleetBenchOptions& options);

}  // namespace tro::bench
