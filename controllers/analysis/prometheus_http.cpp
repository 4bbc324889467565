#include "controllers/analysis/prometheus_http.h"

#include <fstream>
#include <sstream>

#include "operator/kube/transport/cpprest_transport.h"

namespace tro::controllers::analysis {

namespace {

PrometheusError configError(std::string message) {
  return PrometheusError{PrometheusError::Kind::Config, 0, "", std::move(message)};
}

}  // namespace

PromResult<PrometheusApiPtr> makePrometheusClient(const AnalysisSpec& spec) {
  kube::ClusterConfig config;
  config.server = spec.prometheusAddress;
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  config.tokenFile = spec.bearerTokenFile;
  config.userAgent = "telemetry-rollout-operator/analysis";
  if (!spec.caFile.empty()) {
    std::ifstream in(spec.caFile, std::ios::binary);
    std::ostringstream pem;
    pem << in.rdbuf();
    if (!in || pem.str().empty()) {
      return base::fail(configError("prometheus caFile \"" + spec.caFile + "\": cannot read"));
    }
    config.certificateAuthorityPem = pem.str();
  }
  auto transport = kube::transport::makeHttpTransport(config);
  if (!transport.ok()) {
    return base::fail(configError("prometheus address \"" + spec.prometheusAddress +
                                  "\": " + transport.error().message));
  }
  auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(spec.timeout);
  return PrometheusApiPtr(std::make_unique<PrometheusClient>(std::move(*transport), timeout));
}

}  // namespace tro::controllers::analysis
