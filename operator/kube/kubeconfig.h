#pragma once
// Where the API server is and how to authenticate, read the way client-go reads it: a kubeconfig
// file (a named context or current-context), or the in-cluster service-account environment.
//
// Relative file paths in a kubeconfig (certificate-authority, client-certificate, client-key,
// tokenFile) are resolved against the kubeconfig's directory, as kubectl does. File contents are
// read eagerly, except the token file, which is left in ClusterConfig::tokenFile so the transport
// re-reads it when it rotates. Exec and auth-provider plugins are not supported and are reported
// as errors rather than ignored. All failures are Errors of kind Config naming what is missing.

#include <functional>
#include <optional>
#include <string>

#include "operator/kube/cluster_config.h"
#include "operator/kube/error.h"

namespace tro::kube {

// Reads an environment variable; injectable so tests do not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup processEnvironment();  // std::getenv

// `text` is the kubeconfig YAML; `baseDir` resolves relative paths; `context` "" means
// current-context.
Result<ClusterConfig> parseKubeconfig(const std::string& text, const std::string& baseDir,
                                      const std::string& context = "");
Result<ClusterConfig> loadKubeconfigFile(const std::string& path, const std::string& context = "");

// KUBERNETES_SERVICE_HOST/PORT (IPv6 hosts bracketed) plus the service-account token and CA
// under `root` + /var/run/secrets/kubernetes.io/serviceaccount/ (root "" in production).
Result<ClusterConfig> inClusterConfig(const EnvLookup& env, const std::string& root = "");

// client-go's order: explicitPath (--kubeconfig), else the first file of $KUBECONFIG, else
// in-cluster (when KUBERNETES_SERVICE_HOST is set), else $HOME/.kube/config. `context` (--context,
// "" = current-context) selects the kubeconfig context; in-cluster config ignores it.
Result<ClusterConfig> loadClusterConfig(const std::string& explicitPath,
                                        const std::string& context = "",
                                        const EnvLookup& env = processEnvironment(),
                                        const std::string& root = "");

}  // namespace tro::kube
