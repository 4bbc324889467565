#include "controllers/rollout/target_observation.h"

#include "controllers/rollout/annotations.h"
#include "controllers/rollout/workload_kind.h"

namespace tro::controllers {
namespace {

std::string annotation(const nlohmann::json& deployment, const char* key) {
  const auto metadata = deployment.find("metadata");
  if (metadata == deployment.end() || !metadata->is_object()) return "";
  const auto annotations = metadata->find("annotations");
  if (annotations == metadata->end() || !annotations->is_object()) return "";
  const auto it = annotations->find(key);
  return it != annotations->end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string ownerOf(const nlohmann::json& deployment) {
  return annotation(deployment, annotations::kOwner);
}

const char* toString(TargetObservation::State state) {
  switch (state) {
    case TargetObservation::State::None:
      return "None";
    case TargetObservation::State::Enabled:
      return "Enabled";
    case TargetObservation::State::Disabled:
      return "Disabled";
  }
  return "Unknown";
}

TargetObservation observe(const nlohmann::json& deployment, const std::string& rolloutKey,
                          const std::string& desiredConfigHash) {
  TargetObservation o;
  if (!deployment.is_object()) return o;
  o.name = targetKeyOf(deployment);
  o.claimedBy = ownerOf(deployment);
  o.claimedByOther = !o.claimedBy.empty() && o.claimedBy != rolloutKey;
  const std::string state = annotation(deployment, annotations::kState);
  if (state == annotations::kStateEnabled) o.state = TargetObservation::State::Enabled;
  if (state == annotations::kStateDisabled) o.state = TargetObservation::State::Disabled;
  o.configHash = annotation(deployment, annotations::kConfigHash);
  o.upToDate = !o.configHash.empty() && o.configHash == desiredConfigHash;
  o.health = workloadHealth(deployment);
  return o;
}

}  // namespace tro::controllers
