#pragma once
// Store: the informer's thread-safe cache of one resource type, keyed by "namespace/name" (or
// "name" for cluster-scoped objects). One writer (the informer), many readers.
//
// Contract:
//  - Readers get std::shared_ptr<const Json> snapshots; never mutate them (sample-controller:
//    "NEVER modify objects from the store"). A snapshot stays valid after the store moves on.
//  - replace() swaps the whole content atomically: a reader sees either the old or the new set,
//    never a mix (the relist after 410 Gone relies on this).
//  - An optional transform runs on every object before it is stored (e.g. stripManagedFields);
//    it must be idempotent (the informer projects listed objects as they arrive).
//  - Indexes: by namespace (listNamespace, listMatching evaluate predicates within one namespace
//    only) and by label pair (listByLabel). Both are maintained on every write.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace tro::runtime {

using Json = nlohmann::json;
using ObjectPtr = std::shared_ptr<const Json>;
using Transform = std::function<Json(Json)>;
// Receives metadata.labels (an object; empty when the object has none).
using LabelPredicate = std::function<bool(const Json& labels)>;

// Drops metadata.managedFields: large, and never needed by a controller's reads.
Json stripManagedFields(Json object);

// "namespace/name", or "name" when metadata.namespace is absent or empty.
std::string objectKey(const Json& object);
std::string objectKey(const std::string& ns, const std::string& name);
// metadata.resourceVersion, or "" when absent.
std::string resourceVersionOf(const Json& object);

// What replace() changed, so the informer can call its handlers after the swap.
struct StoreDiff {
  std::vector<ObjectPtr> added;
  std::vector<std::pair<ObjectPtr, ObjectPtr>> updated;    // (old, new), any resourceVersion change
  std::vector<std::pair<ObjectPtr, ObjectPtr>> unchanged;  // same resourceVersion
  std::vector<ObjectPtr> removed;
};

class Store {
 public:
  explicit Store(Transform transform = {});
  // The object as the store keeps it (the transform applied); idempotent. The informer projects
  // each listed object as its page arrives, so a relist never holds whole objects at once.
  Json project(Json object) const { return transform_ ? transform_(std::move(object)) : object; }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Upsert. Returns {previous (null if new), stored}.
  std::pair<ObjectPtr, ObjectPtr> apply(Json object);
  // Removes by the object's key; returns what was stored (null if absent).
  ObjectPtr remove(const Json& object);
  // Atomically swaps the content for `objects` and records `resourceVersion`.
  StoreDiff replace(std::vector<Json> objects, const std::string& resourceVersion);

  ObjectPtr get(const std::string& key) const;
  ObjectPtr get(const std::string& ns, const std::string& name) const;
  std::vector<ObjectPtr> list() const;
  std::vector<ObjectPtr> listNamespace(const std::string& ns) const;
  // Objects in `ns` whose labels satisfy `predicate`; ns "" means all namespaces.
  std::vector<ObjectPtr> listMatching(const std::string& ns, const LabelPredicate& predicate) const;
  // Objects in `ns` ("" = all) carrying label key=value, served from the label index.
  std::vector<ObjectPtr> listByLabel(const std::string& ns, const std::string& key,
                                     const std::string& value) const;
  size_t size() const;
  // The last resourceVersion seen: from replace() or the last applied/removed object.
  std::string lastResourceVersion() const;
  void setLastResourceVersion(const std::string& resourceVersion);

 private:
  struct Content {
    std::map<std::string, ObjectPtr> objects;
    std::map<std::string, std::set<std::string>> byNamespace;  // ns -> keys
    std::map<std::string, std::set<std::string>> byLabel;      // "k=v" -> keys
    void insert(const std::string& key, ObjectPtr object);
    void erase(const std::string& key);
  };
  ObjectPtr prepare(Json object) const;
  std::vector<ObjectPtr> collect(const std::set<std::string>& keys, const std::string& ns,
                                 const LabelPredicate& predicate) const;

  Transform transform_;
  mutable std::mutex mu_;
  Content content_;          // guarded by mu_
  std::string lastVersion_;  // guarded by mu_
};

}  // namespace tro::runtime
