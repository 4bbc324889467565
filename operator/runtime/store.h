#pragma once
// Store: the informer's thread-safe cache of one resource type, keyed by "namespace/name" (or
// "name" for cluster-scoped objects). One writer (the informer), many readers.
//
// Contract:
//  - Readers get std::shared_ptr<const Json> snapshots; never mutate them (sample-controller:
//    "NEVER modify objects from the store"). A snapshot stays valid after the store moves on.
//  - replace() swaps the whole content atomically: a reader sees either the old or the new set,
//    never a mix (the relist after 410 Gone relies on this).
//  - StoreOptions::transform runs on every object before it is stored (e.g. stripManagedFields);
//    it must be idempotent, and it must keep every field a write is computed from (a write built
//    from a copy that lost a field would remove that field on the server).
//  - Packed stores (StoreOptions::packed) keep each body as its compact JSON text, about an
//    eighth of the memory of a JSON tree, and decode it on every read: a read costs a parse, so
//    a packed store suits many objects read a few at a time (Deployments, found through the
//    indexes below). Namespace, name, resourceVersion, labels and index values are kept typed
//    beside the text, so the indexes and label predicates never decode a body.
//  - Indexes: by namespace (listNamespace, listMatching evaluate predicates within one namespace
//    only), and one per StoreOptions::indexers entry (listByIndex; client-go's Indexers). Both
//    are maintained on every write.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tro::runtime {

using Json = nlohmann::json;
using ObjectPtr = std::shared_ptr<const Json>;
using Transform = std::function<Json(Json)>;
// Receives metadata.labels (an object; empty when the object has none).
using LabelPredicate = std::function<bool(const Json& labels)>;
// The values one object has under an index (e.g. the rollout named in an annotation).
using IndexFunction = std::function<std::vector<std::string>(const Json& object)>;

// Drops metadata.managedFields: large, and never needed by a controller's reads.
Json stripManagedFields(Json object);

// "namespace/name", or "name" when metadata.namespace is absent or empty.
std::string objectKey(const Json& object);
std::string objectKey(const std::string& ns, const std::string& name);
// metadata.resourceVersion, or "" when absent.
std::string resourceVersionOf(const Json& object);

struct StoreOptions {
  Transform transform;
  bool packed = false;
  std::map<std::string, IndexFunction> indexers;  // index name -> values of one object
};
// Trees with `transform`, no indexes.
StoreOptions treesWith(Transform transform);

// One object as a store keeps it: identity, labels and index values read once; the body as a
// shared tree or (packed) as compact JSON text.
class StoredObject {
 public:
  const std::string& key() const { return key_; }
  const std::string& ns() const { return ns_; }
  const std::string& resourceVersion() const { return resourceVersion_; }
  const Json& labels() const { return labels_; }
  // The body: the shared tree, or a fresh decode of the packed text.
  ObjectPtr object() const;

 private:
  friend class Store;
  std::string key_;
  std::string ns_;
  std::string resourceVersion_;
  Json labels_;
  std::vector<std::string> indexKeys_;  // "<index>\n<value>" per index value
  ObjectPtr tree_;                      // unpacked stores
  std::string text_;                    // packed stores
};
using StoredPtr = std::shared_ptr<const StoredObject>;

// What replace() changed, so the informer can call its handlers after the swap. Entries, not
// decoded objects: a relist of thousands of packed objects decodes them one handler at a time.
struct StoreDiff {
  std::vector<StoredPtr> added;
  std::vector<std::pair<StoredPtr, StoredPtr>> updated;    // (old, new), any resourceVersion change
  std::vector<std::pair<StoredPtr, StoredPtr>> unchanged;  // same resourceVersion
  std::vector<StoredPtr> removed;
};

class Store {
 public:
  explicit Store(StoreOptions options = {});
  explicit Store(Transform transform) : Store(treesWith(std::move(transform))) {}
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The object as the store keeps it: transformed, packed when the store packs, indexed. The
  // informer prepares each listed object as its page arrives, so a relist never holds whole
  // objects at once.
  StoredPtr prepare(Json object) const;

  // Upsert. Returns {previous (null if new), stored}.
  std::pair<ObjectPtr, ObjectPtr> apply(Json object);
  // Removes by the object's key; returns what was stored (null if absent).
  ObjectPtr remove(const Json& object);
  // Atomically swaps the content for `objects` and records `resourceVersion`.
  StoreDiff replace(std::vector<Json> objects, const std::string& resourceVersion);
  // The same with objects prepare() made.
  StoreDiff replacePrepared(std::vector<StoredPtr> objects, const std::string& resourceVersion);

  ObjectPtr get(const std::string& key) const;
  ObjectPtr get(const std::string& ns, const std::string& name) const;
  std::vector<ObjectPtr> list() const;
  std::vector<ObjectPtr> listNamespace(const std::string& ns) const;
  // Objects in `ns` whose labels satisfy `predicate`; ns "" means all namespaces.
  std::vector<ObjectPtr> listMatching(const std::string& ns, const LabelPredicate& predicate) const;
  // Objects in `ns` ("" = all) carrying label key=value.
  std::vector<ObjectPtr> listByLabel(const std::string& ns, const std::string& key,
                                     const std::string& value) const;
  // Objects in `ns` ("" = all) with `value` under the indexer `index` (none if no such index).
  std::vector<ObjectPtr> listByIndex(const std::string& ns, const std::string& index,
                                     const std::string& value) const;
  size_t size() const;
  // The last resourceVersion seen: from replace() or the last applied/removed object.
  std::string lastResourceVersion() const;
  void setLastResourceVersion(const std::string& resourceVersion);

 private:
  struct Content {
    std::map<std::string, StoredPtr> objects;
    std::map<std::string, std::set<std::string>> byNamespace;  // ns -> keys
    std::map<std::string, std::set<std::string>> byIndex;      // "<index>\n<value>" -> keys
    void insert(StoredPtr object);
    void erase(const std::string& key);
  };
  // prepare(), and the object as a tree (the entry's own, or the one its text was made from).
  std::pair<StoredPtr, ObjectPtr> prepareTree(Json object) const;
  // Under mu_: the entries of `keys` in `ns` ("" = any) whose labels satisfy `predicate`.
  void gather(const std::set<std::string>& keys, const std::string& ns,
              const LabelPredicate& predicate, std::vector<StoredPtr>& out) const;
  static std::vector<ObjectPtr> decode(const std::vector<StoredPtr>& objects);

  const StoreOptions options_;
  mutable std::mutex mu_;
  Content content_;          // guarded by mu_
  std::string lastVersion_;  // guarded by mu_
};

}  // namespace tro::runtime
