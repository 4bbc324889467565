#include "controllers/rollout/targets.h"

#include <algorithm>

namespace tro::controllers {

int weightAt(const std::vector<Step>& steps, int stepIndex) {
  int weight = 0;
  int last = std::min(stepIndex, static_cast<int>(steps.size()) - 1);
  for (int i = 0; i <= last; ++i) {
    if (steps[i].kind == Step::Kind::SetWeight) weight = steps[i].weight;
  }
  return weight;
}

int waveSize(int weightPercent, int eligible) {
  if (weightPercent <= 0 || eligible <= 0) return 0;
  int64_t scaled = static_cast<int64_t>(std::min(weightPercent, 100)) * eligible;
  int size = static_cast<int>((scaled + 99) / 100);
  return std::clamp(size, 1, eligible);
}

std::vector<EnvVar> setEnvOverrides(const std::vector<Step>& steps, int stepIndex) {
  std::vector<EnvVar> overrides;
  int last = std::min(stepIndex, static_cast<int>(steps.size()) - 1);
  for (int i = 0; i <= last; ++i) {
    overrides.insert(overrides.end(), steps[i].setEnv.begin(), steps[i].setEnv.end());
  }
  return overrides;
}

Cohorts cohorts(const std::vector<TargetObservation>& selected, const std::string& rolloutKey,
                const std::map<std::string, std::string>& injectConflicts) {
  Cohorts out;
  for (const auto& t : selected) {
    bool enabled = t.claimedBy == rolloutKey && t.state == TargetObservation::State::Enabled;
    if (enabled) {
      out.enabled.push_back(t.name);
      if (t.health.state == RolloutHealth::State::Failed) out.failedRollouts.push_back(t.name);
    } else if (!t.claimedByOther && injectConflicts.count(t.name) == 0) {
      out.baseline.push_back(t.name);
    }
  }
  return out;
}

}  // namespace tro::controllers
