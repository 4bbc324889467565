#include "controllers/rollout/rollout_namespaces.h"

#include <algorithm>
#include <set>

#include "operator/kube/json_fields.h"
#include "operator/kube/label_selector.h"

namespace tro::controllers {
namespace {

using kube::Json;

bool selects(const kube::LabelSelector& selector, const Json& nsObject) {
  if (auto meta = nsObject.find("metadata"); meta != nsObject.end() && meta->is_object()) {
    if (auto l = meta->find("labels"); l != meta->end() && l->is_object()) {
      return selector.matches(*l);
    }
  }
  return selector.matches(Json::object());
}

}  // namespace

RolloutNamespaces rolloutNamespaces(const TypedRollout& rollout,
                                    const std::vector<runtime::ObjectPtr>& namespaces) {
  RolloutNamespaces out;
  if (!rollout.clusterScoped()) {
    out.selected = {rollout.identity.namespace_};
    out.read = {rollout.identity.namespace_};
    return out;
  }
  std::set<std::string> selected;
  if (rollout.namespaceSelector) {
    for (const auto& n : namespaces) {
      if (n && selects(*rollout.namespaceSelector, *n)) {
        selected.insert(kube::stringAt(*n, "metadata", "name"));
      }
    }
  }
  selected.erase("");
  std::set<std::string> read = selected;
  read.insert(rollout.listedNamespaces.begin(), rollout.listedNamespaces.end());
  out.selected.assign(selected.begin(), selected.end());
  out.read.assign(read.begin(), read.end());
  return out;
}

bool readsNamespace(const TypedRollout& rollout, const std::string& ns, const Json* nsObject) {
  if (!rollout.clusterScoped()) return rollout.identity.namespace_ == ns;
  if (nsObject != nullptr && rollout.namespaceSelector &&
      selects(*rollout.namespaceSelector, *nsObject)) {
    return true;
  }
  return std::binary_search(rollout.listedNamespaces.begin(), rollout.listedNamespaces.end(), ns);
}

}  // namespace tro::controllers
