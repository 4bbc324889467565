#pragma once
// Whether Deployments have finished rolling out, by the rules `kubectl rollout status` applies:
// the controller observed the current generation, every replica is updated, no old replica is
// left, and every updated replica is available.

#include <string>

#include "operator/kube/api_client.h"

namespace tro::bench {

// Pure: one Deployment as the API returns it.
bool rolledOut(const kube::Json& deployment);

// Every Deployment of `ns` rolled out with env var `flag` == `value`, and there are `count` of
// them. On false, `why` (when given) names the first one that is not (or the list error).
bool setRolledOut(kube::ApiClient& client, const std::string& ns, int count,
                  const std::string& flag, const std::string& value, std::string* why = nullptr);

}  // namespace tro::bench
