#pragma once
// What one case of the operator fleet benchmark measured (fleet_case.h says how), as plain
// values: the report prints them and targets.h judges them. A figure is empty when its phase did
// not run or failed; the phase's error says why.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "bench/common/proc_stats.h"
#include "bench/common/stats.h"
#include "bench/operator_fleet/options.h"
#include "bench/operator_fleet/request_tally.h"

namespace tro::bench {

struct CaseError {
  // kubesim, crd, client, create, fleet-rollout, list, operator, proc, watch, rollouts, wave,
  // hold, metrics, requests, steady
  std::string phase;
  std::string message;
};

// From the delta of the operator's controller_runtime_reconcile_time_seconds
// {controller="telemetryrollout"} between the scrapes before and after the wave.
struct ReconcileLatency {
  double reconciles = 0;
  double meanSeconds = 0;
  std::optional<double> p50Seconds;  // bucket-interpolated
  std::optional<double> p99Seconds;
};

struct CaseFigures {
  CaseSpec spec;
  // Set-up: the fleet in a fresh kubesim.
  std::optional<double> createSeconds;     // N Deployments, from FleetBenchOptions::threads
  std::optional<double> rolledOutSeconds;  // last create answered -> every one rolled out
  // Start-up, no rollout yet.
  std::optional<double> rawListSeconds;  // this program's paged LIST of the N Deployments
  int rawListPages = 0;
  std::size_t rawListBytesPerItem = 0;  // mean compact JSON of one listed Deployment
  std::optional<double> readySeconds;   // operator spawned -> /readyz answered 200
  pid_t operatorPid = 0;
  std::optional<ProcessFigures> atReady;  // the operator's /proc figures right after /readyz
  // The wave: M rollouts created at once, each enabling its first wave.
  std::optional<double> rolloutCreateSeconds;  // the M creates, first sent -> last answered
  int expectedInjected = 0;                    // M x firstWaveSize()
  int injected = 0;                            // first-wave Deployments seen with the flag on
  int otherInjected = 0;                       // other Deployments seen with it (expected: 0)
  std::optional<double> waveSeconds;           // first create sent -> last first wave injected
  Summary perRolloutWaveSeconds;      // per rollout: first create sent -> its first wave injected
  int watchResyncs = 0;               // the Deployment watch fell behind kubesim's history
  std::optional<double> holdSeconds;  // first create sent -> every rollout in its window (polled)
  int holding = 0;                    // rollouts seen in their window at the end of the wait
  bool settled = false;  // the operator's request counter stood still before the wave's end
  std::optional<ReconcileLatency> reconcile;
  std::optional<RequestTally> waveRequests;  // from just before the creates to the wave's end
  // The steady state: every rollout holding in its window.
  std::optional<RequestTally> steadyRequests;
  double steadySeconds = 0;             // the counted window
  std::optional<ProcessFigures> atEnd;  // the first operator process, before the restart
  // A restart while every rollout holds (SIGTERM, then the same flags): the caches of every
  // namespace with rollouts are refilled, the "restart with the fleet cached".
  std::optional<double> restartListSeconds;   // this program's paged LIST, just before
  std::optional<double> restartReadySeconds;  // started again -> /readyz answered 200
  std::optional<ProcessFigures> restartAtReady;
  std::optional<RequestTally> restartRequests;  // from the restart until they stand still
  std::optional<ProcessFigures> restartAtEnd;
  std::vector<CaseError> errors;

  void recordError(std::string phase, std::string message) {
    errors.push_back({std::move(phase), std::move(message)});
  }
  bool ok() const { return errors.empty(); }
  std::string errorOf(const std::string& phase) const;  // "" when the phase has none
  // Rollout-related transitions of the wave: first-wave Deployments injected plus rollouts that
  // reached their window.
  int transitions() const { return injected + holding; }
  // The operator's requests other than watches, per minute of the steady window.
  std::optional<double> steadyPerMinute() const;
  // Operator start -> /readyz over the raw paged LIST (first start / restart).
  std::optional<double> readyOverList() const;
  std::optional<double> restartReadyOverList() const;
  // The higher VmHWM of the two operator processes.
  std::optional<double> peakRssMiB() const;
};

}  // namespace tro::bench
