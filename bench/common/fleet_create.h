#pragma once
// Creating the fleet of fleet_manifest.h in a kubesim that holds none of it yet: its namespaces
// one after the other, then its Deployments from `threads` clients (runEach), each client sending
// its next create as soon as the previous one was answered.

#include <string>

#include "bench/common/fleet_manifest.h"
#include "bench/common/parallel.h"
#include "operator/base/result.h"
#include "operator/kube/api_client.h"

namespace tro::bench {

// The Deployments' creates, failed ones counted in the result (their first error kept). Error: a
// namespace could not be created (no Deployment was sent then).
base::Result<ParallelResult, std::string> createFleet(kube::ApiClient& client,
                                                      const FleetShape& shape, int threads);

}  // namespace tro::bench
