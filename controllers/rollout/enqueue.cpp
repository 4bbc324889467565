#include "controllers/rollout/enqueue.h"

#include <set>

#include "controllers/rollout/annotations.h"
#include "operator/kube/label_selector.h"

namespace tro::controllers {

namespace {

const kube::Json& metadataField(const kube::Json& object, const char* field) {
  static const kube::Json kNull;  // immutable: not shared mutable state
  if (!object.is_object()) return kNull;
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return kNull;
  auto it = meta->find(field);
  return it == meta->end() ? kNull : *it;
}

std::string owner(const kube::Json& deployment) {
  const kube::Json& annotations = metadataField(deployment, "annotations");
  if (!annotations.is_object()) return "";
  auto it = annotations.find(annotations::kOwner);
  return it != annotations.end() && it->is_string() ? it->get<std::string>() : "";
}

bool selects(const kube::Json& rollout, const kube::Json& deployment) {
  if (!rollout.contains("spec") || !rollout["spec"].is_object()) return false;
  const kube::Json& spec = rollout["spec"];
  auto sel = spec.find("selector");
  if (sel == spec.end() || !sel->is_object() || sel->empty()) return false;
  auto selector = kube::LabelSelector::fromJson(*sel);
  // An empty selector would select everything; parseSpec() rejects it, so it matches nothing.
  if (!selector.ok() || selector->empty()) return false;
  return selector->matches(metadataField(deployment, "labels"));
}

}  // namespace

std::string rolloutKey(const kube::Json& rollout) { return runtime::objectKey(rollout); }

std::vector<std::string> rolloutKeysForDeployment(const kube::Json* oldDeployment,
                                                  const kube::Json* newDeployment,
                                                  const std::vector<runtime::ObjectPtr>& rollouts) {
  std::set<std::string> keys;
  for (const kube::Json* d : {oldDeployment, newDeployment}) {
    if (d == nullptr) continue;
    if (auto o = owner(*d); !o.empty()) keys.insert(o);
    for (const auto& r : rollouts) {
      if (r && selects(*r, *d)) keys.insert(rolloutKey(*r));
    }
  }
  return {keys.begin(), keys.end()};
}

}  // namespace tro::controllers
