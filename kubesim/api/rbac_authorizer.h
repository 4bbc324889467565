#pragma once
// Authorization as a real kube-apiserver 1.32 decides it for a request by a user that is not a
// node: the privileged-group authorizer (members of system:masters may do anything), then the
// RBAC authorizer over the stored Roles, ClusterRoles, RoleBindings and ClusterRoleBindings
// (plugin/pkg/auth/authorizer/rbac/rbac.go, pkg/registry/rbac/validation/rule.go,
// pkg/apis/rbac/v1/evaluation_helpers.go), and the 403 a denied request is answered with
// (k8s.io/apiserver pkg/endpoints/handlers/responsewriters/errors.go Forbidden). Pure: the caller
// passes the RBAC objects and the request's attributes.
//
// Aggregated ClusterRoles: aggregationRule is not looked at. A real server's clusterrole
// aggregation controller writes the aggregated rules into the ClusterRole's own `rules`, and
// those stored rules are all the authorizer ever reads; kubesim runs no such controller, so an
// aggregated ClusterRole grants exactly the rules stored in it.

#include <string>
#include <vector>

#include "kubesim/api/request.h"
#include "kubesim/common/api_error.h"

namespace kubesim::api {

// The group whose members every request is allowed to (k8s.io/apiserver
// user.SystemPrivilegedGroup).
inline constexpr const char* kSystemMastersGroup = "system:masters";

// The user a ServiceAccount token authenticates as: "system:serviceaccount:<ns>:<name>" in the
// groups system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated.
UserInfo serviceAccountUser(const std::string& ns, const std::string& name);

// What a request asks, as the real authorizer's attributes (k8s.io/apiserver
// endpoints/request.RequestInfo).
struct RequestAttributes {
  UserInfo user;
  // Resource requests: get list watch create update patch delete deletecollection (a GET of a
  // collection is list or watch, a DELETE of one deletecollection). Non-resource requests: the
  // lower-case HTTP method (get, post, put, ...).
  std::string verb;
  bool resourceRequest = true;
  std::string apiGroup;     // "" for the core group
  std::string resource;     // plural: "deployments"
  std::string subresource;  // "status", "scale", "token", or ""
  // "" for cluster-scoped resources and for requests across all namespaces.
  std::string namespace_;
  // The object named in the path; "" for create (POST to a collection) and deletecollection. A
  // list or watch with fieldSelector=metadata.name=<x> carries <x> here, as the real RequestInfo
  // sets it, so that rules with resourceNames can allow a single-object watch.
  std::string name;
  // Non-resource requests only: the URL path, "/healthz", "/api", "/version".
  std::string path;
};

// The RBAC objects as kubesim stores them (JSON): every Role, ClusterRole, RoleBinding and
// ClusterRoleBinding. Bindings are visited in the order given (a real server's informer cache
// lists them in no defined order), which decides only which binding an allowed reason names.
struct RbacObjects {
  std::vector<const Json*> roles;
  std::vector<const Json*> clusterRoles;
  std::vector<const Json*> roleBindings;
  std::vector<const Json*> clusterRoleBindings;
};

struct Decision {
  bool allowed = false;
  // As the real server words it for SubjectAccessReview status.reason:
  //   allowed by RBAC: `RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to
  //                     ServiceAccount "sa/ns"`
  //   allowed as a member of system:masters: ""
  //   denied: "", or, when a binding that names the user refers to a Role or ClusterRole that
  //           does not exist, `RBAC: clusterrole.rbac.authorization.k8s.io "r" not found` (several
  //           distinct errors: `RBAC: [e1, e2]`)
  std::string reason;
};

Decision authorize(const RequestAttributes& a, const RbacObjects& rbac);

// What a user may do in a namespace ("" for cluster-wide rules only), as a SelfSubjectRulesReview
// reports it: the union of the privileged-group resolver's (members of system:masters get `*`
// rules first) and RBAC's RulesFor (rule.go VisitRulesFor: ClusterRoleBindings, then the
// namespace's RoleBindings), each rule with resources listed as a resource rule and each with
// nonResourceURLs as a non-resource rule. Role resolution errors make the answer incomplete.
struct RuleSet {
  std::vector<Json> resourceRules;     // {verbs, apiGroups, resources, resourceNames?}
  std::vector<Json> nonResourceRules;  // {verbs, nonResourceURLs}
  bool incomplete = false;
  std::string evaluationError;
};
RuleSet rulesFor(const UserInfo& user, const std::string& ns, const RbacObjects& rbac);

// Whether one PolicyRule (JSON: verbs, apiGroups, resources, resourceNames, nonResourceURLs)
// allows the request (rbac.go RuleAllows).
bool ruleAllows(const RequestAttributes& a, const Json& rule);

// The message of the 403 Status a real server answers a denied request with; `reason` is the
// denied Decision's reason, appended after ": " when not empty. Examples:
//   deployments.apps is forbidden: User "system:serviceaccount:default:robot" cannot list
//     resource "deployments" in API group "apps" in the namespace "default"
//   deployments.apps "web" is forbidden: User "u" cannot get resource "deployments/scale" in API
//     group "apps" in the namespace "ns"
//   nodes is forbidden: User "u" cannot list resource "nodes" in API group "" at the cluster scope
//   forbidden: User "u" cannot get path "/metrics"
std::string forbiddenMessage(const RequestAttributes& a, const std::string& reason = "");

// The whole 403: reason Forbidden, details {name, group, kind: the resource} (an empty details
// object for non-resource requests, as the real server renders it).
ApiError forbidden(const RequestAttributes& a, const std::string& reason = "");

}  // namespace kubesim::api
