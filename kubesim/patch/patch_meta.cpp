#include "kubesim/patch/patch_meta.h"

namespace kubesim::patch {

void PatchMeta::setList(const std::string& path, ListMeta meta) { lists_[path] = std::move(meta); }
void PatchMeta::setRetainKeys(const std::string& path) { retainKeys_.insert(path); }
void PatchMeta::setFreeFormMap(const std::string& path) { maps_.insert(path); }

ListMeta PatchMeta::list(const std::string& path) const {
  auto it = lists_.find(path);
  return it == lists_.end() ? ListMeta{} : it->second;
}
bool PatchMeta::retainKeys(const std::string& path) const { return retainKeys_.count(path) != 0; }
bool PatchMeta::freeFormMap(const std::string& path) const { return maps_.count(path) != 0; }
void PatchMeta::setImplicit(const std::string& path) { implicit_.insert(path); }
bool PatchMeta::implicit(const std::string& path) const { return implicit_.count(path) != 0; }

std::string PatchMeta::child(const std::string& path, const std::string& name) {
  return path.empty() ? name : path + "." + name;
}

namespace {

ListMeta keyed(std::vector<std::string> keys) { return ListMeta{ListType::Map, std::move(keys)}; }
ListMeta setList() { return ListMeta{ListType::Set, {}}; }

void addObjectMeta(PatchMeta& m, const std::string& prefix) {
  const auto p = [&](const std::string& s) { return PatchMeta::child(prefix, s); };
  m.setFreeFormMap(p("labels"));
  m.setFreeFormMap(p("annotations"));
  m.setList(p("finalizers"), setList());
  m.setList(p("ownerReferences"), keyed({"uid"}));
  m.setList(p("managedFields"), ListMeta{});
}

void addContainer(PatchMeta& m, const std::string& c) {
  const auto p = [&](const std::string& s) { return PatchMeta::child(c, s); };
  m.setList(p("env"), keyed({"name"}));
  m.setList(p("ports"), keyed({"containerPort", "protocol"}));
  m.setList(p("volumeMounts"), keyed({"mountPath"}));
  m.setList(p("volumeDevices"), keyed({"devicePath"}));
  m.setList(p("resizePolicy"), ListMeta{});
  m.setFreeFormMap(p("resources.limits"));
  m.setFreeFormMap(p("resources.requests"));
}

// PodSpec paths; `spec` is where the PodSpec sits ("spec" for Pods, "spec.template.spec").
void addPodSpec(PatchMeta& m, const std::string& spec) {
  const auto p = [&](const std::string& s) { return PatchMeta::child(spec, s); };
  for (const char* list : {"containers", "initContainers", "ephemeralContainers"}) {
    m.setList(p(list), keyed({"name"}));
    addContainer(m, p(list));
  }
  m.setList(p("volumes"), keyed({"name"}));
  m.setRetainKeys(p("volumes"));
  m.setList(p("imagePullSecrets"), keyed({"name"}));
  m.setList(p("hostAliases"), keyed({"ip"}));
  m.setList(p("topologySpreadConstraints"), keyed({"topologyKey", "whenUnsatisfiable"}));
  m.setList(p("resourceClaims"), keyed({"name"}));
  m.setList(p("schedulingGates"), keyed({"name"}));
  m.setFreeFormMap(p("nodeSelector"));
  m.setFreeFormMap(p("overhead"));
}

void addPodTemplate(PatchMeta& m, const std::string& tmpl) {
  for (const char* p : {"", ".metadata", ".spec", ".spec.containers"}) m.setImplicit(tmpl + p);
  addObjectMeta(m, PatchMeta::child(tmpl, "metadata"));
  addPodSpec(m, PatchMeta::child(tmpl, "spec"));
}

void addSelector(PatchMeta& m, const std::string& sel) {
  m.setFreeFormMap(PatchMeta::child(sel, "matchLabels"));
}

void addSchema(PatchMeta& m, const nlohmann::json& schema, const std::string& path) {
  if (!schema.is_object()) return;
  if (auto items = schema.find("items"); items != schema.end()) {
    const std::string listType = schema.value("x-kubernetes-list-type", "");
    if (listType == "set") m.setList(path, setList());
    if (auto keys = schema.find("x-kubernetes-list-map-keys");
        listType == "map" && keys != schema.end() && keys->is_array() && !keys->empty()) {
      std::vector<std::string> names;
      for (const auto& k : *keys) {
        if (k.is_string()) names.push_back(k.get<std::string>());
      }
      if (names.size() == keys->size()) m.setList(path, keyed(std::move(names)));
    }
    addSchema(m, *items, path);  // list items share their list's path
  }
  if (auto props = schema.find("properties"); props != schema.end() && props->is_object()) {
    for (const auto& [name, sub] : props->items()) {
      if (path.empty() && name == "metadata") continue;
      addSchema(m, sub, PatchMeta::child(path, name));
    }
  } else if (auto extra = schema.find("additionalProperties");
             extra != schema.end() && extra->is_object() && !path.empty() &&
             schema.value("x-kubernetes-map-type", "") != "atomic") {
    m.setFreeFormMap(path);
  }
}

}  // namespace

PatchMeta crdPatchMeta(const nlohmann::json& openAPIV3Schema) {
  PatchMeta m = objectMetaPatchMeta();
  addSchema(m, openAPIV3Schema, "");
  return m;
}

PatchMeta objectMetaPatchMeta() {
  PatchMeta m;
  addObjectMeta(m, "metadata");
  m.setImplicit("metadata");
  return m;
}

PatchMeta builtinPatchMeta(const std::string& apiVersion, const std::string& kind) {
  PatchMeta m = objectMetaPatchMeta();
  // Built-in kinds are Go structs: spec and status are serialised even when empty.
  const bool builtin =
      apiVersion == "v1" || apiVersion == "apps/v1" || apiVersion == "batch/v1" ||
      apiVersion == "policy/v1" || apiVersion == "autoscaling/v2" ||
      apiVersion == "networking.k8s.io/v1" || apiVersion == "admissionregistration.k8s.io/v1" ||
      apiVersion == "coordination.k8s.io/v1" || apiVersion == "apiextensions.k8s.io/v1";
  if (builtin) {
    m.setImplicit("spec");
    m.setImplicit("status");
  }
  if ((apiVersion == "apps/v1" && (kind == "Deployment" || kind == "ReplicaSet"))) {
    addSelector(m, "spec.selector");
    addPodTemplate(m, "spec.template");
    m.setRetainKeys("spec.strategy");
    m.setImplicit("spec.strategy");
    m.setImplicit("spec.selector");  // reference §29 records no "." for it
    m.setList("status.conditions", keyed({"type"}));
  } else if (apiVersion == "apps/v1" && (kind == "StatefulSet" || kind == "DaemonSet")) {
    addSelector(m, "spec.selector");
    addPodTemplate(m, "spec.template");
    m.setImplicit("spec.updateStrategy");
    m.setImplicit("spec.selector");
    m.setList("status.conditions", keyed({"type"}));
  } else if (apiVersion == "batch/v1" && kind == "Job") {
    addSelector(m, "spec.selector");
    addPodTemplate(m, "spec.template");
    m.setList("status.conditions", keyed({"type"}));
  } else if (apiVersion == "batch/v1" && kind == "CronJob") {
    addObjectMeta(m, "spec.jobTemplate.metadata");
    m.setImplicit("spec.jobTemplate.metadata");
    addSelector(m, "spec.jobTemplate.spec.selector");
    addPodTemplate(m, "spec.jobTemplate.spec.template");
    m.setImplicit("spec.jobTemplate.spec");
    m.setList("status.active", ListMeta{});
  } else if (apiVersion == "policy/v1" && kind == "PodDisruptionBudget") {
    addSelector(m, "spec.selector");
    m.setList("status.conditions", keyed({"type"}));
  } else if (apiVersion == "v1" && kind == "Pod") {
    addPodSpec(m, "spec");
    m.setImplicit("spec.containers");
    m.setList("status.conditions", keyed({"type"}));
    m.setList("status.podIPs", keyed({"ip"}));
    m.setList("status.hostIPs", keyed({"ip"}));
  } else if (apiVersion == "v1" && kind == "Service") {
    m.setList("spec.ports", keyed({"port", "protocol"}));
    m.setFreeFormMap("spec.selector");
    m.setList("status.conditions", keyed({"type"}));
  } else if (apiVersion == "v1" && kind == "Node") {
    m.setList("spec.podCIDRs", setList());
    m.setList("status.conditions", keyed({"type"}));
    m.setList("status.addresses", keyed({"type"}));
    m.setFreeFormMap("status.capacity");
    m.setFreeFormMap("status.allocatable");
    for (const char* p :
         {"status.daemonEndpoints", "status.daemonEndpoints.kubeletEndpoint", "status.nodeInfo"}) {
      m.setImplicit(p);
    }
  } else if (apiVersion == "v1" && kind == "PersistentVolumeClaim") {
    addSelector(m, "spec.selector");
    m.setImplicit("spec.resources");
    m.setFreeFormMap("spec.resources.limits");
    m.setFreeFormMap("spec.resources.requests");
    m.setList("status.conditions", keyed({"type"}));
    m.setFreeFormMap("status.capacity");
    m.setFreeFormMap("status.allocatedResources");
    m.setFreeFormMap("status.allocatedResourceStatuses");
  } else if (apiVersion == "v1" && kind == "PersistentVolume") {
    m.setFreeFormMap("spec.capacity");
  } else if (apiVersion == "v1" && kind == "ResourceQuota") {
    m.setFreeFormMap("spec.hard");
    m.setFreeFormMap("status.hard");
    m.setFreeFormMap("status.used");
  } else if (apiVersion == "autoscaling/v2" && kind == "HorizontalPodAutoscaler") {
    m.setImplicit("spec.scaleTargetRef");
    m.setList("status.conditions", keyed({"type"}));
  } else if (apiVersion == "networking.k8s.io/v1" && kind == "Ingress") {
    m.setImplicit("status.loadBalancer");
  } else if (apiVersion == "networking.k8s.io/v1" && kind == "NetworkPolicy") {
    addSelector(m, "spec.podSelector");
    m.setImplicit("spec.podSelector");
  } else if (apiVersion == "admissionregistration.k8s.io/v1" &&
             (kind == "MutatingWebhookConfiguration" || kind == "ValidatingWebhookConfiguration")) {
    m.setList("webhooks", keyed({"name"}));
    addSelector(m, "webhooks.namespaceSelector");
    addSelector(m, "webhooks.objectSelector");
    m.setList("webhooks.matchConditions", keyed({"name"}));
  } else if (apiVersion == "v1" && (kind == "ConfigMap" || kind == "Secret")) {
    m.setFreeFormMap("data");
    m.setFreeFormMap("binaryData");
    m.setFreeFormMap("stringData");
  } else if (apiVersion == "v1" && kind == "Namespace") {
    m.setList("spec.finalizers", setList());
    m.setList("status.conditions", keyed({"type"}));
  } else if (apiVersion == "apiextensions.k8s.io/v1" && kind == "CustomResourceDefinition") {
    m.setList("spec.versions", keyed({"name"}));
    m.setList("status.conditions", keyed({"type"}));
  }
  // Event, Lease, Endpoints, LimitRange, IngressClass: only object metadata carries merge rules
  // (their lists are atomic).
  return m;
}

}  // namespace kubesim::patch
