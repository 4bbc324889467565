#pragma once
// Behaviour knobs of the simulated applications, read from the owning Deployment's annotations at
// every reconcile (so `kubectl annotate deployment/x kubesim.io/error-ratio=0.1 --overwrite`
// takes effect within one tick):
//   kubesim.io/request-rate                     requests per second per ready pod (default 10)
//   kubesim.io/error-ratio                      share of 5xx responses, 0..1 (default 0)
//   kubesim.io/latency-ms                       mean request latency (default 50)
//   kubesim.io/per-pod-metrics                  "true": per-pod series even when the app model
//                                               aggregates per Deployment (fleet size, AppModel)
// Faults, active only for pods whose template has the telemetry flag on (so only the new
// ReplicaSet of a rollout that turns telemetry on is affected, like a real regression):
//   kubesim.io/telemetry-fault-error-ratio      extra 5xx share added while telemetry is on
//   kubesim.io/telemetry-fault-latency-ms       extra latency while telemetry is on
//   kubesim.io/telemetry-fault-export-failure-ratio  share of spans the collector fails to send
//   kubesim.io/telemetry-fault-never-ready      "true": pods never become Ready
//   kubesim.io/telemetry-fault-crashloop        "true": containers restart, never Ready
// Telemetry is on when a container has an env var named in WorldOptions::telemetryFlags (default
// FEATURE_OTEL, TELEMETRY_ENABLED) whose value is "true" (case-insensitive). A collector sidecar is
// a container whose image contains "opentelemetry-collector" or whose name is "otel-collector".
// Malformed knob values are ignored (the default applies).

#include <string>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::world {

struct Knobs {
  double requestRate = 10.0;
  double errorRatio = 0.0;
  double latencyMs = 50.0;
  double faultErrorRatio = 0.0;
  double faultLatencyMs = 0.0;
  double faultExportFailureRatio = 0.0;
  bool faultNeverReady = false;
  bool faultCrashLoop = false;
  bool perPodMetrics = false;
  bool operator==(const Knobs&) const = default;
};

// From a Deployment (its metadata.annotations); defaults for a null/absent object.
Knobs knobsFromDeployment(const Json& deployment);

// How a pod (or pod template) behaves given its spec.
struct PodProfile {
  bool telemetryOn = false;
  std::string appContainer;        // first non-sidecar container name ("app" when none)
  std::string collectorContainer;  // "" when no collector sidecar
  std::vector<std::string> containers;
};
PodProfile profileOf(const Json& podSpec, const std::vector<std::string>& telemetryFlags);

// The effective numbers once the faults that apply (telemetry on) are folded in.
struct Behaviour {
  double requestRate = 0, errorRatio = 0, latencySeconds = 0, exportFailureRatio = 0;
  bool neverReady = false, crashLoop = false;
  bool perPodMetrics = false;  // the Deployment's kubesim.io/per-pod-metrics
};
Behaviour behaviourOf(const Knobs& knobs, const PodProfile& profile);

}  // namespace kubesim::world
