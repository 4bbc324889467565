#include "controllers/rollout/workload_health.h"

#include <cstdint>
#include <optional>

#include "controllers/rollout/workload_kind.h"
#include "operator/kube/json_fields.h"

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

// spec.updateStrategy.type, RollingUpdate when absent (the API server's default).
std::string strategyType(const Json& spec) {
  const Json& strategy = childOrNull(spec, "updateStrategy");
  const Json& type = childOrNull(strategy, "type");
  return type.is_string() ? type.get<std::string>() : "RollingUpdate";
}

RolloutHealth notRollable(const char* kind, const std::string& name, const std::string& type) {
  return {RolloutHealth::State::NotRollable,
          std::string(kind) + " \"" + name + "\" uses the " + type +
              " update strategy: its pods change only when they are deleted, so there is no "
              "rollout to wait for (rollout status is only available for RollingUpdate)"};
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
    case RolloutHealth::State::NotRollable:
      return "NotRollable";
  }
  return "Unknown";
}

RolloutHealth deploymentHealth(const Json& deployment) {
  using State = RolloutHealth::State;
  const Json& metadata = childOrNull(deployment, "metadata");
  const Json& spec = childOrNull(deployment, "spec");
  const Json& status = childOrNull(deployment, "status");
  const std::string name = kube::stringAt(metadata, "name");

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

namespace tro::controllers {

RolloutHealth statefulSetHealth(const Json& statefulSet) {
  using State = RolloutHealth::State;
  const Json& metadata = childOrNull(statefulSet, "metadata");
  const Json& spec = childOrNull(statefulSet, "spec");
  const Json& status = childOrNull(statefulSet, "status");
  const std::string name = kube::stringAt(metadata, "name");
  if (const std::string type = strategyType(spec); type != "RollingUpdate") {
    return notRollable("statefulset", name, type);
  }
  const std::int64_t observed = intAt(status, "observedGeneration");
  if (observed == 0 || intAt(metadata, "generation") > observed) {
    return {State::Progressing, "Waiting for statefulset spec update to be observed..."};
  }
  const auto replicas = optionalIntAt(spec, "replicas");
  if (const std::int64_t ready = intAt(status, "readyReplicas"); replicas && ready < *replicas) {
    return {State::Progressing,
            "Waiting for " + std::to_string(*replicas - ready) + " pods to be ready..."};
  }
  const std::int64_t updated = intAt(status, "updatedReplicas");
  const Json& rollingUpdate = childOrNull(childOrNull(spec, "updateStrategy"), "rollingUpdate");
  if (rollingUpdate.is_object()) {
    const auto partition = optionalIntAt(rollingUpdate, "partition");
    if (replicas && partition && updated < *replicas - *partition) {
      return {State::Progressing,
              "Waiting for partitioned roll out to finish: " + std::to_string(updated) +
                  " out of " + std::to_string(*replicas - *partition) +
                  " new pods have been updated..."};
    }
    return {State::Healthy, "partitioned roll out complete: " + std::to_string(updated) +
                                " new pods have been updated..."};
  }
  const std::string updateRevision = kube::stringAt(status, "updateRevision");
  const std::string currentRevision = kube::stringAt(status, "currentRevision");
  if (updateRevision != currentRevision) {
    return {State::Progressing, "waiting for statefulset rolling update to complete " +
                                    std::to_string(updated) + " pods at revision " +
                                    updateRevision + "..."};
  }
  return {State::Healthy, "statefulset rolling update complete " +
                              std::to_string(intAt(status, "currentReplicas")) +
                              " pods at revision " + currentRevision + "..."};
}

RolloutHealth daemonSetHealth(const Json& daemonSet) {
  using State = RolloutHealth::State;
  const Json& metadata = childOrNull(daemonSet, "metadata");
  const Json& spec = childOrNull(daemonSet, "spec");
  const Json& status = childOrNull(daemonSet, "status");
  const std::string name = kube::stringAt(metadata, "name");
  if (const std::string type = strategyType(spec); type != "RollingUpdate") {
    return notRollable("daemon set", name, type);
  }
  if (!status.is_object() || intAt(metadata, "generation") > intAt(status, "observedGeneration")) {
    return {State::Progressing, "Waiting for daemon set spec update to be observed..."};
  }
  const std::int64_t desired = intAt(status, "desiredNumberScheduled");
  const std::int64_t updated = intAt(status, "updatedNumberScheduled");
  const std::int64_t available = intAt(status, "numberAvailable");
  const std::string prefix = "Waiting for daemon set \"" + name + "\" rollout to finish: ";
  if (updated < desired) {
    return {State::Progressing, prefix + std::to_string(updated) + " out of " +
                                    std::to_string(desired) + " new pods have been updated..."};
  }
  if (available < desired) {
    return {State::Progressing, prefix + std::to_string(available) + " of " +
                                    std::to_string(desired) + " updated pods are available..."};
  }
  return {State::Healthy, "daemon set \"" + name + "\" successfully rolled out"};
}

RolloutHealth workloadHealth(const Json& workload) {
  switch (workloadKindOf(workload)) {
    case WorkloadKind::StatefulSet:
      return statefulSetHealth(workload);
    case WorkloadKind::DaemonSet:
      return daemonSetHealth(workload);
    case WorkloadKind::Deployment:
      break;
  }
  return deploymentHealth(workload);
}

}  // namespace tro::controllers
