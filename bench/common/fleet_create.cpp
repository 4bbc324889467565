#include "bench/common/fleet_create.h"

#include <algorithm>

namespace tro::bench {

base::Result<ParallelResult, std::string> createFleet(kube::ApiClient& client,
                                                      const FleetShape& shape, int threads) {
  const kube::WriteOptions write{"tro-bench", false, ""};
  for (int n = 0; n < std::min(shape.namespaces, shape.deployments); ++n) {
    const std::string ns = fleetNamespace(shape, n);
    auto created =
        client.create(kube::resources::namespaces(), "", fleetNamespaceObject(ns), write);
    if (!created.ok()) return base::fail("namespace " + ns + ": " + created.error().toString());
  }
  return runEach(shape.deployments, threads, [&](int i) {
    return errorOf(client.create(kube::resources::deployments(), fleetNamespace(shape, i),
                                 fleetDeployment(shape, i), write));
  });
}

}  // namespace tro::bench
