#include "kubesim/schema/kinds.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "kubesim/schema/builtin.h"

namespace kubesim::schema {

std::string KindInfo::apiVersion() const { return group.empty() ? version : group + "/" + version; }

std::string KindInfo::qualifiedResource() const {
  return group.empty() ? plural : plural + "." + group;
}

namespace {

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};

KindInfo builtin(std::string group, std::string kind, std::string plural, std::string singular,
                 bool namespaced, std::vector<std::string> shortNames,
                 std::vector<std::string> categories) {
  KindInfo k;
  k.group = std::move(group);
  k.version = "v1";
  k.kind = std::move(kind);
  k.listKind = k.kind + "List";
  k.plural = std::move(plural);
  k.singular = std::move(singular);
  k.namespaced = namespaced;
  k.shortNames = std::move(shortNames);
  k.categories = std::move(categories);
  k.verbs = kAllVerbs;
  k.strategicMerge = true;
  k.schema = builtinSchema(k.group, k.kind);
  return k;
}

}  // namespace

std::vector<KindInfo> builtinKinds() {
  std::vector<KindInfo> out;
  // Core group, in the real server's discovery order (alphabetical by resource).
  out.push_back(builtin("", "ConfigMap", "configmaps", "configmap", true, {"cm"}, {}));
  // Storage only: no endpoints controller runs (the API server keeps `kubernetes` in default).
  out.push_back(builtin("", "Endpoints", "endpoints", "endpoints", true, {"ep"}, {}));
  out.push_back(builtin("", "Event", "events", "event", true, {"ev"}, {}));
  // Storage only: nothing applies a LimitRange's defaults or limits to pods.
  out.push_back(builtin("", "LimitRange", "limitranges", "limitrange", true, {"limits"}, {}));
  KindInfo ns = builtin("", "Namespace", "namespaces", "namespace", false, {"ns"}, {});
  ns.verbs = {"create", "delete", "get", "list", "patch", "update", "watch"};
  ns.hasStatus = true;
  out.push_back(std::move(ns));
  // The simulated cluster's Nodes (api_server.cpp bootstrap); no kubelet heartbeats them.
  KindInfo node = builtin("", "Node", "nodes", "node", false, {"no"}, {});
  node.hasStatus = true;
  out.push_back(std::move(node));
  // Storage only: no volume binding or provisioning; claims stay Pending.
  KindInfo pvc = builtin("", "PersistentVolumeClaim", "persistentvolumeclaims",
                         "persistentvolumeclaim", true, {"pvc"}, {});
  pvc.hasStatus = true;
  out.push_back(std::move(pvc));
  KindInfo pv =
      builtin("", "PersistentVolume", "persistentvolumes", "persistentvolume", false, {"pv"}, {});
  pv.hasStatus = true;
  out.push_back(std::move(pv));
  KindInfo pod = builtin("", "Pod", "pods", "pod", true, {"po"}, {"all"});
  pod.hasStatus = true;
  out.push_back(std::move(pod));
  // Storage only: no quota controller fills status, no admission enforces it.
  KindInfo quota =
      builtin("", "ResourceQuota", "resourcequotas", "resourcequota", true, {"quota"}, {});
  quota.hasStatus = true;
  out.push_back(std::move(quota));
  // Storage only (as kubectl and the operator's analysis credentials use it): `data` values are
  // base64 as sent; stringData is not merged into data.
  out.push_back(builtin("", "Secret", "secrets", "secret", true, {}, {}));
  // Tokens for them come from the TokenRequest API (api/token_verbs.cpp).
  KindInfo sa =
      builtin("", "ServiceAccount", "serviceaccounts", "serviceaccount", true, {"sa"}, {});
  sa.hasToken = true;
  out.push_back(std::move(sa));
  KindInfo svc = builtin("", "Service", "services", "service", true, {"svc"}, {"all"});
  svc.hasStatus = true;
  out.push_back(std::move(svc));
  // apps, alphabetical by resource as in the real discovery (controllerrevisions not served).
  KindInfo ds = builtin("apps", "DaemonSet", "daemonsets", "daemonset", true, {"ds"}, {"all"});
  ds.hasStatus = true;
  out.push_back(std::move(ds));
  KindInfo deploy =
      builtin("apps", "Deployment", "deployments", "deployment", true, {"deploy"}, {"all"});
  deploy.hasStatus = true;
  deploy.hasScale = true;
  out.push_back(std::move(deploy));
  KindInfo rs = builtin("apps", "ReplicaSet", "replicasets", "replicaset", true, {"rs"}, {"all"});
  rs.hasStatus = true;
  rs.hasScale = true;
  out.push_back(std::move(rs));
  KindInfo sts =
      builtin("apps", "StatefulSet", "statefulsets", "statefulset", true, {"sts"}, {"all"});
  sts.hasStatus = true;
  sts.hasScale = true;
  out.push_back(std::move(sts));
  // authorization.k8s.io: the reviews `kubectl auth can-i` (--list) sends (api/review_verbs.cpp).
  for (const auto& [kind, plural, singular] :
       std::vector<std::tuple<const char*, const char*, const char*>>{
           {"SelfSubjectAccessReview", "selfsubjectaccessreviews", "selfsubjectaccessreview"},
           {"SelfSubjectRulesReview", "selfsubjectrulesreviews", "selfsubjectrulesreview"}}) {
    KindInfo review = builtin("authorization.k8s.io", kind, plural, singular, false, {}, {});
    review.verbs = {"create"};
    review.strategicMerge = false;
    review.review = true;
    out.push_back(std::move(review));
  }
  // autoscaling, batch, networking.k8s.io and policy: storage only (no autoscaler, Job or CronJob
  // controller runs, no ingress controller or network plugin reads them, nothing evicts against
  // a budget). Groups stay in the real /apis order: ... authorization.k8s.io, autoscaling, batch,
  // certificates.k8s.io, networking.k8s.io, policy, rbac.authorization.k8s.io, storage.k8s.io,
  // admissionregistration.k8s.io, apiextensions.k8s.io, scheduling.k8s.io, coordination.k8s.io ...
  // HorizontalPodAutoscalers are served as autoscaling/v2 only (the real server also serves v1).
  KindInfo hpa = builtin("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
                         "horizontalpodautoscaler", true, {"hpa"}, {"all"});
  hpa.version = "v2";
  hpa.hasStatus = true;
  out.push_back(std::move(hpa));
  KindInfo cronJob = builtin("batch", "CronJob", "cronjobs", "cronjob", true, {"cj"}, {"all"});
  cronJob.hasStatus = true;
  out.push_back(std::move(cronJob));
  KindInfo job = builtin("batch", "Job", "jobs", "job", true, {}, {"all"});
  job.hasStatus = true;
  out.push_back(std::move(job));
  out.push_back(builtin("networking.k8s.io", "IngressClass", "ingressclasses", "ingressclass",
                        false, {}, {}));
  KindInfo ingress =
      builtin("networking.k8s.io", "Ingress", "ingresses", "ingress", true, {"ing"}, {});
  ingress.hasStatus = true;
  out.push_back(std::move(ingress));
  out.push_back(builtin("networking.k8s.io", "NetworkPolicy", "networkpolicies", "networkpolicy",
                        true, {"netpol"}, {}));
  KindInfo pdb = builtin("policy", "PodDisruptionBudget", "poddisruptionbudgets",
                         "poddisruptionbudget", true, {"pdb"}, {});
  pdb.hasStatus = true;
  out.push_back(std::move(pdb));
  // rbac.authorization.k8s.io: what api/authorization.cpp authorizes ServiceAccount tokens by.
  for (const auto& [kind, plural, namespaced] :
       std::vector<std::tuple<const char*, const char*, bool>>{
           {"ClusterRoleBinding", "clusterrolebindings", false},
           {"ClusterRole", "clusterroles", false},
           {"RoleBinding", "rolebindings", true},
           {"Role", "roles", true}}) {
    std::string singular = plural;
    singular.pop_back();
    KindInfo k = builtin("rbac.authorization.k8s.io", kind, plural, singular, namespaced, {}, {});
    k.strategicMerge = true;
    out.push_back(std::move(k));
  }
  // admissionregistration.k8s.io: storage only. kubesim never calls a webhook: configurations
  // are stored and listed, and admission goes on without them.
  for (const char* kind : {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}) {
    std::string singular = kind;
    std::transform(singular.begin(), singular.end(), singular.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.push_back(builtin("admissionregistration.k8s.io", kind, singular + "s", singular, false, {},
                          {"api-extensions"}));
  }
  KindInfo crd =
      builtin("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions",
              "customresourcedefinition", false, {"crd", "crds"}, {"api-extensions"});
  crd.hasStatus = true;
  crd.strategicMerge = false;  // CRDs have no Go struct tags for SMP; kubectl sends merge patches
  out.push_back(std::move(crd));
  out.push_back(builtin("coordination.k8s.io", "Lease", "leases", "lease", true, {}, {}));
  return out;
}

namespace {

// The built-in kinds, built once per process and never changed: their schemas are large trees,
// and every ApiServer (the tests and fuzz targets make thousands) shares them.
const std::vector<std::shared_ptr<const KindInfo>>& sharedBuiltins() {
  static const std::vector<std::shared_ptr<const KindInfo>> kinds = [] {
    std::vector<std::shared_ptr<const KindInfo>> out;
    for (auto& k : builtinKinds()) out.push_back(std::make_shared<const KindInfo>(std::move(k)));
    return out;
  }();
  return kinds;
}

}  // namespace

KindRegistry::KindRegistry() : kinds_(sharedBuiltins()) {}

const KindInfo* KindRegistry::byResource(std::string_view group, std::string_view version,
                                         std::string_view plural) const {
  for (const auto& k : kinds_) {
    if (k->group == group && k->version == version && k->plural == plural) return k.get();
  }
  return nullptr;
}

const KindInfo* KindRegistry::byKind(std::string_view apiVersion, std::string_view kind) const {
  for (const auto& k : kinds_) {
    if (k->kind == kind && k->apiVersion() == apiVersion) return k.get();
  }
  return nullptr;
}

const KindInfo* KindRegistry::byGroupResource(std::string_view group,
                                              std::string_view plural) const {
  for (const auto& k : kinds_) {
    if (k->group == group && k->plural == plural) return k.get();
  }
  return nullptr;
}

std::vector<const KindInfo*> KindRegistry::all() const {
  std::vector<const KindInfo*> out;
  for (const auto& k : kinds_) out.push_back(k.get());
  return out;
}

std::vector<const KindInfo*> KindRegistry::inGroupVersion(std::string_view group,
                                                          std::string_view version) const {
  std::vector<const KindInfo*> out;
  for (const auto& k : kinds_) {
    if (k->group == group && k->version == version) out.push_back(k.get());
  }
  return out;
}

std::vector<GroupVersion> KindRegistry::groupVersions() const {
  std::vector<GroupVersion> out;
  // Groups in order of first appearance; each group's versions kept together.
  std::vector<std::string> groups;
  for (const auto& k : kinds_) {
    if (std::find(groups.begin(), groups.end(), k->group) == groups.end()) {
      groups.push_back(k->group);
    }
  }
  for (const auto& g : groups) {
    for (const auto& k : kinds_) {
      if (k->group != g) continue;
      GroupVersion gv{k->group, k->version};
      if (std::find(out.begin(), out.end(), gv) == out.end()) out.push_back(gv);
    }
  }
  return out;
}

void KindRegistry::addCustom(std::vector<KindInfo> kinds) {
  for (const auto& k : kinds) removeCrd(k.crdName);
  for (auto& k : kinds) kinds_.push_back(std::make_shared<const KindInfo>(std::move(k)));
}

void KindRegistry::removeCrd(std::string_view crdName) {
  std::erase_if(kinds_, [&](const std::shared_ptr<const KindInfo>& k) {
    return k->isCustom && k->crdName == crdName;
  });
}

}  // namespace kubesim::schema
