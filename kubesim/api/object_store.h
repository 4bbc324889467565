#pragma once
// In-memory object storage with one global, strictly increasing resourceVersion and a bounded
// history of changes (for watches that resume and for consistent list snapshots).
// NOT thread-safe: the ApiServer guards it with its one mutex.
// Objects are stored per group/resource ("apps/deployments", "/pods") keyed by (namespace, name),
// in the order a real server lists them (namespace, then name). A stored object is immutable and
// shared: the store, its history, lists and watch deliveries hold the same ObjectPtr, so nothing
// copies a whole object to read it. Two indexes serve garbage collection without scans: by uid,
// and by the uids in metadata.ownerReferences.

#include <compare>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::api {

using ObjectPtr = std::shared_ptr<const Json>;

struct ObjectKey {
  std::string ns;
  std::string name;
  auto operator<=>(const ObjectKey&) const = default;
};

// Where a stored object lives: its group/resource and key.
struct ObjectRef {
  std::string groupResource;
  ObjectKey key;
  auto operator<=>(const ObjectRef&) const = default;
};

enum class ChangeType { Added, Modified, Deleted };
const char* changeTypeName(ChangeType t);

struct Change {
  std::uint64_t rv = 0;
  ChangeType type = ChangeType::Added;
  std::string groupResource;
  ObjectKey key;
  ObjectPtr object;  // new state (for Deleted: the last state, with the deletion's resourceVersion)
  ObjectPtr previous;  // old state (null for Added)
};

// metadata.uid and the uids of metadata.ownerReferences (empty strings for absent ones).
std::string uidOf(const Json& object);
std::vector<std::string> ownerUidsOf(const Json& object);

class ObjectStore {
 public:
  using Listener = std::function<void(const Change&)>;
  ObjectStore(std::uint64_t firstRv, std::size_t historyLimit, Listener listener);

  std::uint64_t currentRv() const { return rv_; }
  // Resource versions <= this have been dropped from the history.
  std::uint64_t compactedRv() const { return compactedRv_; }

  const Json* get(const std::string& groupResource, const ObjectKey& key) const;
  // Current objects, optionally only one namespace's.
  std::vector<ObjectPtr> list(const std::string& groupResource,
                              const std::optional<std::string>& ns) const;
  // Objects as they were at `rv` (consistent paging); nullopt when the history no longer covers it.
  std::optional<std::vector<ObjectPtr>> listAt(const std::string& groupResource,
                                               const std::optional<std::string>& ns,
                                               std::uint64_t rv) const;
  // Every object of every resource in namespace `ns`.
  std::vector<ObjectRef> inNamespace(const std::string& ns) const;
  // The object with metadata.uid `uid`, if one is stored.
  std::optional<ObjectRef> findUid(const std::string& uid) const;
  // Objects whose ownerReferences name `ownerUid`, in a stable order.
  std::vector<ObjectRef> dependentsOf(const std::string& ownerUid) const;
  bool hasDependents(const std::string& ownerUid) const;

  // Writes stamp metadata.resourceVersion with a new version and record a change.
  ObjectPtr put(const std::string& groupResource, const ObjectKey& key, Json object);
  // Removes the object; returns its last state (null when there was none).
  ObjectPtr erase(const std::string& groupResource, const ObjectKey& key);

  // Forgets every recorded change (compactedRv() becomes currentRv()).
  void compact();
  // Changes with rv > `after`, oldest first (caller checks compactedRv() first).
  std::vector<const Change*> changesSince(std::uint64_t after) const;
  // Number of stored objects (all resources).
  std::size_t size() const { return size_; }

 private:
  void record(Change change);
  void index(const ObjectRef& ref, const Json* before, const Json* after);

  std::uint64_t rv_;
  std::uint64_t compactedRv_;
  std::size_t historyLimit_;
  Listener listener_;
  std::map<std::string, std::map<ObjectKey, ObjectPtr>> objects_;
  std::size_t size_ = 0;
  std::deque<Change> history_;
  std::unordered_map<std::string, ObjectRef> byUid_;
  std::unordered_map<std::string, std::set<ObjectRef>> byOwner_;
};

}  // namespace kubesim::api
