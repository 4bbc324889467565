#include "operator/kube/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

#include "operator/base/bounded_file.h"
#include "operator/kube/base64.h"

namespace tro::kube {
namespace {

constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

Error configError(std::string message) {
  Error e;
  e.kind = ErrorKind::Config;
  e.reason = "InvalidConfiguration";
  e.message = std::move(message);
  return e;
}

// Kubeconfigs, tokens and PEM files are small: each read is bounded (bounded_file.h).
Result<std::string> readFile(const std::string& path, const std::string& what) {
  auto content = base::readFileBounded(path, base::kMaxConfigFileBytes);
  if (!content.ok()) return fail(configError("cannot read " + what + " file " + content.error()));
  return std::move(content).value();
}

std::string resolve(const std::string& baseDir, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute() || baseDir.empty()) return path;
  return (std::filesystem::path(baseDir) / p).string();
}

std::string scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

// The entry of a named list (clusters, users, contexts) called `name`, or an error.
Result<YAML::Node> findNamed(const YAML::Node& root, const char* list, const char* field,
                             const std::string& name) {
  const YAML::Node entries = root[list];
  if (entries && entries.IsSequence()) {
    for (const YAML::Node& entry : entries) {
      if (scalar(entry, "name") == name && entry[field]) return YAML::Node(entry[field]);
    }
  }
  return fail(configError(std::string(field) + " \"" + name + "\" not found in kubeconfig"));
}

// Either inline base64 data or a file; both empty is fine (the field is optional).
Result<std::string> dataOrFile(const YAML::Node& node, const std::string& key,
                               const std::string& baseDir) {
  std::string data = scalar(node, (key + "-data").c_str());
  if (!data.empty()) {
    auto decoded = base64Decode(data);
    if (!decoded) return fail(configError(key + "-data is not valid base64"));
    return std::move(*decoded);
  }
  std::string file = scalar(node, key.c_str());
  if (file.empty()) return std::string();
  return readFile(resolve(baseDir, file), key);
}

Result<void> applyCluster(const YAML::Node& cluster, const std::string& baseDir,
                          ClusterConfig& config) {
  config.server = scalar(cluster, "server");
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  if (config.server.empty()) return fail(configError("cluster has no server"));
  auto ca = dataOrFile(cluster, "certificate-authority", baseDir);
  if (!ca) return fail(ca.error());
  config.certificateAuthorityPem = std::move(*ca);
  config.insecureSkipTlsVerify = scalar(cluster, "insecure-skip-tls-verify") == "true";
  config.tlsServerName = scalar(cluster, "tls-server-name");
  return {};
}

Result<void> applyUser(const YAML::Node& user, const std::string& baseDir, ClusterConfig& config) {
  config.token = scalar(user, "token");
  std::string tokenFile = scalar(user, "tokenFile");
  if (config.token.empty() && !tokenFile.empty()) config.tokenFile = resolve(baseDir, tokenFile);
  auto cert = dataOrFile(user, "client-certificate", baseDir);
  if (!cert) return fail(cert.error());
  auto key = dataOrFile(user, "client-key", baseDir);
  if (!key) return fail(key.error());
  if (cert->empty() != key->empty()) {
    return fail(configError("user needs both client-certificate and client-key"));
  }
  config.clientCertificatePem = std::move(*cert);
  config.clientKeyPem = std::move(*key);
  bool hasAuth =
      !config.token.empty() || !config.tokenFile.empty() || !config.clientCertificatePem.empty();
  if (!hasAuth && (user["exec"] || user["auth-provider"])) {
    return fail(configError("exec and auth-provider credential plugins are not supported"));
  }
  return {};
}

Result<ClusterConfig> parseKubeconfigNode(const YAML::Node& root, const std::string& baseDir,
                                          const std::string& contextName) {
  std::string name = contextName.empty() ? scalar(root, "current-context") : contextName;
  if (name.empty()) return fail(configError("kubeconfig has no current-context"));
  auto context = findNamed(root, "contexts", "context", name);
  if (!context) return fail(context.error());
  std::string clusterName = scalar(*context, "cluster");
  if (clusterName.empty()) return fail(configError("context \"" + name + "\" names no cluster"));
  auto cluster = findNamed(root, "clusters", "cluster", clusterName);
  if (!cluster) return fail(cluster.error());
  ClusterConfig config;
  config.namespace_ = scalar(*context, "namespace");
  if (auto r = applyCluster(*cluster, baseDir, config); !r) {
    return fail(Error(r.error()).withContext("cluster \"" + clusterName + "\""));
  }
  std::string userName = scalar(*context, "user");
  if (userName.empty()) return config;  // anonymous access
  auto user = findNamed(root, "users", "user", userName);
  if (!user) return fail(user.error());
  if (auto r = applyUser(*user, baseDir, config); !r) {
    return fail(Error(r.error()).withContext("user \"" + userName + "\""));
  }
  return config;
}

}  // namespace

EnvLookup processEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read-only
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<ClusterConfig> parseKubeconfig(const std::string& text, const std::string& baseDir,
                                      const std::string& context) {
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) return fail(configError("kubeconfig is not a YAML mapping"));
    return parseKubeconfigNode(root, baseDir, context);
  } catch (const YAML::Exception& e) {
    return fail(configError(std::string("invalid kubeconfig YAML: ") + e.what()));
  }
}

Result<ClusterConfig> loadKubeconfigFile(const std::string& path, const std::string& context) {
  auto text = readFile(path, "kubeconfig");
  if (!text) return fail(text.error());
  auto config = parseKubeconfig(*text, std::filesystem::path(path).parent_path().string(), context);
  if (!config) return fail(Error(config.error()).withContext("kubeconfig " + path));
  return config;
}

Result<ClusterConfig> inClusterConfig(const EnvLookup& env, const std::string& root) {
  auto host = env("KUBERNETES_SERVICE_HOST");
  auto port = env("KUBERNETES_SERVICE_PORT");
  if (!host || host->empty() || !port || port->empty()) {
    return fail(configError(
        "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be "
        "set"));
  }
  std::string hostPart = host->find(':') != std::string::npos ? "[" + *host + "]" : *host;
  std::string dir = root + kServiceAccountDir;
  ClusterConfig config;
  config.server = "https://" + hostPart + ":" + *port;
  config.tokenFile = dir + "/token";
  // Read once now so a missing token is reported at start-up, not on the first request.
  if (auto token = readFile(config.tokenFile, "service-account token"); !token) {
    return fail(token.error());
  }
  auto ca = readFile(dir + "/ca.crt", "service-account CA");
  if (!ca) return fail(ca.error());
  config.certificateAuthorityPem = std::move(*ca);
  // The pod's own namespace; optional, as client-go treats it.
  if (auto ns = readFile(dir + "/namespace", "service-account namespace"); ns) {
    config.namespace_ = std::move(*ns);
  }
  return config;
}

Result<ClusterConfig> loadClusterConfig(const std::string& explicitPath, const std::string& context,
                                        const EnvLookup& env, const std::string& root) {
  if (!explicitPath.empty()) return loadKubeconfigFile(explicitPath, context);
  if (auto list = env("KUBECONFIG"); list && !list->empty()) {
    std::string first = list->substr(0, list->find(':'));
    if (!first.empty()) return loadKubeconfigFile(first, context);
  }
  if (auto host = env("KUBERNETES_SERVICE_HOST"); host && !host->empty()) {
    return inClusterConfig(env, root);
  }
  auto home = env("HOME");
  if (!home || home->empty()) {
    return fail(configError("no kubeconfig: --kubeconfig, KUBECONFIG, in-cluster and HOME unset"));
  }
  return loadKubeconfigFile(*home + "/.kube/config", context);
}

}  // namespace tro::kube
