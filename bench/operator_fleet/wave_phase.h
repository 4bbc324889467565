#pragma once
// The measured phases of one case, once the operator is ready with the fleet cached.
//
// The wave: a DeploymentWatch of all namespaces (WaveTracker) has delivered all N Deployments;
// the operator's /metrics is scraped and kubesim's request accounting reset; the M rollouts
// (rollout_manifest.h) are created from T client threads at once. The wave ends when every
// first-wave Deployment carries the flag on (watch event arrival; the watch is closed then),
// then every rollout holds in its canary window (a paged LIST of the rollouts every second), and
// then the operator's rest_client_requests_total stands still for 3 s (at most 60 s; `settled`
// says whether it did). Then the operator's reconcile-time histogram is scraped again, and its
// requests since the reset are read from kubesim (User-Agent telemetry-rollout-operator*).
//
// The steady state: kubesim's accounting is reset, nothing happens for the steady window, and
// the operator's requests in it are read; then a LIST checks that every rollout still holds.
//
// The restart: the first operator's /proc figures are read, this program pages through the
// Deployments once more (the reference), the operator gets SIGTERM and starts again with the
// same flags; start -> /readyz is timed, its /proc figures read, and its requests counted until
// they stand still (a restart in the middle of a window should write nothing).

#include "bench/operator_fleet/case_servers.h"
#include "bench/operator_fleet/figures.h"
#include "bench/operator_fleet/options.h"

namespace tro::bench {

// True when every rollout reached its window (the steady state can be measured).
bool runWave(CaseServers& servers, const FleetBenchOptions& options, CaseFigures& figures);
void measureSteady(CaseServers& servers, const FleetBenchOptions& options, CaseFigures& figures);
void measureRestart(CaseServers& servers, const FleetBenchOptions& options, CaseFigures& figures);

}  // namespace tro::bench
