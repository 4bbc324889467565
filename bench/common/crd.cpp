#include "bench/common/crd.h"

#include <vector>

namespace tro::bench {

bool applyCrd(testing::Kubesim& kubesim, std::string& error) {
  const std::string crd =
      std::string(TRO_SOURCE_DIR) + "/crds/telemetryrollouts.rollout.telemetry.io.yaml";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"apply", "-f", crd},
        {"wait", "--for=condition=Established", "crd/telemetryrollouts.rollout.telemetry.io",
         "--timeout=60s"}}) {
    testing::RunResult r = kubesim.kubectl(args);
    if (r.exitCode != 0) {
      error = "kubectl " + args[0] + " (CRD): " + r.err;
      return false;
    }
  }
  return true;
}

}  // namespace tro::bench
