#include "kubesim/http/protobuf_kinds.h"

#include <map>
#include <utility>

namespace kubesim::http::protobuf {
namespace {

// authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`).
Fields selfSubjectAccessReview() {
  const Fields requirement = {{1, str("key")}, {2, str("operator")}, {3, repeatedStr("values")}};
  const Fields selector = {{1, str("rawSelector")},
                           {2, repeatedMessage("requirements", requirement)}};
  return {
      {1, objectMeta()},
      {2, message("spec",
                  {{1, message("resourceAttributes", {{1, str("namespace")},
                                                      {2, str("verb")},
                                                      {3, str("group")},
                                                      {4, str("version")},
                                                      {5, str("resource")},
                                                      {6, str("subresource")},
                                                      {7, str("name")},
                                                      {8, message("fieldSelector", selector)},
                                                      {9, message("labelSelector", selector)}})},
                   {2, message("nonResourceAttributes", {{1, str("path")}, {2, str("verb")}})}})},
      {3, message("status", {{1, boolean("allowed", Zero::Keep)},
                             {2, str("reason")},
                             {3, str("evaluationError")},
                             {4, boolean("denied")}})}};
}

// authorization.k8s.io/v1 SelfSubjectRulesReview (`kubectl auth can-i --list`).
Fields selfSubjectRulesReview() {
  return {
      {1, objectMeta()},
      {2, message("spec", {{1, str("namespace")}})},
      {3, message("status",
                  {{1, repeatedMessage("resourceRules", {{1, repeatedStr("verbs")},
                                                         {2, repeatedStr("apiGroups")},
                                                         {3, repeatedStr("resources")},
                                                         {4, repeatedStr("resourceNames")}})},
                   {2, repeatedMessage("nonResourceRules", {{1, repeatedStr("verbs")},
                                                            {2, repeatedStr("nonResourceURLs")}})},
                   {3, boolean("incomplete", Zero::Keep)},
                   {4, str("evaluationError")}})}};
}

// authentication.k8s.io/v1 TokenRequest (`kubectl create token`). expirationSeconds is a pointer:
// a zero sent is kept (and refused by validation).
Fields tokenRequest() {
  return {{1, objectMeta()},
          {2, message("spec", {{1, repeatedStr("audiences")},
                               {4, int64("expirationSeconds", Zero::Keep)},
                               {3, message("boundObjectRef", {{1, str("kind")},
                                                              {2, str("apiVersion")},
                                                              {3, str("name")},
                                                              {4, str("uid")}})}})},
          {3, message("status", {{1, str("token")}, {2, time("expirationTimestamp")}})}};
}

// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding (`kubectl
// create role/clusterrole/rolebinding/clusterrolebinding`).
std::optional<Fields> rbacTable(const std::string& kind) {
  const Fields rule = {{1, repeatedStr("verbs")},
                       {2, repeatedStr("apiGroups")},
                       {3, repeatedStr("resources")},
                       {4, repeatedStr("resourceNames")},
                       {5, repeatedStr("nonResourceURLs")}};
  if (kind == "Role") return Fields{{1, objectMeta()}, {2, repeatedMessage("rules", rule)}};
  if (kind == "ClusterRole") {
    return Fields{
        {1, objectMeta()},
        {2, repeatedMessage("rules", rule)},
        {3, message("aggregationRule",
                    {{1, repeatedMessage("clusterRoleSelectors", labelSelectorFields())}})}};
  }
  if (kind == "RoleBinding" || kind == "ClusterRoleBinding") {
    return Fields{
        {1, objectMeta()},
        {2, repeatedMessage(
                "subjects",
                {{1, str("kind")}, {2, str("apiGroup")}, {3, str("name")}, {4, str("namespace")}})},
        {3, message("roleRef", {{1, str("apiGroup")}, {2, str("kind")}, {3, str("name")}})}};
  }
  return std::nullopt;
}

std::optional<Fields> coreTable(const std::string& kind) {
  if (kind == "Namespace")
    return Fields{{1, objectMeta()}, {2, message("spec", {{1, repeatedStr("finalizers")}})}};
  if (kind == "ConfigMap")
    return Fields{{1, objectMeta()},
                  {2, stringMap("data")},
                  {3, stringMap("binaryData", true)},
                  {4, boolean("immutable", Zero::Keep)}};
  if (kind == "ServiceAccount") {
    return Fields{{1, objectMeta()},
                  {2, repeatedMessage("secrets", {{1, str("kind")},
                                                  {2, str("namespace")},
                                                  {3, str("name")},
                                                  {4, str("uid")},
                                                  {5, str("apiVersion")},
                                                  {6, str("resourceVersion")},
                                                  {7, str("fieldPath")}})},
                  {3, repeatedMessage("imagePullSecrets", {{1, str("name")}})},
                  {4, boolean("automountServiceAccountToken", Zero::Keep)}};
  }
  if (kind == "Secret")
    return Fields{{1, objectMeta()},
                  {2, stringMap("data", true)},
                  {3, str("type")},
                  {4, stringMap("stringData")},
                  {5, boolean("immutable", Zero::Keep)}};
  return std::nullopt;
}

std::optional<Fields> buildTable(const std::string& apiVersion, const std::string& kind) {
  if (apiVersion == "authorization.k8s.io/v1" && kind == "SelfSubjectAccessReview") {
    return selfSubjectAccessReview();
  }
  if (apiVersion == "authentication.k8s.io/v1" && kind == "TokenRequest") return tokenRequest();
  if (apiVersion == "authorization.k8s.io/v1" && kind == "SelfSubjectRulesReview") {
    return selfSubjectRulesReview();
  }
  if (apiVersion == "rbac.authorization.k8s.io/v1") return rbacTable(kind);
  if (apiVersion == "v1") {
    if (auto table = coreTable(kind)) return table;
  }
  if (auto table = moreKindTable(apiVersion, kind)) return table;
  return workloadKindTable(apiVersion, kind);
}

using KindKey = std::pair<std::string, std::string>;

// Every table, built once per process and never changed (a pod template's table is a few
// thousand small objects: not to be rebuilt per request).
const std::map<KindKey, Fields>& allTables() {
  static const std::map<KindKey, Fields> tables = [] {
    const KindKey kinds[] = {
        {"v1", "Namespace"},
        {"v1", "ConfigMap"},
        {"v1", "Secret"},
        {"v1", "ServiceAccount"},
        {"v1", "Service"},
        {"v1", "Pod"},
        {"v1", "PodTemplate"},
        {"v1", "ReplicationController"},
        {"authorization.k8s.io/v1", "SelfSubjectAccessReview"},
        {"authentication.k8s.io/v1", "TokenRequest"},
        {"authorization.k8s.io/v1", "SelfSubjectRulesReview"},
        {"rbac.authorization.k8s.io/v1", "Role"},
        {"rbac.authorization.k8s.io/v1", "ClusterRole"},
        {"rbac.authorization.k8s.io/v1", "RoleBinding"},
        {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
        {"apps/v1", "Deployment"},
        {"apps/v1", "ReplicaSet"},
        {"apps/v1", "StatefulSet"},
        {"apps/v1", "DaemonSet"},
        {"batch/v1", "Job"},
        {"batch/v1", "CronJob"},
        {"policy/v1", "PodDisruptionBudget"},
        {"v1", "Node"},
        {"v1", "Endpoints"},
        {"v1", "PersistentVolumeClaim"},
        {"v1", "ResourceQuota"},
        {"v1", "LimitRange"},
        {"networking.k8s.io/v1", "Ingress"},
        {"networking.k8s.io/v1", "NetworkPolicy"},
        {"autoscaling/v2", "HorizontalPodAutoscaler"},
    };
    std::map<KindKey, Fields> out;
    for (const auto& key : kinds) {
      if (auto table = buildTable(key.first, key.second)) out.emplace(key, std::move(*table));
    }
    return out;
  }();
  return tables;
}

}  // namespace

const Fields* kindTable(const std::string& apiVersion, const std::string& kind) {
  // meta/v1 DeleteOptions, the body of a DELETE (`helm uninstall` sends one): registered in every
  // group version, so client-go encodes it with the version of whatever it deletes. Its pointer
  // fields keep a zero that was sent (gracePeriodSeconds 0 means "now").
  if (kind == "DeleteOptions") {
    static const Fields deleteOptions = {
        {1, int64("gracePeriodSeconds", Zero::Keep)},
        {2, message("preconditions", {{1, str("uid")}, {2, str("resourceVersion")}})},
        {3, boolean("orphanDependents", Zero::Keep)},
        {4, str("propagationPolicy")},
        {5, repeatedStr("dryRun")},
        {6, boolean("ignoreStoreReadErrorWithClusterBreakingPotential", Zero::Keep)}};
    return &deleteOptions;
  }
  const auto& tables = allTables();
  auto it = tables.find(KindKey{apiVersion, kind});
  return it == tables.end() ? nullptr : &it->second;
}

}  // namespace kubesim::http::protobuf
