// Server-side defaults of built-in kinds (the SetDefaults_* functions of kube-apiserver) as they
// show in real responses (reference §28, §38).

#include "kubesim/schema/builtin.h"

namespace kubesim::schema {

namespace {

void setIfAbsent(Json& obj, const char* key, Json value) {
  if (!obj.is_object()) return;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) obj[key] = std::move(value);
}

// Json::operator[] on a non-object throws; only descend into objects (or create them).
Json* objectField(Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  Json& v = obj[key];
  if (v.is_null()) v = Json::object();
  return v.is_object() ? &v : nullptr;
}

std::string pullPolicyFor(const std::string& image) {
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  const auto slash = image.rfind('/');
  const auto colon = image.rfind(':');
  const bool hasTag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (!hasTag || image.substr(colon + 1) == "latest") return "Always";
  return "IfNotPresent";
}

void probeDefaults(Json& c, const char* key) {
  auto it = c.find(key);
  if (it == c.end() || !it->is_object()) return;
  Json& p = *it;
  setIfAbsent(p, "timeoutSeconds", 1);
  setIfAbsent(p, "periodSeconds", 10);
  setIfAbsent(p, "successThreshold", 1);
  setIfAbsent(p, "failureThreshold", 3);
  if (auto h = p.find("httpGet"); h != p.end() && h->is_object()) {
    setIfAbsent(*h, "path", "/");
    setIfAbsent(*h, "scheme", "HTTP");
  }
}

void containerDefaults(Json& c) {
  if (!c.is_object()) return;
  setIfAbsent(c, "resources", Json::object());
  setIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
  setIfAbsent(c, "terminationMessagePolicy", "File");
  if (auto img = c.find("image"); img != c.end() && img->is_string()) {
    setIfAbsent(c, "imagePullPolicy", pullPolicyFor(img->get<std::string>()));
  }
  if (auto ports = c.find("ports"); ports != c.end() && ports->is_array()) {
    for (auto& p : *ports) setIfAbsent(p, "protocol", "TCP");
  }
  if (auto env = c.find("env"); env != c.end() && env->is_array()) {
    for (auto& e : *env) {
      if (!e.is_object()) continue;
      auto vf = e.find("valueFrom");
      if (vf == e.end() || !vf->is_object()) continue;
      if (auto fr = vf->find("fieldRef"); fr != vf->end() && fr->is_object()) {
        setIfAbsent(*fr, "apiVersion", "v1");
      }
    }
  }
  probeDefaults(c, "livenessProbe");
  probeDefaults(c, "readinessProbe");
  probeDefaults(c, "startupProbe");
}

void volumeDefaults(Json& v) {
  if (!v.is_object()) return;
  for (const char* source : {"configMap", "secret"}) {
    if (auto s = v.find(source); s != v.end() && s->is_object())
      setIfAbsent(*s, "defaultMode", 420);
  }
}

void podSpecDefaults(Json& spec) {
  setIfAbsent(spec, "restartPolicy", "Always");
  setIfAbsent(spec, "terminationGracePeriodSeconds", 30);
  setIfAbsent(spec, "dnsPolicy", "ClusterFirst");
  setIfAbsent(spec, "securityContext", Json::object());
  setIfAbsent(spec, "schedulerName", "default-scheduler");
  for (const char* list : {"containers", "initContainers"}) {
    if (auto cs = spec.find(list); cs != spec.end() && cs->is_array()) {
      for (auto& c : *cs) containerDefaults(c);
    }
  }
  if (auto vs = spec.find("volumes"); vs != spec.end() && vs->is_array()) {
    for (auto& v : *vs) volumeDefaults(v);
  }
}

void templateDefaults(Json& spec) {
  Json* tmpl = objectField(spec, "template");
  if (!tmpl) return;
  // The real server serialises the template's empty ObjectMeta with creationTimestamp: null.
  if (Json* meta = objectField(*tmpl, "metadata")) {
    if (!meta->contains("creationTimestamp")) (*meta)["creationTimestamp"] = nullptr;
  }
  if (Json* podSpec = objectField(*tmpl, "spec")) podSpecDefaults(*podSpec);
}

void deploymentDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  setIfAbsent(*spec, "replicas", 1);
  if (Json* strategy = objectField(*spec, "strategy")) {
    setIfAbsent(*strategy, "type", "RollingUpdate");
    if ((*strategy)["type"] == "RollingUpdate") {
      if (Json* ru = objectField(*strategy, "rollingUpdate")) {
        setIfAbsent(*ru, "maxUnavailable", "25%");
        setIfAbsent(*ru, "maxSurge", "25%");
      }
    }
  }
  setIfAbsent(*spec, "revisionHistoryLimit", 10);
  setIfAbsent(*spec, "progressDeadlineSeconds", 600);
  templateDefaults(*spec);
}

void replicaSetDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  setIfAbsent(*spec, "replicas", 1);
  templateDefaults(*spec);
}

// SetDefaults_StatefulSet (apps/v1, Kubernetes 1.32: StatefulSetAutoDeletePVC on by default).
void statefulSetDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  setIfAbsent(*spec, "podManagementPolicy", "OrderedReady");
  if (Json* strategy = objectField(*spec, "updateStrategy")) {
    setIfAbsent(*strategy, "type", "RollingUpdate");
    if ((*strategy)["type"] == "RollingUpdate") {
      if (Json* ru = objectField(*strategy, "rollingUpdate")) setIfAbsent(*ru, "partition", 0);
    }
  }
  if (Json* policy = objectField(*spec, "persistentVolumeClaimRetentionPolicy")) {
    setIfAbsent(*policy, "whenDeleted", "Retain");
    setIfAbsent(*policy, "whenScaled", "Retain");
  }
  setIfAbsent(*spec, "replicas", 1);
  setIfAbsent(*spec, "revisionHistoryLimit", 10);
  templateDefaults(*spec);
}

// SetDefaults_DaemonSet (apps/v1).
void daemonSetDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  if (Json* strategy = objectField(*spec, "updateStrategy")) {
    setIfAbsent(*strategy, "type", "RollingUpdate");
    if ((*strategy)["type"] == "RollingUpdate") {
      if (Json* ru = objectField(*strategy, "rollingUpdate")) {
        setIfAbsent(*ru, "maxUnavailable", 1);
        setIfAbsent(*ru, "maxSurge", 0);
      }
    }
  }
  setIfAbsent(*spec, "revisionHistoryLimit", 10);
  templateDefaults(*spec);
}

bool isTrue(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

// SetDefaults_Job's fields (batch/v1, Kubernetes 1.32: JobPodReplacementPolicy on by default),
// SetDefaults_PodFailurePolicyOnPodConditionsPattern, and the pod template's defaults.
void jobSpecDefaults(Json& spec) {
  const auto absent = [&](const char* key) {
    auto it = spec.find(key);
    return it == spec.end() || it->is_null();
  };
  if (absent("completions") && absent("parallelism")) {
    spec["completions"] = 1;
    spec["parallelism"] = 1;
  }
  setIfAbsent(spec, "parallelism", 1);
  setIfAbsent(spec, "backoffLimit", absent("backoffLimitPerIndex") ? 6 : 2147483647);
  setIfAbsent(spec, "completionMode", "NonIndexed");
  setIfAbsent(spec, "suspend", false);
  if (auto pfp = spec.find("podFailurePolicy"); pfp != spec.end() && pfp->is_object()) {
    if (auto rules = pfp->find("rules"); rules != pfp->end() && rules->is_array()) {
      for (Json& rule : *rules) {
        if (!rule.is_object()) continue;
        auto patterns = rule.find("onPodConditions");
        if (patterns == rule.end() || !patterns->is_array()) continue;
        for (Json& p : *patterns) {
          if (!p.is_object()) continue;
          if (!p.contains("status") || p["status"].is_null() || p["status"] == "") {
            p["status"] = "True";
          }
        }
      }
    }
  }
  setIfAbsent(spec, "podReplacementPolicy",
              absent("podFailurePolicy") ? "TerminatingOrFailed" : "Failed");
  setIfAbsent(spec, "manualSelector", false);
  templateDefaults(spec);
}

// The Job registry's PrepareForCreate (generateSelector): unless manualSelector is true, the
// selector picks the Job's uid and the template carries the uid and name labels, legacy and
// prefixed. The uid exists only from create on, so this runs when metadata.uid is set and the
// selector is absent (an update keeps the stored selector, which is immutable).
void jobSelectorDefaults(Json& obj, Json& spec) {
  auto md = obj.find("metadata");
  if (md == obj.end() || !md->is_object()) return;
  auto uid = md->find("uid");
  auto name = md->find("name");
  if (uid == md->end() || !uid->is_string() || uid->get<std::string>().empty()) return;
  if (isTrue(spec, "manualSelector")) return;
  if (auto sel = spec.find("selector"); sel != spec.end() && !sel->is_null()) return;
  Json* tmpl = objectField(spec, "template");
  Json* tmplMeta = tmpl ? objectField(*tmpl, "metadata") : nullptr;
  Json* labels = tmplMeta ? objectField(*tmplMeta, "labels") : nullptr;
  if (labels == nullptr) return;
  const Json jobName = name != md->end() && name->is_string() ? *name : Json("");
  for (const char* key : {"job-name", "batch.kubernetes.io/job-name"}) {
    if (!labels->contains(key)) (*labels)[key] = jobName;
  }
  for (const char* key : {"controller-uid", "batch.kubernetes.io/controller-uid"}) {
    if (!labels->contains(key)) (*labels)[key] = *uid;
  }
  spec["selector"] = {{"matchLabels", {{"batch.kubernetes.io/controller-uid", *uid}}}};
}

// SetDefaults_Job: a Job without labels takes its template's.
void jobLabelDefaults(Json& obj, const Json& spec) {
  auto md = obj.find("metadata");
  if (md == obj.end() || !md->is_object()) return;
  auto tmpl = spec.find("template");
  if (tmpl == spec.end() || !tmpl->is_object()) return;
  auto tmplMd = tmpl->find("metadata");
  if (tmplMd == tmpl->end() || !tmplMd->is_object()) return;
  auto tmplLabels = tmplMd->find("labels");
  if (tmplLabels == tmplMd->end() || !tmplLabels->is_object() || tmplLabels->empty()) return;
  auto labels = md->find("labels");
  if (labels == md->end() || labels->is_null() || (labels->is_object() && labels->empty())) {
    (*md)["labels"] = *tmplLabels;
  }
}

void jobDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  jobLabelDefaults(obj, *spec);  // the request's template labels, before any generated one
  jobSpecDefaults(*spec);
  jobSelectorDefaults(obj, *spec);
  // The real registry answers with the object decoded back from storage, defaulted again: a Job
  // created without labels of its own shows the generated template labels.
  jobLabelDefaults(obj, *spec);
}

// SetDefaults_CronJob, and the pod defaults of its job template (the template's Job fields get
// no SetDefaults_Job: a JobTemplateSpec is not a Job).
void cronJobDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  if (auto policy = spec->find("concurrencyPolicy");
      policy == spec->end() || policy->is_null() || *policy == "") {
    (*spec)["concurrencyPolicy"] = "Allow";
  }
  setIfAbsent(*spec, "suspend", false);
  setIfAbsent(*spec, "successfulJobsHistoryLimit", 3);
  setIfAbsent(*spec, "failedJobsHistoryLimit", 1);
  Json* jobTemplate = objectField(*spec, "jobTemplate");
  if (!jobTemplate) return;
  if (Json* meta = objectField(*jobTemplate, "metadata")) {
    if (!meta->contains("creationTimestamp")) (*meta)["creationTimestamp"] = nullptr;
  }
  if (Json* jobSpec = objectField(*jobTemplate, "spec")) templateDefaults(*jobSpec);
}

// The PodDisruptionBudget registry resets status on create; its counters are not omitempty, so
// a real server returns them as 0 until the disruption controller writes them.
void podDisruptionBudgetDefaults(Json& obj) {
  Json* status = objectField(obj, "status");
  if (!status) return;
  for (const char* key :
       {"currentHealthy", "desiredHealthy", "disruptionsAllowed", "expectedPods"}) {
    setIfAbsent(*status, key, 0);
  }
}

// SetDefaults_NodeStatus (allocatable defaults to capacity), and the Node's structs Go always
// serialises: spec, status.daemonEndpoints.kubeletEndpoint.Port, status.nodeInfo's strings.
void nodeDefaults(Json& obj) {
  objectField(obj, "spec");
  Json* status = objectField(obj, "status");
  if (!status) return;
  if (auto capacity = status->find("capacity");
      capacity != status->end() && capacity->is_object()) {
    setIfAbsent(*status, "allocatable", *capacity);
  }
  if (Json* endpoints = objectField(*status, "daemonEndpoints")) {
    if (Json* kubelet = objectField(*endpoints, "kubeletEndpoint"))
      setIfAbsent(*kubelet, "Port", 0);
  }
  if (Json* info = objectField(*status, "nodeInfo")) {
    for (const char* key : {"machineID", "systemUUID", "bootID", "kernelVersion", "osImage",
                            "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion",
                            "operatingSystem", "architecture"}) {
      setIfAbsent(*info, key, "");
    }
  }
}

// SetDefaults_Endpoints: a port's protocol is TCP.
void endpointsDefaults(Json& obj) {
  auto subsets = obj.find("subsets");
  if (subsets == obj.end() || !subsets->is_array()) return;
  for (Json& subset : *subsets) {
    if (!subset.is_object()) continue;
    auto ports = subset.find("ports");
    if (ports == subset.end() || !ports->is_array()) continue;
    for (Json& port : *ports) {
      if (port.is_object() && (!port.contains("protocol") || port["protocol"] == "")) {
        port["protocol"] = "TCP";
      }
    }
  }
}

// SetDefaults_PersistentVolumeClaim(Spec): volumeMode Filesystem, phase Pending (the registry
// resets status on create); spec.resources is a struct Go always serialises.
void persistentVolumeClaimDefaults(Json& obj) {
  if (Json* spec = objectField(obj, "spec")) {
    objectField(*spec, "resources");
    setIfAbsent(*spec, "volumeMode", "Filesystem");
  }
  if (Json* status = objectField(obj, "status")) {
    if (!status->contains("phase") || (*status)["phase"] == "") (*status)["phase"] = "Pending";
  }
}

// SetDefaults_PersistentVolume: reclaim policy Retain, volumeMode Filesystem, phase Pending; a
// hostPath's type is "" (HostPathUnset).
void persistentVolumeDefaults(Json& obj) {
  if (Json* spec = objectField(obj, "spec")) {
    if (!spec->contains("persistentVolumeReclaimPolicy") ||
        (*spec)["persistentVolumeReclaimPolicy"] == "") {
      (*spec)["persistentVolumeReclaimPolicy"] = "Retain";
    }
    setIfAbsent(*spec, "volumeMode", "Filesystem");
    if (auto host = spec->find("hostPath"); host != spec->end() && host->is_object()) {
      setIfAbsent(*host, "type", "");
    }
  }
  if (Json* status = objectField(obj, "status")) {
    if (!status->contains("phase") || (*status)["phase"] == "") (*status)["phase"] = "Pending";
  }
}

// The ResourceQuota's status is a struct Go always serialises (the registry resets it on create;
// no quota controller fills it here).
void resourceQuotaDefaults(Json& obj) {
  objectField(obj, "spec");
  objectField(obj, "status");
}

// SetDefaults_LimitRangeItem: a Container item's default limit is its max, its default request
// the default limit, else its min. Empty maps stay out (omitempty).
void limitRangeDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  auto limits = spec->find("limits");
  if (limits == spec->end() || !limits->is_array()) return;
  for (Json& item : *limits) {
    if (!item.is_object() || !item.contains("type") || item["type"] != "Container") continue;
    Json def =
        item.contains("default") && item["default"].is_object() ? item["default"] : Json::object();
    Json request = item.contains("defaultRequest") && item["defaultRequest"].is_object()
                       ? item["defaultRequest"]
                       : Json::object();
    const auto fill = [&item](Json& into, const char* from) {
      auto source = item.find(from);
      if (source == item.end() || !source->is_object()) return;
      for (const auto& [name, value] : source->items()) {
        if (!into.contains(name)) into[name] = value;
      }
    };
    fill(def, "max");
    if (!def.empty()) item["default"] = def;
    fill(request, "default");
    fill(request, "min");
    if (!request.empty()) item["defaultRequest"] = request;
  }
}

// HPAScalingRules from GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: every unset field
// takes the direction's default (scale-down keeps no stabilization window of its own).
void scalingRulesDefaults(Json& behavior, const char* direction) {
  Json* rules = objectField(behavior, direction);
  if (!rules) return;
  const bool up = std::string(direction) == "scaleUp";
  if (up) setIfAbsent(*rules, "stabilizationWindowSeconds", 0);
  setIfAbsent(*rules, "selectPolicy", "Max");
  if (up) {
    setIfAbsent(*rules, "policies",
                Json::array({{{"type", "Pods"}, {"value", 4}, {"periodSeconds", 15}},
                             {{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}}));
  } else {
    setIfAbsent(*rules, "policies",
                Json::array({{{"type", "Percent"}, {"value", 100}, {"periodSeconds", 15}}}));
  }
}

// SetDefaults_HorizontalPodAutoscaler (autoscaling/v2): minReplicas 1, the 80% average CPU
// utilization metric when none is given, the behavior's rules when a behavior is given. The
// registry resets status on create: desiredReplicas and currentMetrics carry no omitempty.
void horizontalPodAutoscalerDefaults(Json& obj) {
  if (Json* spec = objectField(obj, "spec")) {
    objectField(*spec, "scaleTargetRef");
    setIfAbsent(*spec, "minReplicas", 1);
    auto metrics = spec->find("metrics");
    if (metrics == spec->end() || !metrics->is_array() || metrics->empty()) {
      (*spec)["metrics"] =
          Json::array({{{"type", "Resource"},
                        {"resource",
                         {{"name", "cpu"},
                          {"target", {{"type", "Utilization"}, {"averageUtilization", 80}}}}}}});
    }
    if (auto behavior = spec->find("behavior"); behavior != spec->end() && behavior->is_object()) {
      scalingRulesDefaults(*behavior, "scaleUp");
      scalingRulesDefaults(*behavior, "scaleDown");
    }
  }
  if (Json* status = objectField(obj, "status")) {
    setIfAbsent(*status, "desiredReplicas", 0);
    if (!status->contains("currentMetrics")) (*status)["currentMetrics"] = nullptr;
  }
}

// An Ingress's status.loadBalancer is a struct Go always serialises.
void ingressDefaults(Json& obj) {
  objectField(obj, "spec");
  if (Json* status = objectField(obj, "status")) objectField(*status, "loadBalancer");
}

// SetDefaults_IngressClass: parameters are cluster-scoped unless told otherwise.
void ingressClassDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  if (auto params = spec->find("parameters"); params != spec->end() && params->is_object()) {
    setIfAbsent(*params, "scope", "Cluster");
  }
}

// SetDefaults_NetworkPolicy: policyTypes Ingress (and Egress when egress rules are given);
// SetDefaults_NetworkPolicyPort: protocol TCP. podSelector is a struct Go always serialises.
void networkPolicyDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  objectField(*spec, "podSelector");
  const auto rules = [&](const char* key) -> Json* {
    auto it = spec->find(key);
    return it != spec->end() && it->is_array() ? &*it : nullptr;
  };
  for (const char* key : {"ingress", "egress"}) {
    Json* list = rules(key);
    if (!list) continue;
    for (Json& rule : *list) {
      if (!rule.is_object()) continue;
      auto ports = rule.find("ports");
      if (ports == rule.end() || !ports->is_array()) continue;
      for (Json& port : *ports) setIfAbsent(port, "protocol", "TCP");
    }
  }
  auto types = spec->find("policyTypes");
  if (types == spec->end() || !types->is_array() || types->empty()) {
    Json out = Json::array({"Ingress"});
    if (Json* egress = rules("egress"); egress && !egress->empty()) out.push_back("Egress");
    (*spec)["policyTypes"] = out;
  }
}

// SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook, SetDefaults_Rule (scope "*") and
// SetDefaults_ServiceReference (port 443).
void webhookConfigurationDefaults(Json& obj, bool mutating) {
  auto webhooks = obj.find("webhooks");
  if (webhooks == obj.end() || !webhooks->is_array()) return;
  for (Json& w : *webhooks) {
    if (!w.is_object()) continue;
    setIfAbsent(w, "failurePolicy", "Fail");
    setIfAbsent(w, "matchPolicy", "Equivalent");
    setIfAbsent(w, "namespaceSelector", Json::object());
    setIfAbsent(w, "objectSelector", Json::object());
    setIfAbsent(w, "timeoutSeconds", 10);
    if (mutating) setIfAbsent(w, "reinvocationPolicy", "Never");
    if (auto rules = w.find("rules"); rules != w.end() && rules->is_array()) {
      for (Json& rule : *rules) setIfAbsent(rule, "scope", "*");
    }
    if (auto config = w.find("clientConfig"); config != w.end() && config->is_object()) {
      if (auto svc = config->find("service"); svc != config->end() && svc->is_object()) {
        setIfAbsent(*svc, "port", 443);
      }
    }
  }
}

// SetDefaults_Subject: a ServiceAccount is in the core group, a User or Group in RBAC's.
void bindingDefaults(Json& obj) {
  auto subjects = obj.find("subjects");
  if (subjects == obj.end() || !subjects->is_array()) return;
  for (Json& s : *subjects) {
    if (!s.is_object() || !s.contains("kind") || !s["kind"].is_string()) continue;
    const std::string kind = s["kind"].get<std::string>();
    if (kind == "ServiceAccount") setIfAbsent(s, "apiGroup", "");
    if (kind == "User" || kind == "Group") setIfAbsent(s, "apiGroup", "rbac.authorization.k8s.io");
  }
}

void podDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  podSpecDefaults(*spec);
  setIfAbsent(*spec, "enableServiceLinks", true);
}

void serviceDefaults(Json& obj) {
  Json* spec = objectField(obj, "spec");
  if (!spec) return;
  setIfAbsent(*spec, "type", "ClusterIP");
  setIfAbsent(*spec, "sessionAffinity", "None");
  if (auto ports = spec->find("ports"); ports != spec->end() && ports->is_array()) {
    for (auto& p : *ports) {
      setIfAbsent(p, "protocol", "TCP");
      if (p.is_object() && p.contains("port")) setIfAbsent(p, "targetPort", p["port"]);
    }
  }
  if ((*spec)["type"] == "NodePort" || (*spec)["type"] == "LoadBalancer") {
    setIfAbsent(*spec, "externalTrafficPolicy", "Cluster");
  }
  if ((*spec)["type"] == "LoadBalancer") setIfAbsent(*spec, "allocateLoadBalancerNodePorts", true);
  if (Json* status = objectField(obj, "status"))
    setIfAbsent(*status, "loadBalancer", Json::object());
  if ((*spec)["type"] == "ClusterIP" || (*spec)["type"] == "NodePort" ||
      (*spec)["type"] == "LoadBalancer") {
    setIfAbsent(*spec, "internalTrafficPolicy", "Cluster");
    // Single-stack IPv4, as a default cluster. Addresses come from api/service_addresses.h.
    setIfAbsent(*spec, "ipFamilies", Json::array({"IPv4"}));
    setIfAbsent(*spec, "ipFamilyPolicy", "SingleStack");
  }
}

void namespaceDefaults(Json& obj) {
  // The real server labels every Namespace with its own name (since 1.22), on create and on every
  // update, so that a label selector can name namespaces.
  if (Json* meta = objectField(obj, "metadata"); meta != nullptr && (*meta)["name"].is_string()) {
    Json& labels = (*meta)["labels"];
    if (!labels.is_object()) labels = Json::object();
    labels["kubernetes.io/metadata.name"] = (*meta)["name"];
  }
  if (Json* spec = objectField(obj, "spec"))
    setIfAbsent(*spec, "finalizers", Json::array({"kubernetes"}));
  if (Json* status = objectField(obj, "status")) setIfAbsent(*status, "phase", "Active");
}

void eventDefaults(Json& obj) {
  if (!obj.contains("eventTime")) obj["eventTime"] = nullptr;
  setIfAbsent(obj, "reportingComponent", "");
  setIfAbsent(obj, "reportingInstance", "");
}

}  // namespace

void applyBuiltinDefaults(Json& obj, const KindInfo& kind) {
  if (kind.isCustom || !obj.is_object()) return;
  if (kind.group == "apps" && kind.kind == "Deployment") return deploymentDefaults(obj);
  if (kind.group == "apps" && kind.kind == "ReplicaSet") return replicaSetDefaults(obj);
  if (kind.group == "apps" && kind.kind == "StatefulSet") return statefulSetDefaults(obj);
  if (kind.group == "apps" && kind.kind == "DaemonSet") return daemonSetDefaults(obj);
  if (kind.group == "batch" && kind.kind == "Job") return jobDefaults(obj);
  if (kind.group == "batch" && kind.kind == "CronJob") return cronJobDefaults(obj);
  if (kind.group == "policy" && kind.kind == "PodDisruptionBudget") {
    return podDisruptionBudgetDefaults(obj);
  }
  if (kind.group == "autoscaling" && kind.kind == "HorizontalPodAutoscaler") {
    return horizontalPodAutoscalerDefaults(obj);
  }
  if (kind.group == "networking.k8s.io") {
    if (kind.kind == "Ingress") return ingressDefaults(obj);
    if (kind.kind == "IngressClass") return ingressClassDefaults(obj);
    if (kind.kind == "NetworkPolicy") return networkPolicyDefaults(obj);
    return;
  }
  if (kind.group == "admissionregistration.k8s.io") {
    return webhookConfigurationDefaults(obj, kind.kind == "MutatingWebhookConfiguration");
  }
  if (kind.group == "rbac.authorization.k8s.io" &&
      (kind.kind == "RoleBinding" || kind.kind == "ClusterRoleBinding")) {
    return bindingDefaults(obj);
  }
  if (!kind.group.empty()) return;
  if (kind.kind == "Pod") return podDefaults(obj);
  // SetDefaults_Secret: a Secret without a type is Opaque.
  if (kind.kind == "Secret") return setIfAbsent(obj, "type", "Opaque");
  if (kind.kind == "Service") return serviceDefaults(obj);
  if (kind.kind == "Namespace") return namespaceDefaults(obj);
  if (kind.kind == "Event") return eventDefaults(obj);
  if (kind.kind == "Node") return nodeDefaults(obj);
  if (kind.kind == "Endpoints") return endpointsDefaults(obj);
  if (kind.kind == "PersistentVolumeClaim") return persistentVolumeClaimDefaults(obj);
  if (kind.kind == "PersistentVolume") return persistentVolumeDefaults(obj);
  if (kind.kind == "ResourceQuota") return resourceQuotaDefaults(obj);
  if (kind.kind == "LimitRange") return limitRangeDefaults(obj);
}

}  // namespace kubesim::schema
