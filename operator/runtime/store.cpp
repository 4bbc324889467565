#include "operator/runtime/store.h"

#include <utility>

#include "operator/kube/json_fields.h"

namespace tro::runtime {
namespace {

Json labelsOf(const Json& object) {
  auto md = object.find("metadata");
  if (md == object.end() || !md->is_object()) return Json::object();
  auto labels = md->find("labels");
  return labels != md->end() && labels->is_object() ? *labels : Json::object();
}

std::string indexKey(const std::string& index, const std::string& value) {
  return index + '\n' + value;
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
  return objectKey(kube::stringAt(object, "metadata", "namespace"),
                   kube::stringAt(object, "metadata", "name"));
}

std::string resourceVersionOf(const Json& object) {
  return kube::stringAt(object, "metadata", "resourceVersion");
}

StoreOptions treesWith(Transform transform) {
  StoreOptions options;
  options.transform = std::move(transform);
  return options;
}

ObjectPtr StoredObject::object() const {
  if (tree_) return tree_;
  // The text was dumped by prepare(): it parses.
  return std::make_shared<const Json>(Json::parse(text_));
}

void Store::Content::insert(StoredPtr object) {
  erase(object->key());
  byNamespace[object->ns()].insert(object->key());
  for (const auto& k : object->indexKeys_) byIndex[k].insert(object->key());
  std::string key = object->key();
  objects.emplace(std::move(key), std::move(object));
}

void Store::Content::erase(const std::string& key) {
  auto it = objects.find(key);
  if (it == objects.end()) return;
  auto dropFrom = [&key](std::map<std::string, std::set<std::string>>& index,
                         const std::string& at) {
    auto entry = index.find(at);
    if (entry != index.end() && entry->second.erase(key) && entry->second.empty()) {
      index.erase(entry);
    }
  };
  dropFrom(byNamespace, it->second->ns());
  for (const auto& k : it->second->indexKeys_) dropFrom(byIndex, k);
  objects.erase(it);
}

Store::Store(StoreOptions options) : options_(std::move(options)) {}

std::pair<StoredPtr, ObjectPtr> Store::prepareTree(Json object) const {
  if (options_.transform) object = options_.transform(std::move(object));
  auto stored = std::make_shared<StoredObject>();
  stored->ns_ = kube::stringAt(object, "metadata", "namespace");
  stored->key_ = objectKey(stored->ns_, kube::stringAt(object, "metadata", "name"));
  stored->resourceVersion_ = resourceVersionOf(object);
  stored->labels_ = labelsOf(object);
  for (const auto& [index, values] : options_.indexers) {
    for (const auto& value : values(object)) stored->indexKeys_.push_back(indexKey(index, value));
  }
  auto tree = std::make_shared<const Json>(std::move(object));
  if (options_.packed) {
    stored->text_ = tree->dump();
    stored->text_.shrink_to_fit();
  } else {
    stored->tree_ = tree;
  }
  return {std::move(stored), std::move(tree)};
}

StoredPtr Store::prepare(Json object) const { return prepareTree(std::move(object)).first; }

std::pair<ObjectPtr, ObjectPtr> Store::apply(Json object) {
  auto [stored, tree] = prepareTree(std::move(object));
  StoredPtr previous;
  {
    std::lock_guard l(mu_);
    auto it = content_.objects.find(stored->key());
    if (it != content_.objects.end()) previous = it->second;
    content_.insert(stored);
    if (!stored->resourceVersion().empty()) lastVersion_ = stored->resourceVersion();
  }
  // Decoded outside the lock: a packed store parses here.
  return {previous ? previous->object() : nullptr, std::move(tree)};
}

ObjectPtr Store::remove(const Json& object) {
  std::string key = objectKey(object);
  StoredPtr previous;
  {
    std::lock_guard l(mu_);
    if (auto rv = resourceVersionOf(object); !rv.empty()) lastVersion_ = rv;
    auto it = content_.objects.find(key);
    if (it == content_.objects.end()) return nullptr;
    previous = it->second;
    content_.erase(key);
  }
  return previous->object();
}

StoreDiff Store::replace(std::vector<Json> objects, const std::string& resourceVersion) {
  std::vector<StoredPtr> prepared;
  prepared.reserve(objects.size());
  for (auto& object : objects) prepared.push_back(prepare(std::move(object)));
  return replacePrepared(std::move(prepared), resourceVersion);
}

StoreDiff Store::replacePrepared(std::vector<StoredPtr> objects,
                                 const std::string& resourceVersion) {
  // Build the new content outside the lock, then swap: readers see old or new, never a mix.
  Content fresh;
  for (auto& object : objects) fresh.insert(std::move(object));
  {
    std::lock_guard l(mu_);
    std::swap(content_, fresh);
    lastVersion_ = resourceVersion;
  }
  const Content& old = fresh;  // swapped: `fresh` now holds the previous content
  StoreDiff diff;
  std::lock_guard l(mu_);  // content_ is only written by this thread, but read it guarded
  for (const auto& [key, object] : content_.objects) {
    auto it = old.objects.find(key);
    if (it == old.objects.end()) {
      diff.added.push_back(object);
    } else if (it->second->resourceVersion() != object->resourceVersion()) {
      diff.updated.emplace_back(it->second, object);
    } else {
      diff.unchanged.emplace_back(it->second, object);
    }
  }
  for (const auto& [key, object] : old.objects) {
    if (!content_.objects.contains(key)) diff.removed.push_back(object);
  }
  return diff;
}

ObjectPtr Store::get(const std::string& key) const {
  StoredPtr found;
  {
    std::lock_guard l(mu_);
    auto it = content_.objects.find(key);
    if (it == content_.objects.end()) return nullptr;
    found = it->second;
  }
  return found->object();
}

ObjectPtr Store::get(const std::string& ns, const std::string& name) const {
  return get(objectKey(ns, name));
}

std::vector<ObjectPtr> Store::list() const { return listMatching("", {}); }

void Store::gather(const std::set<std::string>& keys, const std::string& ns,
                   const LabelPredicate& predicate, std::vector<StoredPtr>& out) const {
  for (const auto& key : keys) {
    const StoredPtr& object = content_.objects.at(key);
    if (!ns.empty() && object->ns() != ns) continue;
    if (predicate && !predicate(object->labels())) continue;
    out.push_back(object);
  }
}

std::vector<ObjectPtr> Store::decode(const std::vector<StoredPtr>& objects) {
  std::vector<ObjectPtr> out;
  out.reserve(objects.size());
  for (const auto& object : objects) out.push_back(object->object());
  return out;
}

std::vector<ObjectPtr> Store::listNamespace(const std::string& ns) const {
  return listMatching(ns, {});
}

std::vector<ObjectPtr> Store::listMatching(const std::string& ns,
                                           const LabelPredicate& predicate) const {
  std::vector<StoredPtr> found;
  {
    std::lock_guard l(mu_);
    if (ns.empty()) {
      for (const auto& [key, object] : content_.objects) {
        if (!predicate || predicate(object->labels())) found.push_back(object);
      }
    } else if (auto it = content_.byNamespace.find(ns); it != content_.byNamespace.end()) {
      gather(it->second, "", predicate, found);
    }
  }
  return decode(found);  // outside the lock: a packed store parses here
}

std::vector<ObjectPtr> Store::listByLabel(const std::string& ns, const std::string& key,
                                          const std::string& value) const {
  return listMatching(ns, [&](const Json& labels) {
    auto it = labels.find(key);
    return it != labels.end() && it->is_string() && it->get<std::string>() == value;
  });
}

std::vector<ObjectPtr> Store::listByIndex(const std::string& ns, const std::string& index,
                                          const std::string& value) const {
  std::vector<StoredPtr> found;
  {
    std::lock_guard l(mu_);
    auto it = content_.byIndex.find(indexKey(index, value));
    if (it != content_.byIndex.end()) gather(it->second, ns, {}, found);
  }
  return decode(found);
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
