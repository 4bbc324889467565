#pragma once
// The project's CustomResourceDefinitions (crds/: TelemetryRollout and ClusterTelemetryRollout)
// applied to a kubesim with its kubectl, each waited for until it is Established, so that
// rollouts can be created and the operator's informers of them can sync.

#include <string>

#include "tests/support/kubesim_process.h"

namespace tro::bench {

// False, with kubectl's message in `error`, when the apply or the wait failed.
bool applyCrd(testing::Kubesim& kubesim, std::string& error);

}  // namespace tro::bench
