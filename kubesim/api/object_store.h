#pragma once
// In-memory object storage with one global, strictly increasing resourceVersion and a bounded
// history of changes (for watches that resume and for consistent list snapshots).
// NOT thread-safe: the ApiServer guards it with its one mutex.
// Objects are stored per group/resource ("apps/deployments", "/pods") keyed by (namespace, name),
// in the order a real server lists them (namespace, then name).

#include <compare>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::api {

struct ObjectKey {
  std::string ns;
  std::string name;
  auto operator<=>(const ObjectKey&) const = default;
};

enum class ChangeType { Added, Modified, Deleted };
const char* changeTypeName(ChangeType t);

struct Change {
  std::uint64_t rv = 0;
  ChangeType type = ChangeType::Added;
  std::string groupResource;
  ObjectKey key;
  Json object;    // new state (for Deleted: the last state, with the deletion's resourceVersion)
  Json previous;  // old state (null for Added)
};

class ObjectStore {
 public:
  using Listener = std::function<void(const Change&)>;
  ObjectStore(std::uint64_t firstRv, std::size_t historyLimit, Listener listener);

  std::uint64_t currentRv() const { return rv_; }
  // Resource versions <= this have been dropped from the history.
  std::uint64_t compactedRv() const { return compactedRv_; }

  const Json* get(const std::string& groupResource, const ObjectKey& key) const;
  // Current objects, optionally only one namespace's.
  std::vector<Json> list(const std::string& groupResource,
                         const std::optional<std::string>& ns) const;
  // Objects as they were at `rv` (consistent paging); nullopt when the history no longer covers it.
  std::optional<std::vector<Json>> listAt(const std::string& groupResource,
                                          const std::optional<std::string>& ns,
                                          std::uint64_t rv) const;
  // Every key of every resource that currently has objects (used for GC and namespace checks).
  std::vector<std::pair<std::string, Json>> all() const;

  // Writes stamp metadata.resourceVersion with a new version and record a change.
  Json put(const std::string& groupResource, const ObjectKey& key, Json object);
  Json erase(const std::string& groupResource, const ObjectKey& key);

  // Changes with rv > `after`, oldest first (caller checks compactedRv() first).
  std::vector<const Change*> changesSince(std::uint64_t after) const;

 private:
  void record(Change change);

  std::uint64_t rv_;
  std::uint64_t compactedRv_;
  std::size_t historyLimit_;
  Listener listener_;
  std::map<std::string, std::map<ObjectKey, Json>> objects_;
  std::deque<Change> history_;
};

}  // namespace kubesim::api
