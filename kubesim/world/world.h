#pragma once
// World: the simulated cluster behind kubesim's API. It owns the controllers (Deployment,
// ReplicaSet, the kubelet stand-in) and the apps' metrics model. Every change goes through the
// ApiServer as an in-process client (users system:serviceaccount:kube-system:deployment-controller,
// ...:replicaset-controller, system:node:<node>; field manager kube-controller-manager / kubelet).
//
// Use from main (after the ApiServer exists; declare the MetricsServer after the World):
//   kubesim::world::World world(api, clock, kubesim::world::WorldOptions{},
//                               [&](const kubesim::ApiError& e) { /* log e.message */ });
//   world.start();                            // background reconcile loop every options.tick
//   kubesim::world::MetricsServer metrics(world, port);   // GET /metrics on 127.0.0.1:port
//   if (auto r = metrics.start(); !r) { /* report r.error().message, exit */ }
// Tests skip start() and call reconcileAll() after advancing a SimulatedClock.
// Level-based: each reconcileAll() lists Deployments, ReplicaSets and pods and performs one step
// of every controller; repeated calls converge. Thread-safe (one mutex serialises passes).

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/world/app_model.h"
#include "kubesim/world/deployment_controller.h"
#include "kubesim/world/pod_simulator.h"
#include "kubesim/world/replicaset_controller.h"
#include "kubesim/world/sim_client.h"
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
  // One pass of every controller. Returns the errors of this pass (empty when all went well);
  // a failed step is retried on the next pass.
  std::vector<ApiError> reconcileAll();
  // Write requests the controllers have sent so far (tests: a converged world writes nothing).
  std::uint64_t writesSent();
  // Prometheus text for every pod, counters advanced to the clock's now.
  std::string renderMetrics();

 private:
  std::vector<ApiError> reconcileLocked();
  void loop(std::stop_token stop);

  const tro::base::Clock& clock_;
  WorldOptions options_;
  ErrorSink onError_;
  SimClient deploymentClient_;
  SimClient replicaSetClient_;
  SimClient kubeletClient_;
  DeploymentController deployments_;
  ReplicaSetController replicaSets_;
  PodSimulator pods_;
  std::mutex mu_;  // guards the controllers' memory and apps_; serialises passes
  AppModel apps_;
  std::mutex waitMu_;  // only for the loop's timed wait
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace kubesim::world
