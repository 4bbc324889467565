#include "controllers/rollout/plan_config.h"

#include "controllers/rollout/inject.h"
#include "controllers/rollout/targets.h"

namespace tro::controllers {

std::vector<std::string> stepConfigHashes(const RolloutSpec& spec, const std::string& owner) {
  std::vector<std::string> hashes;
  for (int i = 0; i < static_cast<int>(spec.steps.size()); ++i) {
    hashes.push_back(configHash(makeInjectionConfig(spec, owner, setEnvOverrides(spec.steps, i))));
  }
  return hashes;
}

}  // namespace tro::controllers
