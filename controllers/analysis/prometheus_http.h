#pragma once
// The production PrometheusApi: a PrometheusClient over the cpprestsdk transport. Lives in its
// own library (tro_analysis_prometheus) so that pure controller code and its tests never link
// the HTTP stack.
//
// Where a rollout's Prometheus is and how to authenticate come from one of two places, never
// from a file the rollout names (docs/security.md):
//  - spec.analysis.prometheus.provider: a Prometheus the cluster admin defined in the providers
//    file (--prometheus-providers): address, and optionally a bearer-token file and a CA file
//    in the operator's own container. Admin-defined, so not subject to the host allow-list.
//  - spec.analysis.prometheus.address, subject to --allowed-prometheus-hosts, with optional
//    credentials from Secrets in the rollout's own namespace: authorization.secretRef (key
//    "token" for Bearer, "username" and "password" for Basic) and tls.caSecretRef. A Secret is
//    used only when it carries the annotation rollout.telemetry.io/analysis-credentials: "true",
//    so a rollout cannot send a Secret its author could not already hand out.
// Bounds: every answer at most kMaxPrometheusResponseBytes, each request within its timeout as
// a whole (connect to last byte), no redirects followed, destinations checked again at every
// request (DNS included). Secret values at most kMaxSecretValueBytes (CA: base::kMaxCaFileBytes).

#include <chrono>
#include <map>
#include <string>

#include "controllers/analysis/prometheus_client.h"
#include "controllers/api/spec_types.h"
#include "operator/kube/api_client.h"
#include "operator/kube/destination_policy.h"

namespace tro::controllers::analysis {

inline constexpr size_t kMaxPrometheusResponseBytes = 4u << 20;
inline constexpr size_t kMaxSecretValueBytes = 64u << 10;
inline constexpr const char* kCredentialsAnnotation = "rollout.telemetry.io/analysis-credentials";

struct PrometheusProvider {
  std::string name;
  std::string address;
  std::string bearerTokenFile;  // in the operator's container; re-read when it changes
  std::string caFile;           // PEM, in the operator's container
  bool operator==(const PrometheusProvider&) const = default;
};
using PrometheusProviders = std::map<std::string, PrometheusProvider>;

// The providers file (YAML):
//   providers:
//     - {name: default, address: "https://prometheus.monitoring.svc:9090",
//        bearerTokenFile: /var/run/secrets/prometheus/token, caFile: /etc/prometheus-ca/ca.crt}
base::Result<PrometheusProviders, std::string> parsePrometheusProviders(const std::string& yaml);

// Everything one client needs, credentials resolved.
struct PrometheusConnection {
  std::string address;
  std::string bearerToken;
  std::string bearerTokenFile;  // providers only
  std::string username;
  std::string password;
  std::string caPem;
  std::chrono::milliseconds timeout{10000};
  const kube::DestinationPolicy* policy = nullptr;  // null: admin-defined, not checked
};

PromResult<PrometheusApiPtr> makePrometheusClient(const PrometheusConnection& connection);

// Resolves a rollout's AnalysisSpec to a client: the provider, or the address with the
// rollout's Secrets (one GET per Secret per call). Errors are Config errors that name the field
// or the Secret and never quote a credential.
class PrometheusConnector {
 public:
  // `api` must outlive the connector.
  PrometheusConnector(kube::ApiClient& api, kube::DestinationPolicy policy,
                      PrometheusProviders providers);

  PromResult<PrometheusApiPtr> connect(const std::string& ns, const AnalysisSpec& spec) const;

 private:
  // The credentials of `auth`, read from its Secret in `ns`, into `c`.
  PromResult<void> addAuthorization(const std::string& ns, const PrometheusAuthorization& auth,
                                    PrometheusConnection& c) const;
  PromResult<std::string> secretValue(const std::string& ns, const std::string& name,
                                      const std::string& key, size_t limit) const;

  kube::ApiClient& api_;
  kube::DestinationPolicy policy_;
  PrometheusProviders providers_;
};

}  // namespace tro::controllers::analysis
