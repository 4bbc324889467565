#pragma once
// How long a 3-replica Deployment takes to roll out on kubesim as kubectl users see it: from the
// start of `kubectl apply -f` of a new Deployment to `kubectl rollout status` exiting 0. Each
// repetition applies a Deployment of its own. Also times `kubectl get deployment` as the floor
// that any kubectl command pays (process start, TLS, one round trip) on this machine.

#include <functional>
#include <string>
#include <vector>

#include "bench/common/kubectl.h"
#include "bench/common/stats.h"

namespace tro::bench {

struct RolloutTimings {
  std::vector<double> applyToRolledOut;  // s, per repetition
  std::vector<double> kubectlGet;        // s, per repetition
  std::string error;                     // empty when every repetition completed
};

// `writeFile(name, content)` returns the path of a file holding `content`.
RolloutTimings timeRollouts(
    const Kubectl& kubectl, const std::string& ns, int repetitions,
    const std::function<std::string(const std::string&, const std::string&)>& writeFile);

}  // namespace tro::bench
