#pragma once
// Identifies a kind of resource on the API server, and the options of each verb. Plain values,
// shared by the pure request builders (requests.h) and the ApiClient interface.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace tro::kube {

using Json = nlohmann::json;

struct ResourceType {
  std::string group;     // "" for the core group
  std::string version;   // v1, v1alpha1
  std::string resource;  // plural: deployments
  std::string kind;      // Deployment
  bool namespaced = true;
  std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
  bool operator==(const ResourceType&) const = default;
};

// The kinds the operator uses.
namespace resources {
inline ResourceType deployments() { return {"apps", "v1", "deployments", "Deployment", true}; }
inline ResourceType statefulSets() { return {"apps", "v1", "statefulsets", "StatefulSet", true}; }
inline ResourceType daemonSets() { return {"apps", "v1", "daemonsets", "DaemonSet", true}; }
inline ResourceType leases() { return {"coordination.k8s.io", "v1", "leases", "Lease", true}; }
inline ResourceType events() { return {"", "v1", "events", "Event", true}; }
inline ResourceType secrets() { return {"", "v1", "secrets", "Secret", true}; }
inline ResourceType namespaces() { return {"", "v1", "namespaces", "Namespace", false}; }
inline ResourceType telemetryRollouts() {
  return {"rollout.telemetry.io", "v1alpha1", "telemetryrollouts", "TelemetryRollout", true};
}
inline ResourceType clusterTelemetryRollouts() {
  return {"rollout.telemetry.io", "v1alpha1", "clustertelemetryrollouts", "ClusterTelemetryRollout",
          false};
}
}  // namespace resources

struct ListOptions {
  std::string labelSelector;
  std::string fieldSelector;
  int limit = 0;  // 0 = no limit
  std::string continueToken;
  std::string resourceVersion;       // "" = most recent (quorum read); "0" = any
  std::string resourceVersionMatch;  // NotOlderThan | Exact | ""
};

struct WatchOptions {
  std::string labelSelector;
  std::string fieldSelector;
  std::string resourceVersion;  // resume point; "" or "0" = start with synthetic ADDED events
  int timeoutSeconds = 300;     // server closes the stream after this; the watcher re-opens it
  bool allowBookmarks = true;
};

struct WriteOptions {
  std::string fieldManager;  // required for apply; recommended for every write
  bool dryRun = false;
  std::string fieldValidation;  // "", Strict, Warn, Ignore
};

enum class PatchType { Json, Merge, StrategicMerge, Apply };

struct PatchOptions {
  std::string fieldManager;
  bool force = false;       // apply only: take ownership from conflicting managers
  std::string subresource;  // "" or "status"
  bool dryRun = false;
};

struct DeleteOptions {
  std::string propagationPolicy;  // "", Background, Foreground, Orphan
  std::optional<std::string> preconditionUid;
  std::optional<std::string> preconditionResourceVersion;
  std::optional<int> gracePeriodSeconds;
};

enum class WatchEventType { Added, Modified, Deleted, Bookmark };

struct WatchEvent {
  WatchEventType type;
  Json object;  // the object (DELETED: its last state; BOOKMARK: only metadata.resourceVersion)
};

}  // namespace tro::kube
