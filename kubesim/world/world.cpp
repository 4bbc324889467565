#include "kubesim/world/world.h"

#include <map>
#include <utility>

#include "kubesim/world/json_util.h"
#include "kubesim/world/knobs.h"
#include "kubesim/world/rollout_math.h"

namespace kubesim::world {
namespace {

constexpr const char* kManager = "kube-controller-manager";
const Json::json_pointer kUid("/metadata/uid");

// Runs one controller step, turning library exceptions from malformed objects into errors.
// Returns false when the step failed (it is retried next pass).
template <typename F>
bool guarded(std::vector<ApiError>& errors, const std::string& what, F&& step) {
  try {
    Result<void> r = step();
    if (r) return true;
    errors.push_back(r.error());
  } catch (const std::exception& e) {
    errors.push_back(internalError(what + ": " + e.what()));
  }
  return false;
}

// A ReplicaSet whose pods all exist and are available, as its status last said.
bool replicaSetSettled(const Json& rs) {
  const int desired = replicasAt(rs, Json::json_pointer("/spec/replicas"), 1);
  auto counter = [&](const char* name) {
    return replicasAt(rs, Json::json_pointer(std::string("/status/") + name), 0);
  };
  return counter("replicas") == desired && counter("readyReplicas") == desired &&
         counter("availableReplicas") == desired && counter("fullyLabeledReplicas") == desired &&
         intAt(rs, Json::json_pointer("/status/observedGeneration")) >=
             intAt(rs, Json::json_pointer("/metadata/generation"));
}

// A StatefulSet with every pod Ready at the update revision (or at rest below its partition).
bool statefulSetSettled(const Json& set) {
  const int desired = replicasAt(set, Json::json_pointer("/spec/replicas"), 1);
  const std::string status = "/status/";
  auto counter = [&](const char* name) {
    return replicasAt(set, Json::json_pointer(status + name), 0);
  };
  const bool onDelete = strAt(set, Json::json_pointer("/spec/updateStrategy/type")) == "OnDelete";
  const auto partition =
      intAt(set, Json::json_pointer("/spec/updateStrategy/rollingUpdate/partition"));
  return counter("replicas") == desired && counter("readyReplicas") == desired &&
         counter("availableReplicas") == desired &&
         (onDelete || counter("updatedReplicas") >= desired - partition) &&
         intAt(set, Json::json_pointer("/status/observedGeneration")) >=
             intAt(set, Json::json_pointer("/metadata/generation"));
}

// A DaemonSet with an available, up-to-date pod on every node (OnDelete: an available pod).
bool daemonSetSettled(const Json& set) {
  auto counter = [&](const char* name) {
    return intAt(set, Json::json_pointer(std::string("/status/") + name), 0);
  };
  const bool onDelete = strAt(set, Json::json_pointer("/spec/updateStrategy/type")) == "OnDelete";
  const auto desired = counter("desiredNumberScheduled");
  return counter("numberAvailable") == desired &&
         (onDelete || counter("updatedNumberScheduled") == desired) &&
         intAt(set, Json::json_pointer("/status/observedGeneration")) >=
             intAt(set, Json::json_pointer("/metadata/generation"));
}

}  // namespace

World::World(api::ApiServer& server, const tro::base::Clock& clock, WorldOptions options,
             ErrorSink onError)
    : server_(server),
      clock_(clock),
      options_(std::move(options)),
      onError_(std::move(onError)),
      deploymentClient_(server, "system:serviceaccount:kube-system:deployment-controller",
                        kManager),
      replicaSetClient_(server, "system:serviceaccount:kube-system:replicaset-controller",
                        kManager),
      statefulSetClient_(server, "system:serviceaccount:kube-system:statefulset-controller",
                         kManager),
      daemonSetClient_(server, "system:serviceaccount:kube-system:daemon-set-controller", kManager),
      kubeletClient_(server, "system:node:" + options_.nodeName, "kubelet"),
      deployments_(deploymentClient_, clock_, options_.seed),
      replicaSets_(replicaSetClient_, clock_, options_),
      statefulSets_(statefulSetClient_, clock_, options_.seed, options_.workerNodes),
      daemonSets_(daemonSetClient_, clock_, options_.nodes, options_.seed),
      pods_(kubeletClient_, options_) {
  subscription_ = server_.subscribe(WorldCache::groupResources(), [this](const api::Change& c) {
    std::lock_guard l(waitMu_);
    inbox_.push_back(c);
  });
}

World::~World() {
  stop();
  server_.unsubscribe(subscription_);
}

void World::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](std::stop_token st) { loop(st); });
}

void World::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  {
    std::lock_guard l(waitMu_);
    wake_.notify_all();
  }
  thread_.join();
}

void World::loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    for (const ApiError& e : reconcileAll()) {
      if (onError_) onError_(e);
    }
    std::unique_lock l(waitMu_);
    if (stop.stop_requested()) break;
    clock_.waitUntil(l, wake_, clock_.monotonicNow() + options_.tick, stop);
  }
}

std::vector<ApiError> World::reconcileAll() {
  std::lock_guard l(mu_);
  return reconcileLocked();
}

std::uint64_t World::writesSent() {
  std::lock_guard l(mu_);
  return deploymentClient_.writes() + replicaSetClient_.writes() + statefulSetClient_.writes() +
         daemonSetClient_.writes() + kubeletClient_.writes();
}

std::size_t World::converging() {
  std::lock_guard l(mu_);
  std::size_t n = 0;
  for (const auto& keys : active_) n += keys.size();
  return n;
}

std::string World::renderMetrics() {
  std::lock_guard l(mu_);
  apps_.advance(clock_.now());
  return apps_.render();
}

void World::drainInbox() {
  std::vector<api::Change> changes;
  {
    std::lock_guard l(waitMu_);
    changes.swap(inbox_);
  }
  for (const auto& c : changes) cache_.apply(c);
}

std::set<api::ObjectKey> World::due(SimKind kind) {
  std::set<api::ObjectKey> keys = cache_.take(kind);
  auto& active = active_[static_cast<int>(kind)];
  keys.merge(active);
  active.clear();
  return keys;
}

std::vector<ApiError> World::reconcileLocked() {
  std::vector<ApiError> errors;
  // Each controller sees the writes of the one before it in the same pass, as a full relist did.
  drainInbox();
  stepDeployments(errors);
  drainInbox();
  stepReplicaSets(errors);
  drainInbox();
  stepStatefulSets(errors);
  drainInbox();
  stepDaemonSets(errors);
  drainInbox();
  stepPods(errors);
  if (auto removed = cache_.takeRemovedPods(); !removed.empty()) {
    for (const auto& uid : removed) pods_.forget(uid);
    std::map<std::string, bool> alive;
    for (const auto& uid : cache_.uids(SimKind::Pod)) alive[uid] = true;
    apps_.retain(alive);
  }
  return errors;
}

template <typename Reconcile, typename Settled>
void World::stepKind(SimKind kind, const char* what, std::vector<ApiError>& errors,
                     Reconcile&& reconcileOne, Settled&& settled) {
  auto& active = active_[static_cast<int>(kind)];
  for (const auto& key : due(kind)) {
    const Json* object = cache_.find(kind, key);
    if (object == nullptr) continue;
    const bool ok = guarded(errors, std::string(what) + " " + key.name,
                            [&] { return reconcileOne(*object, strAt(*object, kUid)); });
    if (!ok || !settled(*object)) active.insert(key);
  }
}

// Deployment controller: one step per Deployment with the ReplicaSets it controls.
void World::stepDeployments(std::vector<ApiError>& errors) {
  stepKind(
      SimKind::Deployment, "deployment", errors,
      [&](const Json& d, const std::string& uid) {
        return deployments_.reconcile(d, cache_.liveChildren(SimKind::ReplicaSet, uid));
      },
      [](const Json& d) { return deploymentComplete(d, d.value("status", Json::object())); });
}

void World::stepReplicaSets(std::vector<ApiError>& errors) {
  stepKind(
      SimKind::ReplicaSet, "replicaset", errors,
      [&](const Json& rs, const std::string& uid) {
        return replicaSets_.reconcile(rs, cache_.liveChildren(SimKind::Pod, uid));
      },
      replicaSetSettled);
}

// A StatefulSet sees its terminating pods too: their names stay taken until they are gone.
void World::stepStatefulSets(std::vector<ApiError>& errors) {
  stepKind(
      SimKind::StatefulSet, "statefulset", errors,
      [&](const Json& set, const std::string& uid) {
        return statefulSets_.reconcile(set, cache_.allChildren(SimKind::Pod, uid));
      },
      statefulSetSettled);
}

void World::stepDaemonSets(std::vector<ApiError>& errors) {
  stepKind(
      SimKind::DaemonSet, "daemonset", errors,
      [&](const Json& set, const std::string& uid) {
        return daemonSets_.reconcile(set, cache_.liveChildren(SimKind::Pod, uid));
      },
      daemonSetSettled);
}

const Json* World::workloadOf(const Json& pod) const {
  const std::string owner = controllerUid(pod);
  if (const Json* rs = cache_.findUid(SimKind::ReplicaSet, owner)) {
    return cache_.findUid(SimKind::Deployment, controllerUid(*rs));
  }
  if (const Json* set = cache_.findUid(SimKind::StatefulSet, owner)) return set;
  return cache_.findUid(SimKind::DaemonSet, owner);
}

// Kubelet and apps: each pod's status, and its app's behaviour from its workload's knobs (the
// metrics' `deployment` label names the workload, whatever its kind).
void World::stepPods(std::vector<ApiError>& errors) {
  auto& active = active_[static_cast<int>(SimKind::Pod)];
  const auto now = clock_.now();
  for (const auto& key : due(SimKind::Pod)) {
    const Json* pod = cache_.find(SimKind::Pod, key);
    if (pod == nullptr) continue;
    PodIdentity id{key.ns, "", key.name};
    const Json* workload = workloadOf(*pod);
    if (workload != nullptr) id.deployment = strAt(*workload, Json::json_pointer("/metadata/name"));
    const PodProfile profile =
        profileOf(pod->value("spec", Json::object()), options_.telemetryFlags);
    const Behaviour behaviour =
        behaviourOf(knobsFromDeployment(workload != nullptr ? *workload : Json()), profile);
    const bool ok = guarded(errors, "pod " + key.name, [&] {
      apps_.upsert(strAt(*pod, kUid), id, profile, behaviour, PodSimulator::isReady(*pod), now);
      return pods_.reconcile(*pod, behaviour, now);
    });
    if (!ok || !pods_.settled(*pod, behaviour, now)) active.insert(key);
  }
}

}  // namespace kubesim::world
