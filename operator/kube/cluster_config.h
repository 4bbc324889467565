#pragma once
// Where the API server is and how to authenticate: the result of reading a kubeconfig or the
// in-cluster service-account environment (kubeconfig.h), consumed by the transport.

#include <optional>
#include <string>

namespace tro::kube {

struct ClusterConfig {
  std::string server;  // https://host:port (no trailing slash)
  // The context's namespace (in-cluster: the pod's); "" when none is set. Clients that act "in
  // the current namespace" (kubectl plugins) default to it; the operator does not use it.
  std::string namespace_;
  // TLS: the CA bundle (PEM) the server certificate must chain to. Empty = system trust store.
  std::string certificateAuthorityPem;
  bool insecureSkipTlsVerify = false;
  std::string tlsServerName;  // overrides SNI / host-name verification when set
  // Authentication: at most one of token / tokenFile; client cert+key may be combined with it.
  std::string token;
  std::string tokenFile;  // re-read when it changes (service-account token rotation)
  // HTTP basic authentication, used only when neither token nor tokenFile is set.
  std::string username;
  std::string password;
  std::string clientCertificatePem;
  std::string clientKeyPem;
  std::string userAgent = "telemetry-rollout-operator";
  double qps = 20.0;  // client-side rate limit (token bucket)
  int burst = 30;
};

}  // namespace tro::kube
