#pragma once
// The crash trials' scenarios (issue 16): what a user does to one TelemetryRollout over four
// simulated apps, and where the rollout must end. Each scenario drives the world only through
// kubectl and waits on conditions, so it proceeds whether the operator is alive or being killed
// and restarted under it.

#include <chrono>
#include <string>
#include <vector>

#include "tests/integration/analysis/analysis_cluster.h"

namespace tro::testing::chaos {

using analysis::AnalysisCluster;
using analysis::Json;

enum class Scenario {
  Waves,          // two waves and two short windows, to Succeeded
  SetEnvRamp,     // every Deployment, then a sampler ramp in two setEnv steps, to Succeeded
  AlertRollback,  // the first wave's app errors once telemetry is on: HighErrorRate, RolledBack
  ManualAbort,    // the abort annotation in a manual window: RolledBack
  DeleteRestore,  // Succeeded, then the rollout is deleted: every template restored
  SpecChange,     // the env changes during a manual window, then promote: Succeeded
};
inline constexpr int kScenarioCount = 6;

const char* scenarioName(Scenario s);

inline constexpr const char* kNamespace = "chaos";
inline constexpr const char* kRolloutName = "otel";
inline constexpr const char* kOperatorManager = "telemetry-rollout-operator";

// The apps every scenario starts from (a0..a3, part-of shop; a0 has the telemetry fault only in
// AlertRollback), applied and rolled out before the rollout exists.
std::vector<analysis::App> appsFor(Scenario s);
std::vector<std::string> appNames();

// What other writers do while the rollout runs: a user's `kubectl set env -c app` on a1 (in the
// first wave) and a GitOps tool's server-side apply (a label, an annotation, an env value) on a3
// (in the last). Both change values in place, so the end state does not depend on when they
// act: an env var they added would land before or after the operator's, by timing alone.
// Returns "" or what failed.
std::string changeAsOthers(AnalysisCluster& cluster);
// What must still be there at the end of every scenario; "" or what is missing.
std::string othersKept(AnalysisCluster& cluster);

// Applies the rollout and drives the scenario to its end state; "" or what did not happen
// within `deadline`.
std::string drive(Scenario s, AnalysisCluster& cluster, std::chrono::milliseconds deadline);

// `kubectl annotate --overwrite` of the rollout; "" or what failed.
std::string annotateRollout(AnalysisCluster& cluster, const std::string& key,
                            const std::string& value);

// Whether the scenario ends with the rollout deleted (otherwise it ends in a terminal phase).
bool endsDeleted(Scenario s);

}  // namespace tro::testing::chaos
