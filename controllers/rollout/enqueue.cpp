#include "controllers/rollout/enqueue.h"

#include <set>

#include "controllers/rollout/deployment_cache.h"
#include "controllers/rollout/target_observation.h"
#include "controllers/rollout/workload_health.h"

namespace tro::controllers {

namespace {

const kube::Json& labelsOf(const kube::Json& object) {
  static const kube::Json kEmpty = kube::Json::object();  // immutable: not shared mutable state
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return kEmpty;
  auto labels = meta->find("labels");
  return labels == meta->end() ? kEmpty : *labels;
}

bool selects(const TypedRollout& rollout, const kube::Json& deployment) {
  return rollout.selector && rollout.selector->matches(labelsOf(deployment));
}

}  // namespace

std::string rolloutKey(const kube::Json& rollout) { return runtime::objectKey(rollout); }

std::vector<std::string> rolloutKeysForDeployment(const kube::Json* oldDeployment,
                                                  const kube::Json* newDeployment,
                                                  const std::vector<TypedRolloutPtr>& rollouts) {
  std::set<std::string> keys;
  for (const kube::Json* d : {oldDeployment, newDeployment}) {
    if (d == nullptr) continue;
    if (auto o = ownerOf(*d); !o.empty()) keys.insert(o);
    for (const auto& r : rollouts) {
      if (r && selects(*r, *d)) keys.insert(r->key);
    }
  }
  return {keys.begin(), keys.end()};
}

QueueLane laneForDeploymentEvent(const kube::Json* newDeployment) {
  const bool failed = newDeployment != nullptr &&
                      workloadHealth(*newDeployment).state == RolloutHealth::State::Failed;
  return failed ? QueueLane::Urgent : QueueLane::Normal;
}

}  // namespace tro::controllers
