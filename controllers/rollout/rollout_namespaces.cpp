#include "controllers/rollout/rollout_namespaces.h"

#include <algorithm>
#include <set>

#include "controllers/rollout/deployment_cache.h"
#include "controllers/rollout/workload_kind.h"
#include "operator/kube/json_fields.h"
#include "operator/kube/label_selector.h"

namespace tro::controllers {
namespace {

using kube::Json;

// spec.namespaceSelector; nullopt when missing, empty or invalid (parseSpec() says which).
std::optional<kube::LabelSelector> namespaceSelector(const Json& rollout) {
  return rolloutSelector(rollout, "namespaceSelector");
}

bool selects(const kube::LabelSelector& selector, const Json& nsObject) {
  if (auto meta = nsObject.find("metadata"); meta != nsObject.end() && meta->is_object()) {
    if (auto l = meta->find("labels"); l != meta->end() && l->is_object()) {
      return selector.matches(*l);
    }
  }
  return selector.matches(Json::object());
}

}  // namespace

bool isClusterRollout(const Json& rollout) {
  return kube::stringAt(rollout, "metadata", "namespace").empty();
}

RolloutNamespaces rolloutNamespaces(const Json& rollout,
                                    const std::vector<runtime::ObjectPtr>& namespaces) {
  RolloutNamespaces out;
  if (!isClusterRollout(rollout)) {
    const std::string own = kube::stringAt(rollout, "metadata", "namespace");
    out.selected = {own};
    out.read = {own};
    return out;
  }
  std::set<std::string> selected;
  if (auto selector = namespaceSelector(rollout)) {
    for (const auto& n : namespaces) {
      if (n && selects(*selector, *n)) selected.insert(kube::stringAt(*n, "metadata", "name"));
    }
  }
  selected.erase("");
  std::set<std::string> read = selected;
  for (auto& ns : listedNamespaces(rollout)) read.insert(std::move(ns));
  out.selected.assign(selected.begin(), selected.end());
  out.read.assign(read.begin(), read.end());
  return out;
}

bool readsNamespace(const Json& rollout, const std::string& ns, const Json* nsObject) {
  if (!isClusterRollout(rollout)) return kube::stringAt(rollout, "metadata", "namespace") == ns;
  if (nsObject != nullptr) {
    if (auto selector = namespaceSelector(rollout); selector && selects(*selector, *nsObject)) {
      return true;
    }
  }
  const std::vector<std::string> listed = listedNamespaces(rollout);
  return std::binary_search(listed.begin(), listed.end(), ns);
}

}  // namespace tro::controllers
