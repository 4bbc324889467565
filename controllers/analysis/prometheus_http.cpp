#include "controllers/analysis/prometheus_http.h"

#include <yaml-cpp/yaml.h>

#include "operator/base/bounded_file.h"
#include "operator/base/url.h"
#include "operator/kube/base64.h"
#include "operator/kube/transport/cpprest_transport.h"

namespace tro::controllers::analysis {

namespace {

PrometheusError configError(std::string message) {
  return PrometheusError{PrometheusError::Kind::Config, 0, "", std::move(message)};
}

std::string scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

// Header values must not carry line breaks (or any control character).
bool isHeaderSafe(const std::string& value) {
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return false;
  }
  return true;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

base::Result<PrometheusProviders, std::string> providersFrom(const YAML::Node& root) {
  PrometheusProviders out;
  const YAML::Node list = root.IsMap() ? root["providers"] : YAML::Node();
  if (!list || !list.IsSequence()) return base::fail(std::string("needs a list \"providers\""));
  for (const YAML::Node& entry : list) {
    if (!entry.IsMap()) return base::fail(std::string("a provider is not a mapping"));
    PrometheusProvider p{scalar(entry, "name"), scalar(entry, "address"),
                         scalar(entry, "bearerTokenFile"), scalar(entry, "caFile")};
    if (p.name.empty()) return base::fail(std::string("a provider has no name"));
    auto url = base::parseHttpUrl(p.address);
    if (!url.ok()) return base::fail("provider " + p.name + ": address " + url.error());
    p.address = url->origin() + url->path;  // without a trailing slash
    if (!out.emplace(p.name, p).second) {
      return base::fail("provider " + p.name + " is defined twice");
    }
  }
  return out;
}

}  // namespace

base::Result<PrometheusProviders, std::string> parsePrometheusProviders(const std::string& yaml) {
  try {
    return providersFrom(YAML::Load(yaml));
  } catch (const YAML::Exception& e) {
    return base::fail(std::string("not valid YAML: ") + e.what());
  }
}

PromResult<PrometheusApiPtr> makePrometheusClient(const PrometheusConnection& c) {
  kube::ClusterConfig config;
  config.server = c.address;
  config.token = c.bearerToken;
  config.tokenFile = c.bearerTokenFile;
  config.username = c.username;
  config.password = c.password;
  config.certificateAuthorityPem = c.caPem;
  config.userAgent = "telemetry-rollout-operator/analysis";
  kube::transport::HttpTransportOptions options;
  options.maxResponseBytes = kMaxPrometheusResponseBytes;
  options.timeoutIsDeadline = true;
  if (c.policy != nullptr) {
    const kube::DestinationPolicy policy = *c.policy;
    options.destinationGuard = [policy](const std::string& host, int port) {
      return policy.guardResolved(host, port);
    };
  }
  auto transport = kube::transport::makeHttpTransport(config, options);
  if (!transport.ok()) {
    return base::fail(configError("prometheus address " + base::redactUrl(c.address) + ": " +
                                  transport.error().message));
  }
  return PrometheusApiPtr(std::make_unique<PrometheusClient>(std::move(*transport), c.timeout));
}

PrometheusConnector::PrometheusConnector(kube::ApiClient& api, kube::DestinationPolicy policy,
                                         PrometheusProviders providers)
    : api_(api), policy_(std::move(policy)), providers_(std::move(providers)) {}

PromResult<std::string> PrometheusConnector::secretValue(const std::string& ns,
                                                         const std::string& name,
                                                         const std::string& key,
                                                         size_t limit) const {
  const std::string what = "Secret " + ns + "/" + name;
  auto secret = api_.get(kube::resources::secrets(), ns, name);
  if (!secret.ok()) {
    return base::fail(
        configError("cannot read " + what + ": " + secret.error().reason +
                    (secret.error().code ? " (" + std::to_string(secret.error().code) + ")" : "")));
  }
  const kube::Json& meta = (*secret)["metadata"];
  const kube::Json annotations =
      meta.is_object() ? meta.value("annotations", kube::Json::object()) : kube::Json::object();
  auto opt = annotations.find(kCredentialsAnnotation);
  if (opt == annotations.end() || !opt->is_string() || opt->get<std::string>() != "true") {
    return base::fail(configError(what + " is not annotated " +
                                  std::string(kCredentialsAnnotation) +
                                  ": \"true\"; the operator uses only Secrets meant for analysis"));
  }
  const kube::Json& data = (*secret)["data"];
  auto it = data.is_object() ? data.find(key) : data.end();
  if (!data.is_object() || it == data.end() || !it->is_string()) {
    return base::fail(configError(what + " has no key \"" + key + "\""));
  }
  const std::string& encoded = it->get_ref<const std::string&>();
  if (encoded.size() > (limit / 3 + 1) * 4 + 8) {
    return base::fail(configError(what + " key \"" + key + "\" is larger than " +
                                  std::to_string(limit) + " bytes"));
  }
  auto decoded = kube::base64Decode(encoded);
  if (!decoded) return base::fail(configError(what + " key \"" + key + "\" is not base64"));
  if (decoded->size() > limit) {
    return base::fail(configError(what + " key \"" + key + "\" is larger than " +
                                  std::to_string(limit) + " bytes"));
  }
  return *decoded;
}

PromResult<void> PrometheusConnector::addAuthorization(const std::string& ns,
                                                       const PrometheusAuthorization& auth,
                                                       PrometheusConnection& c) const {
  const std::vector<const char*> keys = auth.type == AuthType::Bearer
                                            ? std::vector<const char*>{"token"}
                                            : std::vector<const char*>{"username", "password"};
  std::vector<std::string> values;
  for (const char* key : keys) {
    auto value = secretValue(ns, auth.secretName, key, kMaxSecretValueBytes);
    if (!value.ok()) return base::fail(value.error());
    std::string v = trimmed(std::move(value).value());
    if (!isHeaderSafe(v)) {
      return base::fail(configError("Secret " + ns + "/" + auth.secretName + " key \"" + key +
                                    "\" holds control characters"));
    }
    values.push_back(std::move(v));
  }
  if (auth.type == AuthType::Bearer) {
    c.bearerToken = values[0];
  } else {
    c.username = values[0];
    c.password = values[1];
  }
  return {};
}

PromResult<PrometheusApiPtr> PrometheusConnector::connect(const std::string& ns,
                                                          const AnalysisSpec& spec) const {
  PrometheusConnection c;
  c.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(spec.timeout);
  if (!spec.provider.empty()) {
    auto it = providers_.find(spec.provider);
    if (it == providers_.end()) {
      return base::fail(configError("spec.analysis.prometheus.provider: no provider named \"" +
                                    spec.provider + "\""));
    }
    c.address = it->second.address;
    c.bearerTokenFile = it->second.bearerTokenFile;
    if (!it->second.caFile.empty()) {
      auto pem = base::readFileBounded(it->second.caFile, base::kMaxCaFileBytes);
      if (!pem.ok()) {
        return base::fail(configError("provider " + spec.provider + " caFile " + pem.error()));
      }
      c.caPem = std::move(pem).value();
    }
    return makePrometheusClient(c);
  }
  auto url = base::parseHttpUrl(spec.prometheusAddress);
  if (!url.ok()) {
    return base::fail(configError("spec.analysis.prometheus.address " + url.error()));
  }
  // Before any Secret is read for it (the transport checks again, with the DNS answer).
  if (auto why = policy_.check(*url)) {
    return base::fail(configError("spec.analysis.prometheus.address: " + *why));
  }
  c.address = spec.prometheusAddress;
  c.policy = &policy_;
  if (spec.authorization) {
    if (auto added = addAuthorization(ns, *spec.authorization, c); !added.ok()) {
      return base::fail(added.error());
    }
  }
  if (spec.caSecret) {
    auto pem = secretValue(ns, spec.caSecret->name, spec.caSecret->key, base::kMaxCaFileBytes);
    if (!pem.ok()) return base::fail(pem.error());
    c.caPem = std::move(pem).value();
  }
  return makePrometheusClient(c);
}

}  // namespace tro::controllers::analysis
