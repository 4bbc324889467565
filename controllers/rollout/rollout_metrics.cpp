#include "controllers/rollout/rollout_metrics.h"

namespace tro::controllers {

namespace {
constexpr Phase kPhases[] = {Phase::Pending,   Phase::Progressing, Phase::Paused,
                             Phase::Succeeded, Phase::RolledBack,  Phase::Failed};
}  // namespace

RolloutMetrics::RolloutMetrics(runtime::Registry& registry)
    : phase_(registry.gauge("telemetry_rollout_phase",
                            "1 for the current phase of each TelemetryRollout.",
                            {"namespace", "name", "phase"})),
      transitions_(registry.counter("telemetry_rollout_transitions_total",
                                    "TelemetryRollout phase transitions, by phase entered.",
                                    {"phase"})),
      targetsEnabled_(registry.gauge("telemetry_rollout_targets_enabled",
                                     "Deployments a TelemetryRollout has enabled.",
                                     {"namespace", "name"})),
      conflicts_(registry
                     .counter("telemetry_rollout_conflicts_total",
                              "Deployments the operator found in conflict and left alone.")
                     .labels({})),
      rollbacks_(registry.counter("telemetry_rollout_rollbacks_total",
                                  "TelemetryRollout rollbacks, by reason.", {"reason"})),
      rollbackLatency_(
          registry
              .histogram("telemetry_rollout_rollback_latency_seconds",
                         "Time from a rollback decision until every enabled flag is off.", {},
                         {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120})
              .labels({})),
      analysisDuration_(registry
                            .histogram("telemetry_rollout_analysis_duration_seconds",
                                       "Duration of one analysis tick against Prometheus.")
                            .labels({})),
      reconcileErrors_(registry
                           .counter("telemetry_rollout_reconcile_errors_total",
                                    "TelemetryRollout reconciles that ended in an error.")
                           .labels({})) {}

void RolloutMetrics::setPhase(const std::string& ns, const std::string& name, Phase phase) {
  for (Phase p : kPhases) phase_.labels({ns, name, toString(p)}).set(p == phase ? 1 : 0);
}

void RolloutMetrics::transition(Phase entered) { transitions_.labels({toString(entered)}).inc(); }

void RolloutMetrics::setTargetsEnabled(const std::string& ns, const std::string& name, int count) {
  targetsEnabled_.labels({ns, name}).set(count);
}

void RolloutMetrics::conflict() { conflicts_.inc(); }

void RolloutMetrics::rollback(const std::string& reason, double latencySeconds) {
  rollbacks_.labels({reason}).inc();
  rollbackLatency_.observe(latencySeconds);
}

void RolloutMetrics::analysisDuration(double seconds) { analysisDuration_.observe(seconds); }

void RolloutMetrics::reconcileError() { reconcileErrors_.inc(); }

}  // namespace tro::controllers
