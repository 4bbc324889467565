#include "bench/common/fleet_manifest.h"

#include <cstdint>
#include <cstdio>

namespace tro::bench {
namespace {

std::int64_t integerAt(const kube::Json& object, const char* section, const char* key) {
  const auto s = object.find(section);
  if (s == object.end() || !s->is_object()) return -1;
  const auto v = s->find(key);
  return v != s->end() && v->is_number_integer() ? v->get<std::int64_t>() : -1;
}

std::string stringAt(const kube::Json& object, const char* key) {
  const auto md = object.find("metadata");
  if (md == object.end() || !md->is_object()) return "";
  const auto v = md->find(key);
  return v != md->end() && v->is_string() ? v->get<std::string>() : "";
}

}  // namespace

std::string fleetNamespace(const FleetShape& shape, int index) {
  return "fleet-" + std::to_string(index % shape.namespaces);
}

std::string fleetName(int index) {
  char name[24];
  std::snprintf(name, sizeof name, "fleet-%05d", index);
  return name;
}

std::string fleetGroupSelector(int group) {
  return std::string(kFleetGroupLabel) + "=g" + std::to_string(group);
}

kube::Json fleetNamespaceObject(const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
}

namespace {

// The realistic shape's container and annotations (FleetShape::realistic).
void makeRealistic(kube::Json& deployment) {
  const std::string name = deployment["metadata"]["name"];
  kube::Json env = kube::Json::array();
  for (int k = 0; k < 12; ++k) {
    env.push_back({{"name", "SETTING_" + std::to_string(k)}, {"value", std::string(40, 'x')}});
  }
  env.push_back({{"name", "FEATURE_OTEL"}, {"value", "false"}});
  kube::Json& app = deployment["spec"]["template"]["spec"]["containers"][0];
  app["env"] = std::move(env);
  app["ports"] = kube::Json::array({{{"containerPort", 8080}, {"name", "http"}}});
  app["resources"] = {{"requests", {{"cpu", "10m"}, {"memory", "32Mi"}}},
                      {"limits", {{"memory", "128Mi"}}}};
  app["readinessProbe"] = {{"httpGet", {{"path", "/ready"}, {"port", 8080}}}};
  deployment["metadata"]["annotations"] = {
      {"team.example/owner", "platform-team"},
      {"team.example/runbook", "https://runbooks.example/" + name}};
}

}  // namespace

kube::Json fleetDeployment(const FleetShape& shape, int index) {
  const std::string name = fleetName(index);
  const std::string group = "g" + std::to_string(index / kFleetGroupSize);
  kube::Json labels = {{"app", name}, {kFleetGroupLabel, group}};
  kube::Json deployment = {
      {"apiVersion", "apps/v1"},
      {"kind", "Deployment"},
      {"metadata",
       {{"name", name}, {"namespace", fleetNamespace(shape, index)}, {"labels", labels}}},
      {"spec",
       {{"replicas", shape.replicas},
        {"selector", {{"matchLabels", {{"app", name}}}}},
        {"template",
         {{"metadata", {{"labels", labels}}},
          {"spec",
           {{"containers",
             kube::Json::array({{{"name", "app"}, {"image", "example.test/fleet:1"}}})}}}}}}}};
  if (shape.realistic) makeRealistic(deployment);
  return deployment;
}

bool fleetRolledOut(const kube::Json& d, int replicas) {
  const std::int64_t generation = integerAt(d, "metadata", "generation");
  return generation >= 0 && integerAt(d, "status", "observedGeneration") == generation &&
         integerAt(d, "status", "updatedReplicas") == replicas &&
         integerAt(d, "status", "readyReplicas") == replicas &&
         integerAt(d, "status", "availableReplicas") == replicas;
}

std::string annotationOf(const kube::Json& object, const std::string& key) {
  const auto md = object.find("metadata");
  if (md == object.end() || !md->is_object()) return "";
  const auto annotations = md->find("annotations");
  if (annotations == md->end() || !annotations->is_object()) return "";
  const auto v = annotations->find(key);
  return v != annotations->end() && v->is_string() ? v->get<std::string>() : "";
}

std::string objectKey(const kube::Json& object) {
  return stringAt(object, "namespace") + "/" + stringAt(object, "name");
}

}  // namespace tro::bench
