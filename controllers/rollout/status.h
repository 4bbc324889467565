#pragma once
// RolloutStatus: everything a TelemetryRollout's progress depends on, as a value that round-trips
// through the resource's status subresource. It is the planner's only memory: an operator
// restarted in the middle of a 72h window reads it back and resumes where it was. Fields (JSON
// names in quotes):
//   "observedGeneration"  metadata.generation this status describes (kstatus convention).
//   "phase"               Pending | Progressing | Paused | Succeeded | RolledBack | Failed.
//                         Failed: the spec cannot be rolled out as written (InvalidSpec).
//   "currentStep"         index into spec.strategy.steps; == steps.size() once all are done.
//   "stepStartedAt"       RFC3339 time the current step was entered; a pause window ends at
//                         stepStartedAt + duration.
//   "stepProgress"        "<steps done>/<steps>" and "targetProgress" "<enabled>/<selected>",
//                         for `kubectl get tro` columns.
//   "message"             one human sentence on what the rollout is doing or waiting for.
//   "targets"             per Deployment the rollout selected or touched, sorted by name:
//                         {name, state Pending|Enabled|RolledBack|Restored|Conflict,
//                          configHash (the configuration asked for), message}.
//   "analysis"            {lastRunAt, lastOutcome, consecutiveFailures, totalFailures,
//                          consecutiveInconclusive, checks: [{check, outcome, value, threshold}]}
//                         counters count verdicts since the current generation (or retry) began.
//   "rollback"            the last rollback: {reason, check, value, threshold, at, message}.
//   "handledControls"     {promote, abort, retry}: the annotation values already acted on, so
//                         each manual control acts once per distinct value.
//   "conditions"          Ready, Progressing, Stalled (see conditions.h).
// Caveat: times are whole seconds (metav1.Time); parse errors name the offending field.

#include <optional>
#include <string>
#include <vector>

#include "operator/base/clock.h"
#include "operator/base/result.h"
#include "operator/kube/resource.h"

namespace tro::controllers {

enum class Phase { Pending, Progressing, Paused, Succeeded, RolledBack, Failed };
const char* toString(Phase phase);

enum class TargetState { Pending, Enabled, RolledBack, Restored, Conflict };
const char* toString(TargetState state);

struct TargetStatus {
  // The target's key (workload_kind.h); in JSON, "name" with "kind" unless a Deployment, and
  // "namespace" for a ClusterTelemetryRollout's.
  std::string name;
  TargetState state = TargetState::Pending;
  std::string configHash;  // Enabled: the configuration asked for
  std::string message;     // Conflict: why; otherwise optional detail
  bool operator==(const TargetStatus&) const = default;
};

// One check of the last analysis run, compactly.
struct CheckSummary {
  std::string check;    // "query/error-rate"
  std::string outcome;  // Successful | Failed | Inconclusive
  std::optional<double> value;
  std::string threshold;
  std::string message;  // why it did not pass ("query/x: unreachable: ..."); empty when it did
  bool operator==(const CheckSummary&) const = default;
};

struct AnalysisStatus {
  std::optional<base::TimePoint> lastRunAt;
  std::string lastOutcome;  // "" before the first run
  int consecutiveFailures = 0;
  int totalFailures = 0;
  int consecutiveInconclusive = 0;
  std::vector<CheckSummary> checks;
  bool operator==(const AnalysisStatus&) const = default;
};

struct RollbackRecord {
  std::string
      reason;  // AnalysisFailed | AnalysisInconclusive | ProgressDeadlineExceeded | ManualAbort
  std::string check;  // "alert/HighErrorRate", "deployment/api"
  std::optional<double> value;
  std::string threshold;
  base::TimePoint at;
  std::string message;
  bool operator==(const RollbackRecord&) const = default;
};

struct HandledControls {
  std::string promote;
  std::string abort;
  std::string retry;
  bool operator==(const HandledControls&) const = default;
};

struct Condition {
  std::string type;    // Ready | Progressing | Stalled
  std::string status;  // "True" | "False" | "Unknown"
  std::string reason;  // CamelCase
  std::string message;
  int64_t observedGeneration = 0;
  base::TimePoint lastTransitionTime;
  bool operator==(const Condition&) const = default;
};

struct RolloutStatus {
  int64_t observedGeneration = 0;
  // rolloutSpecHash() of the generation observed: a new generation with the same hash (only
  // spec.paused changed) continues where it was; "" (older status) counts as a change.
  std::string specHash;
  Phase phase = Phase::Pending;
  int currentStep = 0;
  std::optional<base::TimePoint> stepStartedAt;
  std::string stepProgress;
  std::string targetProgress;
  std::string message;
  std::vector<TargetStatus> targets;
  AnalysisStatus analysis;
  std::optional<RollbackRecord> rollback;
  HandledControls handledControls;
  std::vector<Condition> conditions;
  bool operator==(const RolloutStatus&) const = default;

  const TargetStatus* target(const std::string& name) const;
};

struct StatusError {
  std::string message;  // "status.targets[2].state: unknown value \"Foo\""
};

kube::Json toJson(const RolloutStatus& status);
// An absent or empty status ({} / null) parses as the default RolloutStatus.
base::Result<RolloutStatus, StatusError> statusFromJson(const kube::Json& json);

}  // namespace tro::controllers
