#include "controllers/rollout/deployment_health.h"

#include <cstdint>
#include <optional>

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

// Reads an integer field; absent or non-integer counts as 0 (status omits zero counts).
std::int64_t intAt(const Json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return 0;
  return it->get<std::int64_t>();
}

std::optional<std::int64_t> optionalIntAt(const Json& object, const char* key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

const Json& childOrNull(const Json& object, const char* key) {
  static const Json kNull;  // immutable: a shared empty value, not mutable state
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

bool progressDeadlineExceeded(const Json& status) {
  const Json& conditions = childOrNull(status, "conditions");
  if (!conditions.is_array()) return false;
  for (const Json& c : conditions) {
    if (c.is_object() && c.value("type", "") == "Progressing") {
      return c.value("reason", "") == "ProgressDeadlineExceeded";
    }
  }
  return false;
}

std::string waiting(const std::string& name, const std::string& what) {
  return "Waiting for deployment \"" + name + "\" rollout to finish: " + what;
}

}  // namespace

const char* toString(RolloutHealth::State state) {
  switch (state) {
    case RolloutHealth::State::Progressing:
      return "Progressing";
    case RolloutHealth::State::Healthy:
      return "Healthy";
    case RolloutHealth::State::Failed:
      return "Failed";
  }
  return "Unknown";
}

RolloutHealth deploymentHealth(const Json& deployment) {
  using State = RolloutHealth::State;
  const Json& metadata = childOrNull(deployment, "metadata");
  const Json& spec = childOrNull(deployment, "spec");
  const Json& status = childOrNull(deployment, "status");
  const std::string name = metadata.is_object() ? metadata.value("name", "") : "";

  // No status at all: the deployment controller has not looked at it yet (and an object that is
  // not a Deployment must never look healthy).
  if (!status.is_object() || intAt(metadata, "generation") > intAt(status, "observedGeneration")) {
    return {State::Progressing, "Waiting for deployment spec update to be observed..."};
  }
  if (progressDeadlineExceeded(status)) {
    return {State::Failed, "deployment \"" + name + "\" exceeded its progress deadline"};
  }
  const std::int64_t replicas = intAt(status, "replicas");
  const std::int64_t updated = intAt(status, "updatedReplicas");
  const std::int64_t available = intAt(status, "availableReplicas");
  if (auto wanted = optionalIntAt(spec, "replicas"); wanted && updated < *wanted) {
    return {State::Progressing,
            waiting(name, std::to_string(updated) + " out of " + std::to_string(*wanted) +
                              " new replicas have been updated...")};
  }
  if (replicas > updated) {
    return {State::Progressing, waiting(name, std::to_string(replicas - updated) +
                                                  " old replicas are pending termination...")};
  }
  if (available < updated) {
    return {State::Progressing,
            waiting(name, std::to_string(available) + " of " + std::to_string(updated) +
                              " updated replicas are available...")};
  }
  return {State::Healthy, "deployment \"" + name + "\" successfully rolled out"};
}

}  // namespace tro::controllers
