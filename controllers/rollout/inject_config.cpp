// The injection's configuration and what it derives from it alone (inject.h): the config from a
// spec, its stable hash, the collector sidecar and volume as injected, the names of forms and
// errors.

#include <algorithm>

#include "controllers/rollout/inject.h"
#include "operator/base/fnv_hash.h"

namespace tro::controllers {

using Json = nlohmann::json;

InjectionConfig makeInjectionConfig(const RolloutSpec& spec, const std::string& owner,
                                    const std::vector<EnvVar>& overrides) {
  InjectionConfig config;
  config.owner = owner;
  config.flag = spec.flag;
  config.env = spec.env;
  config.collector = spec.collector;
  config.containers = spec.containers;
  if (spec.instrumentation) config.podAnnotations = spec.instrumentation->annotations;
  config.removeCollectorOnRollback = spec.removeCollectorOnRollback;
  for (const EnvVar& o : overrides) {
    auto it = std::find_if(config.env.begin(), config.env.end(),
                           [&](const EnvVar& e) { return e.name == o.name; });
    if (it != config.env.end()) {
      it->value = o.value;
    } else {
      config.env.push_back(o);
    }
  }
  return config;
}

std::string configHash(const InjectionConfig& config) {
  Json canonical = Json::object();
  canonical["flag"] = {{"name", config.flag.name},
                       {"enabledValue", config.flag.enabledValue},
                       {"disabledValue", config.flag.disabledValue}};
  Json env = Json::array();
  for (const EnvVar& e : config.env) env.push_back({{"name", e.name}, {"value", e.value}});
  canonical["env"] = std::move(env);
  canonical["containers"] = config.containers;
  if (config.collector) {
    const CollectorSpec& c = *config.collector;
    canonical["collector"] = {{"name", c.name},
                              {"image", c.image},
                              {"configMap", c.configMap},
                              {"configKey", c.configKey},
                              {"resources", c.resources}};
  } else {
    canonical["collector"] = nullptr;
  }
  if (!config.podAnnotations.empty()) canonical["podAnnotations"] = config.podAnnotations;
  return base::fnv1a64Hex(canonical.dump());
}

const char* toString(InjectionForm form) {
  switch (form) {
    case InjectionForm::Enabled:
      return "Enabled";
    case InjectionForm::Disabled:
      return "Disabled";
    case InjectionForm::Restored:
      return "Restored";
  }
  return "Unknown";
}

const char* toString(InjectError::Kind kind) {
  switch (kind) {
    case InjectError::Kind::Conflict:
      return "Conflict";
    case InjectError::Kind::MissingContainer:
      return "MissingContainer";
    case InjectError::Kind::CorruptRecord:
      return "CorruptRecord";
    case InjectError::Kind::InvalidDeployment:
      return "InvalidDeployment";
  }
  return "Unknown";
}

std::string collectorVolumeName(const CollectorSpec& collector) {
  return collector.name + "-config";
}

Json collectorContainer(const CollectorSpec& collector) {
  return Json{
      {"name", collector.name},
      {"image", collector.image},
      {"args", Json::array({"--config=/conf/" + collector.configKey})},
      {"ports",
       Json::array({{{"name", "otlp-grpc"}, {"containerPort", 4317}, {"protocol", "TCP"}},
                    {{"name", "otlp-http"}, {"containerPort", 4318}, {"protocol", "TCP"}}})},
      {"resources", collector.resources},
      {"securityContext",
       {{"allowPrivilegeEscalation", false},
        {"readOnlyRootFilesystem", true},
        {"runAsNonRoot", true},
        {"capabilities", {{"drop", Json::array({"ALL"})}}}}},
      {"volumeMounts", Json::array({{{"name", collectorVolumeName(collector)},
                                     {"mountPath", "/conf"},
                                     {"readOnly", true}}})},
  };
}

Json collectorVolume(const CollectorSpec& collector) {
  // defaultMode is what the API server would default; stating it keeps live == desired.
  return Json{{"name", collectorVolumeName(collector)},
              {"configMap", {{"name", collector.configMap}, {"defaultMode", 420}}}};
}

}  // namespace tro::controllers
