#include "kubesim/api/bootstrap_rbac.h"

#include <algorithm>
#include <string>
#include <utility>

namespace kubesim::api {
namespace {

using Strings = std::vector<std::string>;

constexpr const char* kRbacApiVersion = "rbac.authorization.k8s.io/v1";
constexpr const char* kRbacGroup = "rbac.authorization.k8s.io";
constexpr const char* kAggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
constexpr const char* kAggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
constexpr const char* kAggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

// The bootstrap policy's verb sets, sorted as the stored rules hold them (the policy's rule
// builder sorts verbs, groups, resources and URLs before the objects are written).
Strings readVerbs() { return {"get", "list", "watch"}; }
Strings writeVerbs() { return {"create", "delete", "deletecollection", "patch", "update"}; }
Strings readWriteVerbs() {
  return {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
}

Json rule(Strings verbs, Strings apiGroups, Strings resources) {
  return {{"verbs", std::move(verbs)},
          {"apiGroups", std::move(apiGroups)},
          {"resources", std::move(resources)}};
}

Json urlRule(Strings verbs, Strings urls) {
  return {{"verbs", std::move(verbs)}, {"nonResourceURLs", std::move(urls)}};
}

// Every bootstrap object's labels and annotations; `labels` adds to the bootstrapping label.
Json metadata(const std::string& name, Json labels = Json::object()) {
  labels["kubernetes.io/bootstrapping"] = "rbac-defaults";
  return {{"name", name},
          {"labels", std::move(labels)},
          {"annotations", {{"rbac.authorization.kubernetes.io/autoupdate", "true"}}}};
}

Json clusterRole(const std::string& name, Json rules, Json labels = Json::object()) {
  return {{"apiVersion", kRbacApiVersion},
          {"kind", "ClusterRole"},
          {"metadata", metadata(name, std::move(labels))},
          {"rules", std::move(rules)}};
}

// A ClusterRole whose rules are those of the ClusterRoles labelled `selectorLabel`: "true";
// the rules are filled in by aggregate().
Json aggregatedClusterRole(const std::string& name, const char* selectorLabel,
                           Json labels = Json::object()) {
  Json role = clusterRole(name, Json::array(), std::move(labels));
  role["aggregationRule"] = {
      {"clusterRoleSelectors", Json::array({{{"matchLabels", {{selectorLabel, "true"}}}}})}};
  return role;
}

// --- The roles' own rules, as cluster-roles.yaml lists them. ---

Json clusterAdminRules() { return Json::array({rule({"*"}, {"*"}, {"*"}), urlRule({"*"}, {"*"})}); }

Json aggregateToAdminRules() {
  return Json::array({
      rule({"create"}, {"authorization.k8s.io"}, {"localsubjectaccessreviews"}),
      rule(readWriteVerbs(), {kRbacGroup}, {"rolebindings", "roles"}),
  });
}

// Writes to what a namespace's user works with; reads of what could escalate (secrets, exec,
// proxies), which view leaves out.
Json aggregateToEditRules() {
  return Json::array({
      rule(readVerbs(), {""},
           {"pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
            "services/proxy"}),
      rule({"impersonate"}, {""}, {"serviceaccounts"}),
      rule(writeVerbs(), {""},
           {"pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"}),
      rule({"create"}, {""}, {"pods/eviction"}),
      rule(writeVerbs(), {""},
           {"configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
            "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
            "services/proxy"}),
      rule({"create"}, {""}, {"serviceaccounts/token"}),
      rule(writeVerbs(), {"apps"},
           {"daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
            "replicasets/scale", "statefulsets", "statefulsets/scale"}),
      rule(writeVerbs(), {"autoscaling"}, {"horizontalpodautoscalers"}),
      rule(writeVerbs(), {"batch"}, {"cronjobs", "jobs"}),
      rule(writeVerbs(), {"extensions"},
           {"daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
            "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"}),
      rule(writeVerbs(), {"policy"}, {"poddisruptionbudgets"}),
      rule(writeVerbs(), {"networking.k8s.io"}, {"ingresses", "networkpolicies"}),
      rule(readWriteVerbs(), {"coordination.k8s.io"}, {"leases"}),
  });
}

Json aggregateToViewRules() {
  return Json::array({
      rule(readVerbs(), {""},
           {"configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status",
            "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
            "services", "services/status"}),
      rule(readVerbs(), {""},
           {"bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
            "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"}),
      rule(readVerbs(), {""}, {"namespaces"}),
      rule(readVerbs(), {"discovery.k8s.io"}, {"endpointslices"}),
      rule(readVerbs(), {"apps"},
           {"controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
            "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
            "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"}),
      rule(readVerbs(), {"autoscaling"},
           {"horizontalpodautoscalers", "horizontalpodautoscalers/status"}),
      rule(readVerbs(), {"batch"}, {"cronjobs", "cronjobs/status", "jobs", "jobs/status"}),
      rule(readVerbs(), {"extensions"},
           {"daemonsets", "daemonsets/status", "deployments", "deployments/scale",
            "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets",
            "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"}),
      rule(readVerbs(), {"policy"}, {"poddisruptionbudgets", "poddisruptionbudgets/status"}),
      rule(readVerbs(), {"networking.k8s.io"},
           {"ingresses", "ingresses/status", "networkpolicies"}),
  });
}

Json basicUserRules() {
  return Json::array({
      rule({"create"}, {"authorization.k8s.io"},
           {"selfsubjectaccessreviews", "selfsubjectrulesreviews"}),
      rule({"create"}, {"authentication.k8s.io"}, {"selfsubjectreviews"}),
  });
}

Json discoveryRules() {
  return Json::array(
      {urlRule({"get"}, {"/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                         "/openapi/*", "/readyz", "/version", "/version/"})});
}

Json publicInfoViewerRules() {
  return Json::array(
      {urlRule({"get"}, {"/healthz", "/livez", "/readyz", "/version", "/version/"})});
}

// --- Aggregation, as the clusterrole-aggregation controller settles it. ---

const Json* field(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// Whether `selector` (a LabelSelector with matchLabels only, as all bootstrap selectors are)
// selects `role`.
bool selects(const Json& selector, const Json& role) {
  const Json* matchLabels = field(selector, "matchLabels");
  const Json* labels = field(role.at("metadata"), "labels");
  if (matchLabels == nullptr || labels == nullptr) return false;
  for (auto it = matchLabels->begin(); it != matchLabels->end(); ++it) {
    const Json* have = field(*labels, it.key().c_str());
    if (have == nullptr || *have != it.value()) return false;
  }
  return true;
}

// The rules the controller writes into `role`: per selector, the selected roles by name (the
// role itself skipped), each one's rules in order, a rule equal to one already taken dropped.
Json aggregatedRules(const Json& role, const std::vector<Json>& roles) {
  std::vector<const Json*> byName;
  for (const Json& r : roles) byName.push_back(&r);
  std::sort(byName.begin(), byName.end(), [](const Json* a, const Json* b) {
    return a->at("metadata").at("name").get_ref<const std::string&>() <
           b->at("metadata").at("name").get_ref<const std::string&>();
  });
  Json rules = Json::array();
  for (const Json& selector : role.at("aggregationRule").at("clusterRoleSelectors")) {
    for (const Json* candidate : byName) {
      if (candidate == &role || !selects(selector, *candidate)) continue;
      for (const Json& r : candidate->at("rules")) {
        if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
      }
    }
  }
  return rules;
}

// Fills the aggregated roles' rules until nothing changes, as the controller's requeues do
// (edit takes view's rules, admin takes edit's: a role's turn may come before its sources').
void aggregate(std::vector<Json>& roles) {
  for (std::size_t pass = 0; pass <= roles.size(); ++pass) {
    bool changed = false;
    for (Json& role : roles) {
      if (field(role, "aggregationRule") == nullptr) continue;
      Json rules = aggregatedRules(role, roles);
      if (rules == role["rules"]) continue;
      role["rules"] = std::move(rules);
      changed = true;
    }
    if (!changed) return;
  }
}

Json groupSubject(const std::string& name) {
  return {{"apiGroup", kRbacGroup}, {"kind", "Group"}, {"name", name}};
}

Json clusterRoleBinding(const std::string& name, Json subjects) {
  return {{"apiVersion", kRbacApiVersion},
          {"kind", "ClusterRoleBinding"},
          {"metadata", metadata(name)},
          {"roleRef", {{"apiGroup", kRbacGroup}, {"kind", "ClusterRole"}, {"name", name}}},
          {"subjects", std::move(subjects)}};
}

}  // namespace

std::vector<Json> bootstrapClusterRoles() {
  std::vector<Json> roles = {
      aggregatedClusterRole("admin", kAggregateToAdmin),
      clusterRole("cluster-admin", clusterAdminRules()),
      aggregatedClusterRole("edit", kAggregateToEdit, {{kAggregateToAdmin, "true"}}),
      clusterRole("system:aggregate-to-admin", aggregateToAdminRules(),
                  {{kAggregateToAdmin, "true"}}),
      clusterRole("system:aggregate-to-edit", aggregateToEditRules(), {{kAggregateToEdit, "true"}}),
      clusterRole("system:aggregate-to-view", aggregateToViewRules(), {{kAggregateToView, "true"}}),
      clusterRole("system:basic-user", basicUserRules()),
      clusterRole("system:discovery", discoveryRules()),
      clusterRole("system:public-info-viewer", publicInfoViewerRules()),
      aggregatedClusterRole("view", kAggregateToView, {{kAggregateToEdit, "true"}}),
  };
  aggregate(roles);
  return roles;
}

std::vector<Json> bootstrapClusterRoleBindings() {
  return {
      clusterRoleBinding("cluster-admin", Json::array({groupSubject("system:masters")})),
      clusterRoleBinding("system:basic-user", Json::array({groupSubject("system:authenticated")})),
      clusterRoleBinding("system:discovery", Json::array({groupSubject("system:authenticated")})),
      clusterRoleBinding("system:public-info-viewer",
                         Json::array({groupSubject("system:authenticated"),
                                      groupSubject("system:unauthenticated")})),
  };
}

}  // namespace kubesim::api
