#include "operator/runtime/store.h"

#include <utility>

namespace tro::runtime {
namespace {

std::string stringAt(const Json& object, const char* a, const char* b) {
  auto it = object.find(a);
  if (it == object.end() || !it->is_object()) return "";
  auto jt = it->find(b);
  return jt != it->end() && jt->is_string() ? jt->get<std::string>() : "";
}

std::string namespaceOf(const Json& object) { return stringAt(object, "metadata", "namespace"); }

const Json& labelsOf(const Json& object) {
  static const Json kEmpty = Json::object();  // immutable; not shared mutable state
  auto md = object.find("metadata");
  if (md == object.end() || !md->is_object()) return kEmpty;
  auto labels = md->find("labels");
  return labels != md->end() && labels->is_object() ? *labels : kEmpty;
}

std::vector<std::string> labelPairs(const Json& object) {
  std::vector<std::string> pairs;
  for (const auto& [k, v] : labelsOf(object).items()) {
    if (v.is_string()) pairs.push_back(k + "=" + v.get<std::string>());
  }
  return pairs;
}

}  // namespace

Json stripManagedFields(Json object) {
  auto md = object.find("metadata");
  if (md != object.end() && md->is_object()) md->erase("managedFields");
  return object;
}

std::string objectKey(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

std::string objectKey(const Json& object) {
  return objectKey(namespaceOf(object), stringAt(object, "metadata", "name"));
}

std::string resourceVersionOf(const Json& object) {
  return stringAt(object, "metadata", "resourceVersion");
}

void Store::Content::insert(const std::string& key, ObjectPtr object) {
  erase(key);
  byNamespace[namespaceOf(*object)].insert(key);
  for (const auto& pair : labelPairs(*object)) byLabel[pair].insert(key);
  objects.emplace(key, std::move(object));
}

void Store::Content::erase(const std::string& key) {
  auto it = objects.find(key);
  if (it == objects.end()) return;
  auto ns = byNamespace.find(namespaceOf(*it->second));
  if (ns != byNamespace.end() && ns->second.erase(key) && ns->second.empty()) byNamespace.erase(ns);
  for (const auto& pair : labelPairs(*it->second)) {
    auto l = byLabel.find(pair);
    if (l != byLabel.end() && l->second.erase(key) && l->second.empty()) byLabel.erase(l);
  }
  objects.erase(it);
}

Store::Store(Transform transform) : transform_(std::move(transform)) {}

ObjectPtr Store::prepare(Json object) const {
  if (transform_) object = transform_(std::move(object));
  return std::make_shared<const Json>(std::move(object));
}

std::pair<ObjectPtr, ObjectPtr> Store::apply(Json object) {
  ObjectPtr stored = prepare(std::move(object));
  std::string key = objectKey(*stored);
  std::lock_guard l(mu_);
  auto it = content_.objects.find(key);
  ObjectPtr previous = it == content_.objects.end() ? nullptr : it->second;
  content_.insert(key, stored);
  if (auto rv = resourceVersionOf(*stored); !rv.empty()) lastVersion_ = rv;
  return {previous, stored};
}

ObjectPtr Store::remove(const Json& object) {
  std::string key = objectKey(object);
  std::lock_guard l(mu_);
  if (auto rv = resourceVersionOf(object); !rv.empty()) lastVersion_ = rv;
  auto it = content_.objects.find(key);
  if (it == content_.objects.end()) return nullptr;
  ObjectPtr previous = it->second;
  content_.erase(key);
  return previous;
}

StoreDiff Store::replace(std::vector<Json> objects, const std::string& resourceVersion) {
  // Build the new content outside the lock, then swap: readers see old or new, never a mix.
  Content fresh;
  for (auto& object : objects) {
    ObjectPtr stored = prepare(std::move(object));
    std::string key = objectKey(*stored);  // before the move: argument order is unspecified
    fresh.insert(key, std::move(stored));
  }
  std::map<std::string, ObjectPtr> now = fresh.objects;  // shared pointers: cheap to copy
  Content old;
  {
    std::lock_guard l(mu_);
    std::swap(content_, fresh);
    lastVersion_ = resourceVersion;
  }
  old = std::move(fresh);
  StoreDiff diff;
  for (const auto& [key, object] : now) {
    auto it = old.objects.find(key);
    if (it == old.objects.end()) {
      diff.added.push_back(object);
    } else if (resourceVersionOf(*it->second) != resourceVersionOf(*object)) {
      diff.updated.emplace_back(it->second, object);
    } else {
      diff.unchanged.emplace_back(it->second, object);
    }
  }
  for (const auto& [key, object] : old.objects) {
    if (!now.contains(key)) diff.removed.push_back(object);
  }
  return diff;
}

ObjectPtr Store::get(const std::string& key) const {
  std::lock_guard l(mu_);
  auto it = content_.objects.find(key);
  return it == content_.objects.end() ? nullptr : it->second;
}

ObjectPtr Store::get(const std::string& ns, const std::string& name) const {
  return get(objectKey(ns, name));
}

std::vector<ObjectPtr> Store::list() const {
  std::lock_guard l(mu_);
  std::vector<ObjectPtr> out;
  out.reserve(content_.objects.size());
  for (const auto& [key, object] : content_.objects) out.push_back(object);
  return out;
}

std::vector<ObjectPtr> Store::collect(const std::set<std::string>& keys, const std::string& ns,
                                      const LabelPredicate& predicate) const {
  std::vector<ObjectPtr> out;
  for (const auto& key : keys) {
    const ObjectPtr& object = content_.objects.at(key);
    if (!ns.empty() && namespaceOf(*object) != ns) continue;
    if (predicate && !predicate(labelsOf(*object))) continue;
    out.push_back(object);
  }
  return out;
}

std::vector<ObjectPtr> Store::listNamespace(const std::string& ns) const {
  return listMatching(ns, {});
}

std::vector<ObjectPtr> Store::listMatching(const std::string& ns,
                                           const LabelPredicate& predicate) const {
  std::lock_guard l(mu_);
  if (ns.empty()) {
    std::vector<ObjectPtr> out;
    for (const auto& [name, keys] : content_.byNamespace) {
      auto part = collect(keys, "", predicate);
      out.insert(out.end(), part.begin(), part.end());
    }
    return out;
  }
  auto it = content_.byNamespace.find(ns);
  if (it == content_.byNamespace.end()) return {};
  return collect(it->second, "", predicate);
}

std::vector<ObjectPtr> Store::listByLabel(const std::string& ns, const std::string& key,
                                          const std::string& value) const {
  std::lock_guard l(mu_);
  auto it = content_.byLabel.find(key + "=" + value);
  if (it == content_.byLabel.end()) return {};
  return collect(it->second, ns, {});
}

size_t Store::size() const {
  std::lock_guard l(mu_);
  return content_.objects.size();
}

std::string Store::lastResourceVersion() const {
  std::lock_guard l(mu_);
  return lastVersion_;
}

void Store::setLastResourceVersion(const std::string& resourceVersion) {
  std::lock_guard l(mu_);
  lastVersion_ = resourceVersion;
}

}  // namespace tro::runtime
