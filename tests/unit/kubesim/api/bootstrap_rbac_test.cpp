// The default RBAC objects (kubesim/api/bootstrap_rbac.h): their shape, the aggregated rules of
// admin, edit and view, and what they let users and ServiceAccounts do under the RBAC
// authorizer, as on a fresh real cluster.

#include "kubesim/api/bootstrap_rbac.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "kubesim/api/rbac_authorizer.h"
#include "rbac_request_util.h"

namespace kubesim::api {
namespace {

const Json& named(const std::vector<Json>& objects, const std::string& name) {
  for (const Json& o : objects) {
    if (o["metadata"]["name"] == name) return o;
  }
  static const Json kNone;
  ADD_FAILURE() << "no object named " << name;
  return kNone;
}

std::vector<std::string> names(const std::vector<Json>& objects) {
  std::vector<std::string> out;
  for (const Json& o : objects) out.push_back(o["metadata"]["name"].get<std::string>());
  return out;
}

// `first`'s rules followed by `second`'s.
Json concat(const Json& first, const Json& second) {
  Json out = first;
  for (const Json& r : second) out.push_back(r);
  return out;
}

using testing::pathRequest;
using testing::resourceRequest;

std::string describe(const RequestAttributes& a) {
  if (!a.resourceRequest) return a.verb + " " + a.path;
  return a.verb + " " + a.resource + (a.subresource.empty() ? "" : "/" + a.subresource) + "." +
         a.apiGroup + " ns=" + a.namespace_ + " name=" + a.name;
}

struct Case {
  RequestAttributes request;
  bool allowed;
};

const UserInfo kAlice{"alice", {"system:authenticated"}};
const UserInfo kAnonymous{"system:anonymous", {"system:unauthenticated"}};
const UserInfo kRobot = serviceAccountUser("team", "robot");

// The bootstrap objects plus whatever RoleBindings and ClusterRoleBindings a test adds (deque:
// pointers stay valid as it grows).
class BootstrapRbacTest : public ::testing::Test {
 protected:
  // Binds the robot ServiceAccount to ClusterRole `clusterRole` in its own namespace "team".
  void bindRobot(const std::string& clusterRole) {
    extraRoleBindings_.push_back(
        {{"apiVersion", "rbac.authorization.k8s.io/v1"},
         {"kind", "RoleBinding"},
         {"metadata", {{"name", "robot-" + clusterRole}, {"namespace", "team"}}},
         {"roleRef",
          {{"apiGroup", "rbac.authorization.k8s.io"},
           {"kind", "ClusterRole"},
           {"name", clusterRole}}},
         {"subjects",
          Json::array({{{"kind", "ServiceAccount"}, {"name", "robot"}, {"namespace", "team"}}})}});
  }

  RbacObjects objects() const {
    RbacObjects o;
    for (const Json& j : clusterRoles_) o.clusterRoles.push_back(&j);
    for (const Json& j : clusterRoleBindings_) o.clusterRoleBindings.push_back(&j);
    for (const Json& j : extraRoleBindings_) o.roleBindings.push_back(&j);
    return o;
  }
  Decision decide(const RequestAttributes& a) const { return authorize(a, objects()); }

  void expectCases(const std::vector<Case>& cases) const {
    for (const Case& c : cases) {
      EXPECT_EQ(decide(c.request).allowed, c.allowed) << describe(c.request);
    }
  }

  std::vector<Json> clusterRoles_ = bootstrapClusterRoles();
  std::vector<Json> clusterRoleBindings_ = bootstrapClusterRoleBindings();
  std::deque<Json> extraRoleBindings_;
};

// --- The objects. ---

TEST(BootstrapRbacObjectsTest, TheRolesAndBindingsByName) {
  EXPECT_EQ(names(bootstrapClusterRoles()),
            (std::vector<std::string>{"admin", "cluster-admin", "edit", "system:aggregate-to-admin",
                                      "system:aggregate-to-edit", "system:aggregate-to-view",
                                      "system:basic-user", "system:discovery",
                                      "system:public-info-viewer", "view"}));
  EXPECT_EQ(names(bootstrapClusterRoleBindings()),
            (std::vector<std::string>{"cluster-admin", "system:basic-user", "system:discovery",
                                      "system:public-info-viewer"}));
}

TEST(BootstrapRbacObjectsTest, EveryObjectCarriesTheBootstrapMetadata) {
  std::vector<Json> all = bootstrapClusterRoles();
  for (Json& b : bootstrapClusterRoleBindings()) all.push_back(std::move(b));
  for (const Json& o : all) {
    const std::string name = o["metadata"]["name"].get<std::string>();
    EXPECT_EQ(o["apiVersion"], "rbac.authorization.k8s.io/v1") << name;
    EXPECT_EQ(o["metadata"]["labels"]["kubernetes.io/bootstrapping"], "rbac-defaults") << name;
    EXPECT_EQ(o["metadata"]["annotations"],
              (Json{{"rbac.authorization.kubernetes.io/autoupdate", "true"}}))
        << name;
  }
}

TEST(BootstrapRbacObjectsTest, AggregationLabelsAndSelectors) {
  const std::vector<Json> roles = bootstrapClusterRoles();
  const std::string prefix = "rbac.authorization.k8s.io/aggregate-to-";
  struct LabelCase {
    const char* role;
    const char* label;    // the aggregate-to-* label it carries, or ""
    const char* selects;  // the aggregate-to-* label its aggregationRule selects, or ""
  };
  for (const LabelCase& c :
       {LabelCase{"admin", "", "admin"}, LabelCase{"edit", "admin", "edit"},
        LabelCase{"view", "edit", "view"}, LabelCase{"system:aggregate-to-admin", "admin", ""},
        LabelCase{"system:aggregate-to-edit", "edit", ""},
        LabelCase{"system:aggregate-to-view", "view", ""}, LabelCase{"cluster-admin", "", ""}}) {
    const Json& role = named(roles, c.role);
    Json labels = {{"kubernetes.io/bootstrapping", "rbac-defaults"}};
    if (*c.label) labels[prefix + c.label] = "true";
    EXPECT_EQ(role["metadata"]["labels"], labels) << c.role;
    if (*c.selects) {
      EXPECT_EQ(role["aggregationRule"],
                (Json{{"clusterRoleSelectors",
                       Json::array({{{"matchLabels", {{prefix + c.selects, "true"}}}}})}}))
          << c.role;
    } else {
      EXPECT_FALSE(role.contains("aggregationRule")) << c.role;
    }
  }
}

// As the aggregation controller leaves them: view = aggregate-to-view, edit = aggregate-to-edit
// then view (roles by name), admin = edit then aggregate-to-admin.
TEST(BootstrapRbacObjectsTest, AggregatedRolesHoldTheirSourcesRulesInOrder) {
  const std::vector<Json> roles = bootstrapClusterRoles();
  const Json& toAdmin = named(roles, "system:aggregate-to-admin")["rules"];
  const Json& toEdit = named(roles, "system:aggregate-to-edit")["rules"];
  const Json& toView = named(roles, "system:aggregate-to-view")["rules"];
  EXPECT_EQ(toAdmin.size(), 2u);
  EXPECT_EQ(toEdit.size(), 13u);
  EXPECT_EQ(toView.size(), 10u);
  EXPECT_EQ(named(roles, "view")["rules"], toView);
  EXPECT_EQ(named(roles, "edit")["rules"], concat(toEdit, toView));
  EXPECT_EQ(named(roles, "admin")["rules"], concat(concat(toEdit, toView), toAdmin));
}

TEST(BootstrapRbacObjectsTest, BindingsRefToTheirNamesakeAndNameGroups) {
  const std::vector<Json> bindings = bootstrapClusterRoleBindings();
  const auto group = [](const char* name) {
    return Json{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Group"}, {"name", name}};
  };
  for (const Json& b : bindings) {
    EXPECT_EQ(b["kind"], "ClusterRoleBinding");
    EXPECT_EQ(b["roleRef"], (Json{{"apiGroup", "rbac.authorization.k8s.io"},
                                  {"kind", "ClusterRole"},
                                  {"name", b["metadata"]["name"]}}));
  }
  EXPECT_EQ(named(bindings, "cluster-admin")["subjects"], Json::array({group("system:masters")}));
  EXPECT_EQ(named(bindings, "system:discovery")["subjects"],
            Json::array({group("system:authenticated")}));
  EXPECT_EQ(named(bindings, "system:basic-user")["subjects"],
            Json::array({group("system:authenticated")}));
  EXPECT_EQ(named(bindings, "system:public-info-viewer")["subjects"],
            Json::array({group("system:authenticated"), group("system:unauthenticated")}));
}

// --- What they allow. ---

TEST_F(BootstrapRbacTest, SystemMastersMayDoAnything) {
  const UserInfo admin{"kubernetes-admin", {"system:masters", "system:authenticated"}};
  expectCases({
      {resourceRequest(admin, "delete", "", "nodes", "", "n1"), true},
      {resourceRequest(admin, "create", "rbac.authorization.k8s.io", "clusterroles", ""), true},
      {resourceRequest(admin, "escalate", "rbac.authorization.k8s.io", "roles", "team"), true},
      {pathRequest(admin, "get", "/metrics"), true},
  });
}

// The cluster-admin role itself grants everything, through a binding other than system:masters.
TEST_F(BootstrapRbacTest, ClusterAdminRoleGrantsEverything) {
  clusterRoleBindings_.push_back(
      {{"apiVersion", "rbac.authorization.k8s.io/v1"},
       {"kind", "ClusterRoleBinding"},
       {"metadata", {{"name", "alice-admin"}}},
       {"roleRef",
        {{"apiGroup", "rbac.authorization.k8s.io"},
         {"kind", "ClusterRole"},
         {"name", "cluster-admin"}}},
       {"subjects",
        Json::array(
            {{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "User"}, {"name", "alice"}}})}});
  expectCases({
      {resourceRequest(kAlice, "delete", "", "nodes", "", "n1"), true},
      {resourceRequest(kAlice, "patch", "example.com", "widgets", "team", "w", "status"), true},
      {pathRequest(kAlice, "get", "/metrics"), true},
      {pathRequest(kAlice, "post", "/anything"), true},
  });
  EXPECT_EQ(
      decide(pathRequest(kAlice, "get", "/metrics")).reason,
      R"(RBAC: allowed by ClusterRoleBinding "alice-admin" of ClusterRole "cluster-admin" to User "alice")");
}

TEST_F(BootstrapRbacTest, AuthenticatedUsersMayDiscoverAndReviewThemselves) {
  for (const UserInfo& u : {kAlice, kRobot}) {
    expectCases({
        {pathRequest(u, "get", "/api"), true},
        {pathRequest(u, "get", "/api/v1"), true},
        {pathRequest(u, "get", "/apis"), true},
        {pathRequest(u, "get", "/apis/apps/v1"), true},
        {pathRequest(u, "get", "/openapi/v2"), true},
        {pathRequest(u, "get", "/openapi/v3"), true},
        {pathRequest(u, "get", "/version"), true},
        {pathRequest(u, "get", "/healthz"), true},
        {pathRequest(u, "get", "/livez"), true},
        {pathRequest(u, "get", "/readyz"), true},
        {pathRequest(u, "post", "/apis"), false},
        {pathRequest(u, "get", "/metrics"), false},
        {resourceRequest(u, "create", "authorization.k8s.io", "selfsubjectaccessreviews", ""),
         true},
        {resourceRequest(u, "create", "authorization.k8s.io", "selfsubjectrulesreviews", ""), true},
        {resourceRequest(u, "create", "authentication.k8s.io", "selfsubjectreviews", ""), true},
        {resourceRequest(u, "create", "authorization.k8s.io", "subjectaccessreviews", ""), false},
        {resourceRequest(u, "list", "", "pods", "team"), false},
        {resourceRequest(u, "list", "", "namespaces", ""), false},
    });
  }
  EXPECT_EQ(
      decide(pathRequest(kAlice, "get", "/apis")).reason,
      R"(RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated")");
}

TEST_F(BootstrapRbacTest, UnauthenticatedUsersMayOnlyReadPublicInfo) {
  expectCases({
      {pathRequest(kAnonymous, "get", "/healthz"), true},
      {pathRequest(kAnonymous, "get", "/livez"), true},
      {pathRequest(kAnonymous, "get", "/readyz"), true},
      {pathRequest(kAnonymous, "get", "/version"), true},
      {pathRequest(kAnonymous, "get", "/version/"), true},
      {pathRequest(kAnonymous, "get", "/apis"), false},
      {pathRequest(kAnonymous, "get", "/api"), false},
      {pathRequest(kAnonymous, "get", "/openapi/v3"), false},
      {pathRequest(kAnonymous, "get", "/healthz/etcd"), false},
      {resourceRequest(kAnonymous, "create", "authorization.k8s.io", "selfsubjectaccessreviews",
                       ""),
       false},
      {resourceRequest(kAnonymous, "list", "", "pods", "default"), false},
  });
}

TEST_F(BootstrapRbacTest, ViewReadsTheNamespaceButNotSecretsAndWritesNothing) {
  EXPECT_FALSE(decide(resourceRequest(kRobot, "list", "apps", "deployments", "team")).allowed);
  bindRobot("view");
  expectCases({
      {resourceRequest(kRobot, "list", "apps", "deployments", "team"), true},
      {resourceRequest(kRobot, "watch", "apps", "deployments", "team"), true},
      {resourceRequest(kRobot, "get", "apps", "deployments", "team", "web", "scale"), true},
      {resourceRequest(kRobot, "get", "", "pods", "team", "p", "log"), true},
      {resourceRequest(kRobot, "list", "", "configmaps", "team"), true},
      {resourceRequest(kRobot, "list", "discovery.k8s.io", "endpointslices", "team"), true},
      {resourceRequest(kRobot, "get", "", "namespaces", "team", "team"), true},
      {resourceRequest(kRobot, "get", "", "secrets", "team", "s"), false},
      {resourceRequest(kRobot, "list", "", "secrets", "team"), false},
      {resourceRequest(kRobot, "create", "apps", "deployments", "team"), false},
      {resourceRequest(kRobot, "patch", "apps", "deployments", "team", "web"), false},
      {resourceRequest(kRobot, "create", "", "pods", "team", "p", "exec"), false},
      {resourceRequest(kRobot, "list", "rbac.authorization.k8s.io", "roles", "team"), false},
      {resourceRequest(kRobot, "list", "apps", "deployments", "other"), false},
      {resourceRequest(kRobot, "list", "", "nodes", ""), false},
  });
  EXPECT_EQ(
      decide(resourceRequest(kRobot, "list", "apps", "deployments", "team")).reason,
      R"(RBAC: allowed by RoleBinding "robot-view/team" of ClusterRole "view" to ServiceAccount "robot/team")");
}

TEST_F(BootstrapRbacTest, EditWritesWorkloadsAndReadsSecretsButGrantsNoRoles) {
  bindRobot("edit");
  expectCases({
      {resourceRequest(kRobot, "create", "apps", "deployments", "team"), true},
      {resourceRequest(kRobot, "update", "apps", "deployments", "team", "web", "scale"), true},
      {resourceRequest(kRobot, "delete", "apps", "deployments", "team", "web"), true},
      {resourceRequest(kRobot, "list", "apps", "deployments", "team"), true},  // from view
      {resourceRequest(kRobot, "get", "", "secrets", "team", "s"), true},
      {resourceRequest(kRobot, "create", "", "secrets", "team"), true},
      {resourceRequest(kRobot, "create", "", "pods", "team", "p", "exec"), true},
      {resourceRequest(kRobot, "create", "", "serviceaccounts", "team", "sa", "token"), true},
      {resourceRequest(kRobot, "create", "coordination.k8s.io", "leases", "team"), true},
      {resourceRequest(kRobot, "create", "batch", "jobs", "team"), true},
      {resourceRequest(kRobot, "create", "rbac.authorization.k8s.io", "roles", "team"), false},
      {resourceRequest(kRobot, "create", "rbac.authorization.k8s.io", "rolebindings", "team"),
       false},
      {resourceRequest(kRobot, "list", "rbac.authorization.k8s.io", "roles", "team"), false},
      {resourceRequest(kRobot, "update", "apps", "deployments", "team", "web", "status"), false},
      {resourceRequest(kRobot, "create", "", "resourcequotas", "team"), false},
      {resourceRequest(kRobot, "create", "", "endpoints", "team"), false},
      {resourceRequest(kRobot, "create", "apps", "deployments", "other"), false},
  });
}

TEST_F(BootstrapRbacTest, AdminAlsoManagesRolesInTheNamespace) {
  bindRobot("admin");
  expectCases({
      {resourceRequest(kRobot, "create", "rbac.authorization.k8s.io", "roles", "team"), true},
      {resourceRequest(kRobot, "create", "rbac.authorization.k8s.io", "rolebindings", "team"),
       true},
      {resourceRequest(kRobot, "delete", "rbac.authorization.k8s.io", "rolebindings", "team", "rb"),
       true},
      {resourceRequest(kRobot, "create", "authorization.k8s.io", "localsubjectaccessreviews",
                       "team"),
       true},
      {resourceRequest(kRobot, "create", "apps", "deployments", "team"), true},  // from edit
      {resourceRequest(kRobot, "get", "", "secrets", "team", "s"), true},        // from edit
      {resourceRequest(kRobot, "get", "", "pods", "team", "p", "log"), true},    // from view
      {resourceRequest(kRobot, "create", "rbac.authorization.k8s.io", "roles", "other"), false},
      {resourceRequest(kRobot, "create", "rbac.authorization.k8s.io", "clusterroles", ""), false},
      {resourceRequest(kRobot, "create", "", "resourcequotas", "team"), false},
      {resourceRequest(kRobot, "delete", "", "namespaces", "team", "team"), false},
  });
}

}  // namespace
}  // namespace kubesim::api
