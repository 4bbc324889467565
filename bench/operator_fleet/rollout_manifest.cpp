#include "bench/operator_fleet/rollout_manifest.h"

#include "bench/common/manifests.h"
#include "controllers/rollout/targets.h"

namespace tro::bench {
namespace {

int groupOf(int rollout) { return rollout / kFleetNamespaces; }

}  // namespace

FleetShape fleetShapeOf(int deployments) {
  FleetShape shape;
  shape.deployments = deployments;
  shape.namespaces = kFleetNamespaces;
  shape.replicas = 2;
  shape.realistic = true;
  return shape;
}

int maxRollouts(int deployments) { return deployments / kFleetGroupSize * kFleetNamespaces; }

int firstWaveSize() { return controllers::waveSize(kFirstWaveWeight, kTargetsPerRollout); }

std::string rolloutNamespace(int rollout) {
  // The namespace of the fleet's Deployments with index `rollout` mod 10: fleetNamespace() reads
  // only the shape's namespace count.
  return fleetNamespace(fleetShapeOf(0), rollout);
}

std::string rolloutName(int rollout) { return "tro-g" + std::to_string(groupOf(rollout)); }

kube::Json fleetRollout(int rollout) {
  const kube::Json steps = kube::Json::array({{{"setWeight", kFirstWaveWeight}},
                                              {{"pause", {{"duration", kWindow}}}},
                                              {{"setWeight", 100}}});
  return {
      {"apiVersion", "rollout.telemetry.io/v1alpha1"},
      {"kind", "TelemetryRollout"},
      {"metadata", {{"name", rolloutName(rollout)}, {"namespace", rolloutNamespace(rollout)}}},
      {"spec",
       {{"selector",
         {{"matchLabels", {{kFleetGroupLabel, "g" + std::to_string(groupOf(rollout))}}}}},
        {"flag", {{"name", kFlag}, {"enabledValue", kEnabledValue}, {"disabledValue", "false"}}},
        {"strategy", {{"steps", steps}}}}}};
}

std::vector<int> rolloutTargets(int rollout) {
  std::vector<int> out;
  const int first = groupOf(rollout) * kFleetGroupSize + rollout % kFleetNamespaces;
  for (int j = 0; j < kTargetsPerRollout; ++j) out.push_back(first + j * kFleetNamespaces);
  return out;
}

std::map<std::string, int> firstWaves(int rollouts) {
  std::map<std::string, int> out;
  const int wave = firstWaveSize();
  for (int r = 0; r < rollouts; ++r) {
    const std::vector<int> targets = rolloutTargets(r);
    for (int j = 0; j < wave; ++j) {
      out.emplace(rolloutNamespace(r) + "/" + fleetName(targets[static_cast<std::size_t>(j)]), r);
    }
  }
  return out;
}

}  // namespace tro::bench
