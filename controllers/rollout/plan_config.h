#pragma once
// The configuration hash of every step, as the planner compares them with the config-hash
// annotation (PlanInput::configHashes). Separate from targets.h because it needs inject's hash.

#include <string>
#include <vector>

#include "controllers/rollout/spec.h"

namespace tro::controllers {

// configHash(makeInjectionConfig(spec, owner, setEnvOverrides(spec.steps, i))) for each step i.
std::vector<std::string> stepConfigHashes(const RolloutSpec& spec, const std::string& owner);

}  // namespace tro::controllers
