#pragma once
// PatchMeta: what a strategic merge patch and server-side apply need to know about a kind's
// fields that plain JSON does not say: which lists merge by key (and on which keys), which
// primitive lists behave as sets, which maps carry $retainKeys, and which objects are free-form
// maps rather than structs (managedFields records "." for an added map, not for a struct).
// Paths are field names from the object root joined by '.', with list items skipped:
// "spec.template.spec.containers.env". Anything not listed is a struct (objects) or an atomic
// list (replaced as a whole) — the behaviour of custom resources without list-type markers.

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace kubesim::patch {

enum class ListType { Atomic, Map, Set };

struct ListMeta {
  ListType type = ListType::Atomic;
  // For ListType::Map: the keys identifying an item. The first is the strategic-merge-patch
  // merge key (patchMergeKey); all of them name the item in FieldsV1 (k:{...}).
  std::vector<std::string> keys;
};

class PatchMeta {
 public:
  PatchMeta() = default;

  // Registration (builtin tables, or simapi translating a CRD schema's x-kubernetes-list-type /
  // x-kubernetes-list-map-keys / x-kubernetes-map-type markers).
  void setList(const std::string& path, ListMeta meta);
  void setRetainKeys(const std::string& path);
  void setFreeFormMap(const std::string& path);
  // A node the built-in Go type always serialises (a non-pointer struct, a list without
  // omitempty): an Update creating it does not own the node itself, only what is inside.
  void setImplicit(const std::string& path);

  // Lookups; path as described above.
  ListMeta list(const std::string& path) const;
  bool retainKeys(const std::string& path) const;
  bool freeFormMap(const std::string& path) const;
  bool implicit(const std::string& path) const;

  // Appends field `name` to `path` ("" + "spec" -> "spec").
  static std::string child(const std::string& path, const std::string& name);

 private:
  std::map<std::string, ListMeta> lists_;
  std::set<std::string> retainKeys_;
  std::set<std::string> maps_;
  std::set<std::string> implicit_;
};

// Metadata rules every kind shares: labels/annotations maps, finalizers as a set,
// ownerReferences keyed by uid, managedFields keyed by manager.
PatchMeta objectMetaPatchMeta();

// Patch metadata for a custom resource from its CRD version's openAPIV3Schema (the schema of the
// whole object): x-kubernetes-list-type map (with x-kubernetes-list-map-keys) and set, and
// objects with additionalProperties as free-form maps (unless x-kubernetes-map-type: atomic).
// Includes objectMetaPatchMeta(). A null or malformed schema gives objectMetaPatchMeta().
PatchMeta crdPatchMeta(const nlohmann::json& openAPIV3Schema);

// Patch metadata for a built-in kind (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob,
// PodDisruptionBudget, Pod, Service, ConfigMap, Namespace, Node, PersistentVolume(Claim),
// ResourceQuota, HorizontalPodAutoscaler, Ingress, NetworkPolicy, webhook configurations, Event,
// Lease, CustomResourceDefinition); unknown kinds get objectMetaPatchMeta().
PatchMeta builtinPatchMeta(const std::string& apiVersion, const std::string& kind);

}  // namespace kubesim::patch
