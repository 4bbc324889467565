#pragma once
// The TelemetryRollout controller's own Prometheus series, registered on the shared Registry:
//   telemetry_rollout_phase{namespace,name,phase}            1 for the current phase, 0 otherwise
//   telemetry_rollout_transitions_total{phase}               phase changes, by the phase entered
//   telemetry_rollout_targets_enabled{namespace,name}        Deployments carrying telemetry now
//   telemetry_rollout_conflicts_total                        Deployments found in conflict
//   telemetry_rollout_rollbacks_total{reason}                rollbacks, by RollbackRecord::reason
//   telemetry_rollout_rollback_latency_seconds               verdict -> every flag off
//   telemetry_rollout_analysis_duration_seconds              one analysis tick
//   telemetry_rollout_reconcile_errors_total                 reconciles ending in an error
// Thread-safe (the metric types are). The Registry must outlive this object.

#include <string>

#include "controllers/rollout/status.h"
#include "operator/runtime/metrics.h"

namespace tro::controllers {

class RolloutMetrics {
 public:
  explicit RolloutMetrics(runtime::Registry& registry);

  // Sets the phase gauge of one rollout (1 for `phase`, 0 for the others).
  void setPhase(const std::string& ns, const std::string& name, Phase phase);
  void transition(Phase entered);
  void setTargetsEnabled(const std::string& ns, const std::string& name, int count);
  void conflict();
  void rollback(const std::string& reason, double latencySeconds);
  void analysisDuration(double seconds);
  void reconcileError();

 private:
  runtime::GaugeFamily& phase_;
  runtime::CounterFamily& transitions_;
  runtime::GaugeFamily& targetsEnabled_;
  runtime::Counter& conflicts_;
  runtime::CounterFamily& rollbacks_;
  runtime::Histogram& rollbackLatency_;
  runtime::Histogram& analysisDuration_;
  runtime::Counter& reconcileErrors_;
};

}  // namespace tro::controllers
