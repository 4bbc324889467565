#pragma once
// World: the simulated cluster behind kubesim's API. It owns the controllers (Deployment,
// ReplicaSet, StatefulSet, DaemonSet, the kubelet stand-in) and the apps' metrics model. Every
// change goes through the ApiServer as an in-process client (users
// system:serviceaccount:kube-system:<kind>-controller, system:node:<node>; field manager
// kube-controller-manager / kubelet).
//
// Use from main (after the ApiServer exists; declare the MetricsServer after the World):
//   kubesim::world::World world(api, clock, kubesim::world::WorldOptions{},
//                               [&](const kubesim::ApiError& e) { /* log e.message */ });
//   world.start();                            // background reconcile loop every options.tick
//   kubesim::world::MetricsServer metrics(world, port);   // GET /metrics on 127.0.0.1:port
//   if (auto r = metrics.start(); !r) { /* report r.error().message, exit */ }
// Tests skip start() and call reconcileAll() after advancing a SimulatedClock.
// Event-driven, like the real controllers: the world follows the ApiServer's change feed in a
// WorldCache (shared objects, no copies, no LISTs) and each pass steps only the objects that
// changed since the last pass or are still converging (a rollout in progress, a pod not yet
// Ready, a crash loop); a settled fleet costs nothing per tick. Repeated passes converge to what
// stepping every object would give, in the same order. Thread-safe (one mutex serialises passes).

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/world/app_model.h"
#include "kubesim/world/daemonset_controller.h"
#include "kubesim/world/deployment_controller.h"
#include "kubesim/world/pod_simulator.h"
#include "kubesim/world/replicaset_controller.h"
#include "kubesim/world/sim_client.h"
#include "kubesim/world/statefulset_controller.h"
#include "kubesim/world/world_cache.h"
#include "kubesim/world/world_options.h"
#include "operator/base/clock.h"

namespace kubesim::world {

class World {
 public:
  // Receives the errors of background passes (e.g. to log them); the loop retries next tick.
  using ErrorSink = std::function<void(const ApiError&)>;
  World(api::ApiServer& server, const tro::base::Clock& clock, WorldOptions options,
        ErrorSink onError = {});
  ~World();  // stops the loop
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Starts the background loop (idempotent). It runs reconcileAll() every options.tick.
  void start();
  void stop();
  // One pass of every controller over the objects that need it. Returns the errors of this pass
  // (empty when all went well); a failed step is retried on the next pass.
  std::vector<ApiError> reconcileAll();
  // Objects the last pass left to step again on the next one without any change (a rollout in
  // progress, a pod not yet Ready, a crash loop). 0 once the simulated cluster has settled.
  std::size_t converging();
  // Write requests the controllers have sent so far (tests: a converged world writes nothing).
  std::uint64_t writesSent();
  // Prometheus text for every pod, counters advanced to the clock's now.
  std::string renderMetrics();

 private:
  std::vector<ApiError> reconcileLocked();
  void loop(std::stop_token stop);
  // Moves the changes the feed delivered into the cache.
  void drainInbox();
  // The objects of `kind` to step this pass: marked by changes, or still converging.
  std::set<api::ObjectKey> due(SimKind kind);
  // One controller's pass over the due objects of `kind`: reconcileOne(object, uid), and the
  // object stays active while settled(object) is false or the step failed.
  template <typename Reconcile, typename Settled>
  void stepKind(SimKind kind, const char* what, std::vector<ApiError>& errors,
                Reconcile&& reconcileOne, Settled&& settled);
  void stepDeployments(std::vector<ApiError>& errors);
  void stepReplicaSets(std::vector<ApiError>& errors);
  void stepStatefulSets(std::vector<ApiError>& errors);
  void stepDaemonSets(std::vector<ApiError>& errors);
  void stepPods(std::vector<ApiError>& errors);
  // The workload whose knobs a pod follows: its ReplicaSet's Deployment, its StatefulSet or its
  // DaemonSet; null for a pod of none.
  const Json* workloadOf(const Json& pod) const;

  api::ApiServer& server_;
  const tro::base::Clock& clock_;
  WorldOptions options_;
  ErrorSink onError_;
  SimClient deploymentClient_;
  SimClient replicaSetClient_;
  SimClient statefulSetClient_;
  SimClient daemonSetClient_;
  SimClient kubeletClient_;
  DeploymentController deployments_;
  ReplicaSetController replicaSets_;
  StatefulSetController statefulSets_;
  DaemonSetController daemonSets_;
  PodSimulator pods_;
  std::mutex mu_;  // guards the controllers' memory, cache_, active_ and apps_; serialises passes
  AppModel apps_;
  WorldCache cache_;
  std::set<api::ObjectKey> active_[kSimKinds];  // by SimKind: stepped again next pass
  std::mutex waitMu_;                           // the loop's timed wait and inbox_
  std::condition_variable_any wake_;
  std::vector<api::Change> inbox_;  // from the change feed (called under the server's lock)
  std::uint64_t subscription_ = 0;
  std::jthread thread_;
};

}  // namespace kubesim::world
