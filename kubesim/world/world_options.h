#pragma once
// Settings of the simulated world: its speed and what the simulated apps honour.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kubesim::world {

struct WorldOptions {
  // A new pod turns Running this long after the world first sees it...
  std::chrono::milliseconds podStartDelay{50};
  // ...and Ready this long after it was first seen (unless a fault keeps it unready).
  std::chrono::milliseconds podReadyDelay{200};
  // A crash-looping container restarts once per period.
  std::chrono::milliseconds crashLoopPeriod{std::chrono::seconds(10)};
  // Period of the background reconcile loop (in the injected clock's time).
  std::chrono::milliseconds tick{50};
  // Env var names whose value "true" turns the app's telemetry on.
  std::vector<std::string> telemetryFlags{"FEATURE_OTEL", "TELEMETRY_ENABLED"};
  // Seed of the pod-name suffix generator (reproducible names in tests).
  std::uint64_t seed = 0x7e1e;
  // The kubelet stand-in's node: it writes every pod's status as system:node:<nodeName>. The
  // names are the Nodes the API server registers at startup (api_server.cpp, a kind cluster's).
  std::string nodeName = "kubesim-worker";
  // The simulated nodes a DaemonSet runs one pod on each of (as a DaemonSet that tolerates the
  // control plane's taint, like kube-proxy).
  std::vector<std::string> nodes{"kubesim-control-plane", "kubesim-worker", "kubesim-worker2"};
  // Where the scheduler stand-in puts the pods of ReplicaSets and StatefulSets (spec.nodeName,
  // set when the pod is created): the nodes without the control plane's NoSchedule taint.
  std::vector<std::string> workerNodes{"kubesim-worker", "kubesim-worker2"};
  // Each node's InternalIP (as its Node's status.addresses), which a pod on it reports as hostIP.
  std::map<std::string, std::string> nodeAddresses{{"kubesim-control-plane", "172.18.0.2"},
                                                   {"kubesim-worker", "172.18.0.3"},
                                                   {"kubesim-worker2", "172.18.0.4"}};
};

}  // namespace kubesim::world
