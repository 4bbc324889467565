#pragma once
// Wave arithmetic over the selected Deployments, pure and table-tested.
//  - The weight in force at a step is the one of the last setWeight at or before it (0 before
//    the first). Finishing the steps does not imply 100%: the last setWeight stays in force.
//  - A weight of N% enables ceil(N * eligible / 100) Deployments, at least one when N > 0, the
//    first ones in name order. Eligible Deployments are the selected ones that are not in
//    conflict: a Deployment the rollout may not touch cannot count towards its share.
//  - The configuration in force at a step is spec.env with the overrides of every setEnv step at
//    or before it (makeInjectionConfig(spec, owner, setEnvOverrides(steps, i)), inject.h);
//    stepConfigHashes() (plan_config.h) gives the planner the hash of each.

#include <map>
#include <string>
#include <vector>

#include "controllers/rollout/spec.h"
#include "controllers/rollout/target_observation.h"

namespace tro::controllers {

int weightAt(const std::vector<Step>& steps, int stepIndex);

int waveSize(int weightPercent, int eligible);

// The setEnv overrides of steps[0..stepIndex], in step order (later ones win).
std::vector<EnvVar> setEnvOverrides(const std::vector<Step>& steps, int stepIndex);

// The analysis cohorts (analysis::AnalysisTargets) from what the planner sees, in name order:
// enabled = selected Deployments this rollout enabled; baseline = selected ones it has not
// enabled and may (not in conflict); failedRollouts = enabled ones whose rollout Failed.
struct Cohorts {
  std::vector<std::string> enabled;
  std::vector<std::string> baseline;
  std::vector<std::string> failedRollouts;
  bool operator==(const Cohorts&) const = default;
};
Cohorts cohorts(const std::vector<TargetObservation>& selected, const std::string& rolloutKey,
                const std::map<std::string, std::string>& injectConflicts);

}  // namespace tro::controllers
