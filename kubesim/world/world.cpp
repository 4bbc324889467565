#include "kubesim/world/world.h"

#include <map>
#include <utility>

#include "kubesim/world/json_util.h"
#include "kubesim/world/knobs.h"

namespace kubesim::world {
namespace {

constexpr const char* kManager = "kube-controller-manager";
const Json::json_pointer kUid("/metadata/uid");

bool terminating(const Json& obj) {
  return obj.contains(Json::json_pointer("/metadata/deletionTimestamp"));
}

// Runs one controller step, turning library exceptions from malformed objects into errors.
template <typename F>
void guarded(std::vector<ApiError>& errors, const std::string& what, F&& step) {
  try {
    Result<void> r = step();
    if (!r) errors.push_back(r.error());
  } catch (const std::exception& e) {
    errors.push_back(internalError(what + ": " + e.what()));
  }
}

std::map<std::string, std::vector<Json>> byController(const Json& items) {
  std::map<std::string, std::vector<Json>> out;
  for (const Json& item : items) {
    if (terminating(item)) continue;
    const std::string owner = controllerUid(item);
    if (!owner.empty()) out[owner].push_back(item);
  }
  return out;
}

std::map<std::string, Json> byUid(const Json& items) {
  std::map<std::string, Json> out;
  for (const Json& item : items) out[strAt(item, kUid)] = item;
  return out;
}

}  // namespace

World::World(api::ApiServer& server, const tro::base::Clock& clock, WorldOptions options,
             ErrorSink onError)
    : clock_(clock),
      options_(std::move(options)),
      onError_(std::move(onError)),
      deploymentClient_(server, "system:serviceaccount:kube-system:deployment-controller",
                        kManager),
      replicaSetClient_(server, "system:serviceaccount:kube-system:replicaset-controller",
                        kManager),
      kubeletClient_(server, "system:node:" + options_.nodeName, "kubelet"),
      deployments_(deploymentClient_, clock_, options_.seed),
      replicaSets_(replicaSetClient_, clock_, options_),
      pods_(kubeletClient_, clock_, options_) {}

World::~World() { stop(); }

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
    clock_.waitUntil(l, wake_, clock_.now() + options_.tick, stop);
  }
}

std::vector<ApiError> World::reconcileAll() {
  std::lock_guard l(mu_);
  return reconcileLocked();
}

std::uint64_t World::writesSent() {
  std::lock_guard l(mu_);
  return deploymentClient_.writes() + replicaSetClient_.writes() + kubeletClient_.writes();
}

std::string World::renderMetrics() {
  std::lock_guard l(mu_);
  apps_.advance(clock_.now());
  return apps_.render();
}

std::vector<ApiError> World::reconcileLocked() {
  std::vector<ApiError> errors;
  auto deployments = deploymentClient_.list("/apis/apps/v1/deployments");
  auto rsBefore = deploymentClient_.list("/apis/apps/v1/replicasets");
  if (!deployments || !rsBefore) {
    errors.push_back(!deployments ? deployments.error() : rsBefore.error());
    return errors;
  }
  // Deployment controller: one step per Deployment with the ReplicaSets it controls.
  auto rsByOwner = byController(*rsBefore);
  for (const Json& d : *deployments) {
    const std::string uid = strAt(d, kUid);
    guarded(errors, "deployment " + strAt(d, Json::json_pointer("/metadata/name")),
            [&] { return deployments_.reconcile(d, rsByOwner[uid]); });
  }
  // ReplicaSet controller sees this pass's scaling.
  auto replicaSets = replicaSetClient_.list("/apis/apps/v1/replicasets");
  auto podsBefore = replicaSetClient_.list("/api/v1/pods");
  if (!replicaSets || !podsBefore) {
    errors.push_back(!replicaSets ? replicaSets.error() : podsBefore.error());
    return errors;
  }
  auto podsByOwner = byController(*podsBefore);
  for (const Json& rs : *replicaSets) {
    guarded(errors, "replicaset " + strAt(rs, Json::json_pointer("/metadata/name")),
            [&] { return replicaSets_.reconcile(rs, podsByOwner[strAt(rs, kUid)]); });
  }
  // Kubelet and apps see the pods created just now.
  auto pods = kubeletClient_.list("/api/v1/pods");
  if (!pods) {
    errors.push_back(pods.error());
    return errors;
  }
  const auto rsIndex = byUid(*replicaSets);
  const auto deploymentIndex = byUid(*deployments);
  std::map<std::string, bool> alive;
  const auto now = clock_.now();
  for (const Json& pod : *pods) {
    const std::string uid = strAt(pod, kUid);
    alive[uid] = true;
    guarded(errors, "pod " + strAt(pod, Json::json_pointer("/metadata/name")), [&] {
      PodIdentity id{strAt(pod, Json::json_pointer("/metadata/namespace")), "",
                     strAt(pod, Json::json_pointer("/metadata/name"))};
      Json deployment;
      if (auto rs = rsIndex.find(controllerUid(pod)); rs != rsIndex.end()) {
        if (auto d = deploymentIndex.find(controllerUid(rs->second)); d != deploymentIndex.end()) {
          deployment = d->second;
          id.deployment = strAt(deployment, Json::json_pointer("/metadata/name"));
        }
      }
      const PodProfile profile =
          profileOf(pod.value("spec", Json::object()), options_.telemetryFlags);
      const Behaviour behaviour = behaviourOf(knobsFromDeployment(deployment), profile);
      apps_.upsert(uid, id, profile, behaviour, PodSimulator::isReady(pod), now);
      return pods_.reconcile(pod, behaviour);
    });
  }
  pods_.retain(alive);
  apps_.retain(alive);
  return errors;
}

}  // namespace kubesim::world
