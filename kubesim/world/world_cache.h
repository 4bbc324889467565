#pragma once
// WorldCache: the simulated controllers' informer. It applies the ApiServer's change feed to
// per-kind maps of the shared stored objects (Deployments, ReplicaSets, StatefulSets, DaemonSets,
// pods), indexes children by their controller ownerReference, and records which objects need a
// controller's attention:
//   a workload changed                  -> that workload (and, when its annotations changed,
//                                          every pod under it: the fault knobs live there)
//   a ReplicaSet changed or went away   -> it, and its Deployment
//   a pod changed or went away          -> it, and its ReplicaSet, StatefulSet or DaemonSet
// The world then steps only those objects, plus the ones still converging, instead of every
// object on every tick. Iteration is in (namespace, name) order, as the store lists them, so the
// controllers write in the same order as a full pass would. Not thread-safe: World guards it.

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "kubesim/api/object_store.h"

namespace kubesim::world {

enum class SimKind { Deployment, ReplicaSet, StatefulSet, DaemonSet, Pod };
inline constexpr int kSimKinds = 5;

class WorldCache {
 public:
  // The group/resources the cache follows (for ApiServer::subscribe).
  static std::vector<std::string> groupResources();

  void apply(const api::Change& change);

  const Json* find(SimKind kind, const api::ObjectKey& key) const;
  const Json* findUid(SimKind kind, const std::string& uid) const;
  // Copies of the live (not terminating) children of `ownerUid` of kind `child`, by name.
  std::vector<Json> liveChildren(SimKind child, const std::string& ownerUid) const;
  // Copies of every child, terminating ones included.
  std::vector<Json> allChildren(SimKind child, const std::string& ownerUid) const;
  std::size_t size(SimKind kind) const { return table(kind).objects.size(); }
  std::vector<std::string> uids(SimKind kind) const;

  // Objects marked since the last take(kind), by key; the marks are cleared.
  std::set<api::ObjectKey> take(SimKind kind);
  void mark(SimKind kind, const api::ObjectKey& key) { table(kind).dirty.insert(key); }
  // Uids of pods that left the store since the last call.
  std::vector<std::string> takeRemovedPods();

 private:
  struct Table {
    std::map<api::ObjectKey, api::ObjectPtr> objects;
    std::unordered_map<std::string, api::ObjectKey> byUid;
    std::unordered_map<std::string, std::set<api::ObjectKey>> byController;
    std::set<api::ObjectKey> dirty;
  };
  Table& table(SimKind kind) { return tables_[static_cast<int>(kind)]; }
  const Table& table(SimKind kind) const { return tables_[static_cast<int>(kind)]; }
  void remove(Table& t, const api::ObjectKey& key);
  void insert(Table& t, const api::ObjectKey& key, const api::ObjectPtr& object);
  // Marks the controller owner (of kind `owner`) of `object`.
  void markOwner(SimKind owner, const Json& object);
  // Marks the pods of a Deployment (through its ReplicaSets), StatefulSet or DaemonSet.
  void markPodsOf(SimKind kind, const std::string& workloadUid);
  std::vector<Json> children(SimKind child, const std::string& ownerUid,
                             bool withTerminating) const;

  Table tables_[kSimKinds];
  std::vector<std::string> removedPods_;
};

}  // namespace kubesim::world
