#pragma once
// The planner's input and output as plain values (STYLE.md: decide purely, act at the edge).
// The reconciler reads the TelemetryRollout and the Deployments from the caches, builds a
// PlanInput, calls plan() (planner.h), and executes the Plan: target writes first (urgent ones
// ahead of everything), then the status, then events; the finalizer is added before any target
// write and removed last.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controllers/analysis/verdict.h"
#include "controllers/rollout/spec.h"
#include "controllers/rollout/status.h"
#include "controllers/rollout/target_observation.h"

namespace tro::controllers {

struct RolloutIdentity {
  std::string namespace_;
  std::string name;
  std::string uid;
  int64_t generation = 0;
  std::optional<base::TimePoint> deletionTimestamp;
  bool hasFinalizer = false;                       // annotations::kFinalizer present
  std::map<std::string, std::string> annotations;  // manual controls are read from here
  // A ClusterTelemetryRollout has no namespace; its key is its name (runtime::objectKey), so a
  // key with no '/' is a cluster rollout's, in owner annotations too.
  bool clusterScoped() const { return namespace_.empty(); }
  std::string key() const { return clusterScoped() ? name : namespace_ + "/" + name; }
};

struct PlanInput {
  RolloutIdentity rollout;
  ParsedSpec spec;
  std::optional<RolloutStatus> status;  // nullopt on the first reconcile
  // Every Deployment matching spec.selector, sorted by name.
  std::vector<TargetObservation> targets;
  // Deployments claimed by this rollout that no longer match the selector (they are restored).
  std::vector<TargetObservation> departed;
  // Deployments inject() refused to change, with why: a valueFrom variable the operator would
  // overwrite, a same-named container it did not inject, a field manager that keeps reverting
  // its fields. Level-based: the reconciler recomputes them on every reconcile.
  std::map<std::string, std::string> injectConflicts;
  // configHashes[i]: hash of the injected configuration in force at step i (effectiveEnv(spec,
  // i), flag and collector), as inject writes it into the config-hash annotation. Index
  // steps.size()-1 serves once all steps are done. Empty when the spec is invalid.
  std::vector<std::string> configHashes;
  // A pushed alert concerns this rollout (AnalysisRequests): analyse now, whatever the interval.
  bool analysisRequested = false;
  // rolloutSpecHash(spec): tells a pause or resume from a change that starts over.
  std::string specHash;
  // The verdict computed because the previous plan said analysisDue; ignored otherwise.
  std::optional<analysis::Verdict> verdict;
  // Consecutive Inconclusive verdicts onInconclusive Pause tolerates before rolling back
  // (analysis::Criteria::inconclusiveLimit; 0: hold until Prometheus recovers).
  int inconclusiveLimit = 0;
  base::TimePoint now;
};

enum class TargetForm {
  Enabled,   // flag on, env of the current configuration, sidecar
  Disabled,  // rollback form: flag off, extra env gone, sidecar gone only if the spec asks
  Restored,  // exactly as before the operator touched it; operator annotations removed
};
const char* toString(TargetForm form);

struct TargetAction {
  std::string deployment;
  TargetForm form = TargetForm::Enabled;
  bool urgent = false;     // rollback: send ahead of other work, in parallel
  int configStep = -1;     // Enabled: the step whose configuration (effectiveEnv) to inject
  std::string configHash;  // Enabled: configHashes[configStep]
  bool operator==(const TargetAction&) const = default;
};

struct PlannedEvent {
  enum class Type { Normal, Warning };
  Type type = Type::Normal;
  std::string reason;  // CamelCase: WaveEnabled, WindowStarted, RolledBack, ...
  std::string message;
  std::string deployment;  // non-empty: also record the event on this Deployment
  bool operator==(const PlannedEvent&) const = default;
};

struct Plan {
  std::vector<TargetAction> actions;  // urgent ones first, then by name
  RolloutStatus status;               // write when != the input status
  std::vector<PlannedEvent> events;
  bool addFinalizer = false;
  bool removeFinalizer = false;
  // Fetch a verdict and call plan() again with it (same now is fine) before executing.
  bool analysisDue = false;
  // When the next time-based thing happens (window end, next analysis); nullopt: wait for a
  // change (a watch event, e.g. the Deployments' rollouts progressing).
  std::optional<base::Duration> requeueAfter;
};

}  // namespace tro::controllers
