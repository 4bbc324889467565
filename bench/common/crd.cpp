#include "bench/common/crd.h"

#include <vector>

namespace tro::bench {

bool applyCrd(testing::Kubesim& kubesim, std::string& error) {
  // Both CRDs, as the shipped install applies them: without the cluster one, the operator's
  // ClusterTelemetryRollout informer keeps asking for it (a 404 every backoff period).
  for (const std::string name : {"telemetryrollouts.rollout.telemetry.io",
                                 "clustertelemetryrollouts.rollout.telemetry.io"}) {
    const std::string crd = std::string(TRO_SOURCE_DIR) + "/crds/" + name + ".yaml";
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"apply", "-f", crd},
          {"wait", "--for=condition=Established", "crd/" + name, "--timeout=60s"}}) {
      testing::RunResult r = kubesim.kubectl(args);
      if (r.exitCode != 0) {
        error = "kubectl " + args[0] + " (CRD " + name + "): " + r.err;
        return false;
      }
    }
  }
  return true;
}

}  // namespace tro::bench
