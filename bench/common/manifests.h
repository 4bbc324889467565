#pragma once
// Manifests of the benchmark workloads, as YAML text for `kubectl apply -f`. Pure.

#include <string>
#include <vector>

namespace tro::bench {

inline constexpr const char* kSetLabel = "bench.telemetry.io/set";  // selects one set
inline constexpr const char* kFlag = "FEATURE_OTEL";
inline constexpr const char* kContainer = "app";  // the only container; kFlag its only env var

struct DeploymentSet {
  std::string ns;
  int count = 1;
  int replicas = 2;
  std::string flagValue = "false";  // FEATURE_OTEL in the app container
  int requestRate = 20;             // kubesim.io/request-rate: requests/s per ready pod
};

// "svc-000", "svc-001", ... (zero-padded so that name order is numeric order).
std::vector<std::string> deploymentNames(int count);
// The Namespace and `set.count` Deployments labelled kSetLabel=<ns>, one YAML stream.
std::string deploymentSetYaml(const DeploymentSet& set);

}  // namespace tro::bench
