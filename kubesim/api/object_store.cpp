#include "kubesim/api/object_store.h"

#include <algorithm>

#include "kubesim/common/json_field.h"

namespace kubesim::api {
namespace {

const Json& metadataOf(const Json& object) {
  static const Json kEmpty = Json::object();
  if (!object.is_object()) return kEmpty;
  auto it = object.find("metadata");
  return it != object.end() && it->is_object() ? *it : kEmpty;
}

}  // namespace

const char* changeTypeName(ChangeType t) {
  switch (t) {
    case ChangeType::Added:
      return "ADDED";
    case ChangeType::Modified:
      return "MODIFIED";
    case ChangeType::Deleted:
      return "DELETED";
  }
  return "ERROR";
}

std::string uidOf(const Json& object) { return stringField(metadataOf(object), "uid"); }

std::vector<std::string> ownerUidsOf(const Json& object) {
  std::vector<std::string> out;
  const Json& md = metadataOf(object);
  auto refs = md.find("ownerReferences");
  if (refs != md.end() && refs->is_array()) {
    for (const auto& ref : *refs) out.push_back(stringField(ref, "uid"));
  }
  return out;
}

ObjectStore::ObjectStore(std::uint64_t firstRv, std::size_t historyLimit, Listener listener)
    : rv_(firstRv),
      compactedRv_(firstRv),
      historyLimit_(std::max<std::size_t>(historyLimit, 1)),
      listener_(std::move(listener)) {}

const Json* ObjectStore::get(const std::string& groupResource, const ObjectKey& key) const {
  auto r = objects_.find(groupResource);
  if (r == objects_.end()) return nullptr;
  auto it = r->second.find(key);
  return it == r->second.end() ? nullptr : it->second.get();
}

std::vector<ObjectPtr> ObjectStore::list(const std::string& groupResource,
                                         const std::optional<std::string>& ns) const {
  std::vector<ObjectPtr> out;
  auto r = objects_.find(groupResource);
  if (r == objects_.end()) return out;
  if (!ns) {
    out.reserve(r->second.size());
    for (const auto& [key, obj] : r->second) out.push_back(obj);
    return out;
  }
  for (auto it = r->second.lower_bound(ObjectKey{*ns, ""});
       it != r->second.end() && it->first.ns == *ns; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::optional<std::vector<ObjectPtr>> ObjectStore::listAt(const std::string& groupResource,
                                                          const std::optional<std::string>& ns,
                                                          std::uint64_t rv) const {
  if (rv < compactedRv_) return std::nullopt;
  std::map<ObjectKey, ObjectPtr> state;
  if (auto r = objects_.find(groupResource); r != objects_.end()) state = r->second;
  // Undo the newer changes, newest first.
  for (auto it = history_.rbegin(); it != history_.rend() && it->rv > rv; ++it) {
    if (it->groupResource != groupResource) continue;
    if (it->type == ChangeType::Added) {
      state.erase(it->key);
    } else {
      state[it->key] = it->previous;
    }
  }
  std::vector<ObjectPtr> out;
  for (auto& [key, obj] : state) {
    if (!ns || key.ns == *ns) out.push_back(std::move(obj));
  }
  return out;
}

std::vector<ObjectRef> ObjectStore::inNamespace(const std::string& ns) const {
  std::vector<ObjectRef> out;
  for (const auto& [gr, objs] : objects_) {
    for (auto it = objs.lower_bound(ObjectKey{ns, ""}); it != objs.end() && it->first.ns == ns;
         ++it) {
      out.push_back(ObjectRef{gr, it->first});
    }
  }
  return out;
}

std::optional<ObjectRef> ObjectStore::findUid(const std::string& uid) const {
  auto it = byUid_.find(uid);
  if (it == byUid_.end()) return std::nullopt;
  return it->second;
}

std::vector<ObjectRef> ObjectStore::dependentsOf(const std::string& ownerUid) const {
  auto it = byOwner_.find(ownerUid);
  if (it == byOwner_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

bool ObjectStore::hasDependents(const std::string& ownerUid) const {
  return byOwner_.contains(ownerUid);
}

void ObjectStore::index(const ObjectRef& ref, const Json* before, const Json* after) {
  if (before != nullptr) {
    if (auto uid = uidOf(*before); !uid.empty()) byUid_.erase(uid);
    for (const auto& owner : ownerUidsOf(*before)) {
      auto it = byOwner_.find(owner);
      if (it == byOwner_.end()) continue;
      it->second.erase(ref);
      if (it->second.empty()) byOwner_.erase(it);
    }
  }
  if (after != nullptr) {
    if (auto uid = uidOf(*after); !uid.empty()) byUid_[uid] = ref;
    for (const auto& owner : ownerUidsOf(*after)) byOwner_[owner].insert(ref);
  }
}

ObjectPtr ObjectStore::put(const std::string& groupResource, const ObjectKey& key, Json object) {
  object["metadata"]["resourceVersion"] = std::to_string(++rv_);
  auto stored = std::make_shared<const Json>(std::move(object));
  auto& slot = objects_[groupResource];
  Change change{rv_, ChangeType::Added, groupResource, key, stored, nullptr};
  auto it = slot.find(key);
  if (it != slot.end()) {
    change.type = ChangeType::Modified;
    change.previous = std::exchange(it->second, stored);
  } else {
    slot.emplace(key, stored);
    ++size_;
  }
  index(ObjectRef{groupResource, key}, change.previous.get(), stored.get());
  record(std::move(change));
  return stored;
}

ObjectPtr ObjectStore::erase(const std::string& groupResource, const ObjectKey& key) {
  auto r = objects_.find(groupResource);
  if (r == objects_.end()) return nullptr;
  auto it = r->second.find(key);
  if (it == r->second.end()) return nullptr;
  ObjectPtr previous = std::move(it->second);
  r->second.erase(it);
  --size_;
  index(ObjectRef{groupResource, key}, previous.get(), nullptr);
  Json last = *previous;
  last["metadata"]["resourceVersion"] = std::to_string(++rv_);
  auto lastPtr = std::make_shared<const Json>(std::move(last));
  record(Change{rv_, ChangeType::Deleted, groupResource, key, lastPtr, std::move(previous)});
  return lastPtr;
}

std::vector<const Change*> ObjectStore::changesSince(std::uint64_t after) const {
  std::vector<const Change*> out;
  auto first = std::partition_point(history_.begin(), history_.end(),
                                    [&](const Change& c) { return c.rv <= after; });
  for (auto it = first; it != history_.end(); ++it) out.push_back(&*it);
  return out;
}

void ObjectStore::compact() {
  history_.clear();
  compactedRv_ = rv_;
}

void ObjectStore::record(Change change) {
  history_.push_back(std::move(change));
  if (listener_) listener_(history_.back());
  while (history_.size() > historyLimit_) {
    compactedRv_ = history_.front().rv;
    history_.pop_front();
  }
}

}  // namespace kubesim::api
