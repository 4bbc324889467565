#include "bench/common/api_session.h"

#include "operator/kube/kubeconfig.h"
#include "operator/kube/rest_client.h"
#include "operator/kube/transport/cpprest_transport.h"

namespace tro::bench {

kube::Result<std::unique_ptr<ApiSession>> ApiSession::open(
    const std::filesystem::path& kubeconfig) {
  auto config = kube::loadKubeconfigFile(kubeconfig.string());
  if (!config.ok()) return kube::fail(std::move(config).error());
  config->userAgent = "tro-bench";
  auto transport = kube::transport::makeHttpTransport(*config);
  if (!transport.ok()) return kube::fail(std::move(transport).error());
  auto client = std::make_unique<kube::RestClient>(**transport);
  return std::make_unique<ApiSession>(std::move(transport).value(), std::move(client));
}

}  // namespace tro::bench
