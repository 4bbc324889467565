#include "tests/integration/runtime/kubesim_server.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <regex>

#include "operator/kube/kubeconfig.h"
#include "operator/kube/transport/cpprest_transport.h"
#include "operator/kube/transport/rate_limited_transport.h"
#include "operator/kube/transport/retrying_transport.h"
#include "tests/support/yaml_json.h"

namespace tro::testing {

kube::Result<std::unique_ptr<ClientStack>> connect(const kube::ClusterConfig& config) {
  auto http = kube::transport::makeHttpTransport(config);
  if (!http.ok()) return kube::fail(std::move(http).error());
  auto stack = std::make_unique<ClientStack>();
  stack->limiter =
      std::make_unique<kube::transport::RateLimiter>(config.qps, config.burst, stack->clock);
  auto limited = std::make_unique<kube::transport::RateLimitedTransport>(std::move(http).value(),
                                                                         *stack->limiter);
  stack->transport = std::make_unique<kube::transport::RetryingTransport>(
      std::move(limited), kube::transport::RetryConfig{}, stack->clock);
  stack->api = std::make_unique<kube::RestClient>(*stack->transport);
  return stack;
}

std::unique_ptr<KubesimServer> KubesimServer::start(const std::vector<std::string>& extraFlags,
                                                    std::string& error) {
  auto kubesim = Kubesim::start(extraFlags, error);
  if (!kubesim) return nullptr;
  return std::make_unique<KubesimServer>(std::move(kubesim));
}

kube::Result<std::string> createTestNamespace(kube::ApiClient& api, const std::string& prefix,
                                              const std::string& testName) {
  std::string name = prefix + testName;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  name.resize(std::min<size_t>(name.size(), 63));
  auto created =
      api.create(kube::resources::namespaces(), "",
                 {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}}, {});
  if (!created.ok()) return kube::fail(std::move(created).error());
  return name;
}

kube::Result<kube::ClusterConfig> KubesimServer::config() const {
  return kube::loadKubeconfigFile(kubeconfig().string());
}

kube::Result<kube::Json> yamlToJson(const std::string& yaml) {
  try {
    return yamlToJson(YAML::Load(yaml));
  } catch (const YAML::Exception& e) {
    return kube::fail(kube::Error{
        kube::ErrorKind::Decode, 0, "", std::string("yaml: ") + e.what(), {}, std::nullopt});
  }
}

}  // namespace tro::testing
