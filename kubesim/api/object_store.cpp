#include "kubesim/api/object_store.h"

#include <algorithm>

namespace kubesim::api {

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

ObjectStore::ObjectStore(std::uint64_t firstRv, std::size_t historyLimit, Listener listener)
    : rv_(firstRv),
      compactedRv_(firstRv),
      historyLimit_(std::max<std::size_t>(historyLimit, 1)),
      listener_(std::move(listener)) {}

const Json* ObjectStore::get(const std::string& groupResource, const ObjectKey& key) const {
  auto r = objects_.find(groupResource);
  if (r == objects_.end()) return nullptr;
  auto it = r->second.find(key);
  return it == r->second.end() ? nullptr : &it->second;
}

std::vector<Json> ObjectStore::list(const std::string& groupResource,
                                    const std::optional<std::string>& ns) const {
  std::vector<Json> out;
  auto r = objects_.find(groupResource);
  if (r == objects_.end()) return out;
  for (const auto& [key, obj] : r->second) {
    if (!ns || key.ns == *ns) out.push_back(obj);
  }
  return out;
}

std::optional<std::vector<Json>> ObjectStore::listAt(const std::string& groupResource,
                                                     const std::optional<std::string>& ns,
                                                     std::uint64_t rv) const {
  if (rv < compactedRv_) return std::nullopt;
  std::map<ObjectKey, Json> state;
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
  std::vector<Json> out;
  for (auto& [key, obj] : state) {
    if (!ns || key.ns == *ns) out.push_back(std::move(obj));
  }
  return out;
}

std::vector<std::pair<std::string, Json>> ObjectStore::all() const {
  std::vector<std::pair<std::string, Json>> out;
  for (const auto& [gr, objs] : objects_) {
    for (const auto& [key, obj] : objs) out.emplace_back(gr, obj);
  }
  return out;
}

Json ObjectStore::put(const std::string& groupResource, const ObjectKey& key, Json object) {
  object["metadata"]["resourceVersion"] = std::to_string(++rv_);
  auto& slot = objects_[groupResource];
  auto it = slot.find(key);
  Change change{rv_, ChangeType::Added, groupResource, key, object, nullptr};
  if (it != slot.end()) {
    change.type = ChangeType::Modified;
    change.previous = it->second;
    it->second = object;
  } else {
    slot.emplace(key, object);
  }
  record(std::move(change));
  return object;
}

Json ObjectStore::erase(const std::string& groupResource, const ObjectKey& key) {
  auto r = objects_.find(groupResource);
  if (r == objects_.end()) return nullptr;
  auto it = r->second.find(key);
  if (it == r->second.end()) return nullptr;
  Json previous = std::move(it->second);
  r->second.erase(it);
  Json last = previous;
  last["metadata"]["resourceVersion"] = std::to_string(++rv_);
  record(Change{rv_, ChangeType::Deleted, groupResource, key, last, std::move(previous)});
  return last;
}

std::vector<const Change*> ObjectStore::changesSince(std::uint64_t after) const {
  std::vector<const Change*> out;
  for (const auto& c : history_) {
    if (c.rv > after) out.push_back(&c);
  }
  return out;
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
