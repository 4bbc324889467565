#include "kubesim/world/world_cache.h"

#include "kubesim/world/json_util.h"

namespace kubesim::world {
namespace {

constexpr const char* kDeployments = "apps/deployments";
constexpr const char* kReplicaSets = "apps/replicasets";
constexpr const char* kStatefulSets = "apps/statefulsets";
constexpr const char* kDaemonSets = "apps/daemonsets";
constexpr const char* kPods = "/pods";

// The annotations of `obj`, or a null Json when it has none (or there is no object).
const Json& annotationsOf(const Json* obj) {
  static const Json kNone;
  const Json::json_pointer p("/metadata/annotations");
  return obj != nullptr && obj->contains(p) ? obj->at(p) : kNone;
}

}  // namespace

std::vector<std::string> WorldCache::groupResources() {
  return {kDeployments, kReplicaSets, kStatefulSets, kDaemonSets, kPods};
}

void WorldCache::remove(Table& t, const api::ObjectKey& key) {
  auto it = t.objects.find(key);
  if (it == t.objects.end()) return;
  const Json& old = *it->second;
  t.byUid.erase(strAt(old, Json::json_pointer("/metadata/uid")));
  if (auto owner = controllerUid(old); !owner.empty()) {
    if (auto c = t.byController.find(owner); c != t.byController.end()) {
      c->second.erase(key);
      if (c->second.empty()) t.byController.erase(c);
    }
  }
  t.objects.erase(it);
}

void WorldCache::insert(Table& t, const api::ObjectKey& key, const api::ObjectPtr& object) {
  t.objects[key] = object;
  t.byUid[strAt(*object, Json::json_pointer("/metadata/uid"))] = key;
  if (auto owner = controllerUid(*object); !owner.empty()) t.byController[owner].insert(key);
}

void WorldCache::markOwner(SimKind owner, const Json& object) {
  const std::string uid = controllerUid(object);
  if (uid.empty()) return;
  const Table& t = table(owner);
  if (auto it = t.byUid.find(uid); it != t.byUid.end()) mark(owner, it->second);
}

void WorldCache::markPodsOf(SimKind kind, const std::string& workloadUid) {
  const Table& replicaSets = table(SimKind::ReplicaSet);
  const Table& pods = table(SimKind::Pod);
  if (kind != SimKind::Deployment) {
    if (auto podKeys = pods.byController.find(workloadUid); podKeys != pods.byController.end()) {
      for (const auto& podKey : podKeys->second) mark(SimKind::Pod, podKey);
    }
    return;
  }
  auto rsKeys = replicaSets.byController.find(workloadUid);
  if (rsKeys == replicaSets.byController.end()) return;
  for (const auto& rsKey : rsKeys->second) {
    auto rs = replicaSets.objects.find(rsKey);
    if (rs == replicaSets.objects.end()) continue;
    auto podKeys = pods.byController.find(strAt(*rs->second, Json::json_pointer("/metadata/uid")));
    if (podKeys == pods.byController.end()) continue;
    for (const auto& podKey : podKeys->second) mark(SimKind::Pod, podKey);
  }
}

void WorldCache::apply(const api::Change& change) {
  SimKind kind;
  if (change.groupResource == kDeployments) {
    kind = SimKind::Deployment;
  } else if (change.groupResource == kReplicaSets) {
    kind = SimKind::ReplicaSet;
  } else if (change.groupResource == kStatefulSets) {
    kind = SimKind::StatefulSet;
  } else if (change.groupResource == kDaemonSets) {
    kind = SimKind::DaemonSet;
  } else if (change.groupResource == kPods) {
    kind = SimKind::Pod;
  } else {
    return;
  }
  Table& t = table(kind);
  const api::ObjectPtr before = [&]() -> api::ObjectPtr {
    auto it = t.objects.find(change.key);
    return it == t.objects.end() ? nullptr : it->second;
  }();
  remove(t, change.key);
  const bool gone = change.type == api::ChangeType::Deleted;
  if (gone) {
    t.dirty.erase(change.key);
  } else {
    insert(t, change.key, change.object);
    t.dirty.insert(change.key);
  }
  const Json& latest = *change.object;
  switch (kind) {
    case SimKind::Deployment:
    case SimKind::StatefulSet:
    case SimKind::DaemonSet:
      if (!gone && annotationsOf(before.get()) != annotationsOf(change.object.get())) {
        markPodsOf(kind, strAt(latest, Json::json_pointer("/metadata/uid")));
      }
      break;
    case SimKind::ReplicaSet:
      markOwner(SimKind::Deployment, latest);
      break;
    case SimKind::Pod:
      markOwner(SimKind::ReplicaSet, latest);
      markOwner(SimKind::StatefulSet, latest);
      markOwner(SimKind::DaemonSet, latest);
      if (gone) removedPods_.push_back(strAt(latest, Json::json_pointer("/metadata/uid")));
      break;
  }
}

const Json* WorldCache::find(SimKind kind, const api::ObjectKey& key) const {
  const Table& t = table(kind);
  auto it = t.objects.find(key);
  return it == t.objects.end() ? nullptr : it->second.get();
}

const Json* WorldCache::findUid(SimKind kind, const std::string& uid) const {
  const Table& t = table(kind);
  auto it = t.byUid.find(uid);
  return it == t.byUid.end() ? nullptr : find(kind, it->second);
}

std::vector<Json> WorldCache::liveChildren(SimKind child, const std::string& ownerUid) const {
  return children(child, ownerUid, false);
}

std::vector<Json> WorldCache::allChildren(SimKind child, const std::string& ownerUid) const {
  return children(child, ownerUid, true);
}

std::vector<Json> WorldCache::children(SimKind child, const std::string& ownerUid,
                                       bool withTerminating) const {
  std::vector<Json> out;
  const Table& t = table(child);
  auto keys = t.byController.find(ownerUid);
  if (keys == t.byController.end()) return out;
  for (const auto& key : keys->second) {
    const Json* obj = find(child, key);
    if (obj != nullptr && (withTerminating || !terminating(*obj))) out.push_back(*obj);
  }
  return out;
}

std::vector<std::string> WorldCache::uids(SimKind kind) const {
  std::vector<std::string> out;
  for (const auto& [uid, key] : table(kind).byUid) out.push_back(uid);
  return out;
}

std::set<api::ObjectKey> WorldCache::take(SimKind kind) {
  return std::exchange(table(kind).dirty, {});
}

std::vector<std::string> WorldCache::takeRemovedPods() { return std::exchange(removedPods_, {}); }

}  // namespace kubesim::world
