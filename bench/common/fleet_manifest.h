#pragma once
// The fleet of the fleet benchmarks (kubesim_throughput --fleet, operator_fleet): Deployment i
// is "fleet-<i, 5 digits>" in namespace "fleet-<i mod namespaces>", with `replicas` replicas of
// one container. Its pod template carries the label kFleetGroupLabel = "g<i / kFleetGroupSize>",
// which ReplicaSets and pods inherit, so one label selector finds everything that belongs to a
// group of 100 Deployments; within one namespace such a group holds 100 / namespaces of them.
// Pure.

#include <string>

#include "operator/kube/resource.h"

namespace tro::bench {

inline constexpr const char* kFleetGroupLabel = "bench.telemetry.io/fleet-group";
inline constexpr int kFleetGroupSize = 100;

struct FleetShape {
  int deployments = 5000;
  int namespaces = 10;
  int replicas = 2;
  // A pod template as teams write them (12 settings in env, FEATURE_OTEL=false, a port,
  // resources, a readiness probe) and two annotations: about 4.4 KB of JSON per Deployment as
  // the API returns it, the size issue 11 measured on a real server. Otherwise one bare
  // container.
  bool realistic = false;
};

std::string fleetNamespace(const FleetShape& shape, int index);
std::string fleetName(int index);
// "bench.telemetry.io/fleet-group=g<group>": the pods, ReplicaSets and Deployments of the group.
std::string fleetGroupSelector(int group);
kube::Json fleetNamespaceObject(const std::string& name);
kube::Json fleetDeployment(const FleetShape& shape, int index);

// The fleet benchmark's rule for one Deployment as the API returns it: the controller observed
// the current generation and status.updatedReplicas, readyReplicas and availableReplicas all
// equal `replicas`.
bool fleetRolledOut(const kube::Json& deployment, int replicas);

// metadata.annotations[key] when it is a string, "" otherwise.
std::string annotationOf(const kube::Json& object, const std::string& key);
// "<namespace>/<name>" of an object.
std::string objectKey(const kube::Json& object);

}  // namespace tro::bench
