#include "controllers/rollout/deployment_cache.h"

#include <map>

#include "controllers/rollout/target_observation.h"
#include "controllers/rollout/workload_kind.h"

namespace tro::controllers {

runtime::StoreOptions workloadStoreOptions(WorkloadKind kind) {
  runtime::StoreOptions options;
  options.transform = [kind](kube::Json object) {
    object = runtime::stripManagedFields(std::move(object));
    if (object.is_object()) {
      object["kind"] = toString(kind);
      object["apiVersion"] = "apps/v1";
    }
    return object;
  };
  options.packed = true;
  options.indexers[kOwnerIndex] = [](const kube::Json& deployment) {
    std::string owner = ownerOf(deployment);
    return owner.empty() ? std::vector<std::string>{} : std::vector<std::string>{owner};
  };
  return options;
}

std::vector<runtime::ObjectPtr> candidates(const std::vector<const runtime::Store*>& stores,
                                           const std::string& ns,
                                           const std::optional<kube::LabelSelector>& selector,
                                           const std::string& key) {
  std::map<std::string, runtime::ObjectPtr> unique;  // by target key
  auto keep = [&unique](std::vector<runtime::ObjectPtr> found) {
    for (auto& d : found) unique.emplace(targetKeyOf(*d), std::move(d));
  };
  for (const runtime::Store* s : stores) {
    if (selector) {
      keep(
          s->listMatching(ns, [&](const kube::Json& labels) { return selector->matches(labels); }));
    }
    keep(s->listByIndex(ns, kOwnerIndex, key));
  }
  std::vector<runtime::ObjectPtr> out;
  out.reserve(unique.size());
  for (auto& [name, d] : unique) out.push_back(std::move(d));
  return out;
}

}  // namespace tro::controllers
