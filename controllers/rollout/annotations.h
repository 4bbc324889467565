#pragma once
// What the operator records on a Deployment it manages. These annotations are the operator's
// only durable memory about a Deployment (besides the TelemetryRollout's status), so that a
// restarted operator, or a new leader, resumes without re-doing writes and restores exactly.
//
//   rollout.telemetry.io/owner        "<namespace>/<name>" of the TelemetryRollout that claims it.
//                                     A Deployment claimed by another rollout is a conflict.
//   rollout.telemetry.io/state        "enabled" | "disabled" (rollback form: flag off, env gone)
//   rollout.telemetry.io/config-hash  hash of the injected configuration (flag value, env values
//                                     after setEnv steps, collector) the template carries now;
//                                     a different hash means the target needs an update wave.
//   rollout.telemetry.io/restore      JSON restore record: what the operator changed and the
//                                     values that were there before, so restore() is exact.
//
// The write strategy (docs/architecture.md, "Writing to Deployments"): a JSON patch computed as
// the difference between the live Deployment and the desired one, guarded by a `test` of
// metadata.resourceVersion, sent with fieldManager=telemetry-rollout-operator. A concurrent
// change by anyone else makes the test fail (the server answers 422/409); the operator re-reads
// and recomputes, so no one else's change is ever lost.

namespace tro::controllers::annotations {

inline constexpr const char* kPrefix = "rollout.telemetry.io/";
inline constexpr const char* kOwner = "rollout.telemetry.io/owner";
inline constexpr const char* kState = "rollout.telemetry.io/state";
inline constexpr const char* kConfigHash = "rollout.telemetry.io/config-hash";
inline constexpr const char* kRestore = "rollout.telemetry.io/restore";

inline constexpr const char* kStateEnabled = "enabled";
inline constexpr const char* kStateDisabled = "disabled";

// Manual controls, set by a person on the TelemetryRollout (kubectl annotate ...).
inline constexpr const char* kPromote = "rollout.telemetry.io/promote";  // pass the current window
inline constexpr const char* kAbort = "rollout.telemetry.io/abort";      // roll back now
inline constexpr const char* kRetry = "rollout.telemetry.io/retry";  // start again after RolledBack

inline constexpr const char* kFinalizer = "rollout.telemetry.io/restore";
inline constexpr const char* kFieldManager = "telemetry-rollout-operator";

}  // namespace tro::controllers::annotations
