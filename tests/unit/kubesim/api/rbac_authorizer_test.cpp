// The RBAC authorizer's decisions, reasons and 403 messages as a real kube-apiserver 1.32 gives
// them (kubesim/api/rbac_authorizer.h).

#include "kubesim/api/rbac_authorizer.h"

#include <gtest/gtest.h>

#include <deque>
#include "rbac_request_util.h"

namespace kubesim::api {
namespace {

// --- Objects as kubesim stores them. ---

Json rule(Json verbs, Json groups, Json resources, Json names = Json::array()) {
  Json r = {{"verbs", std::move(verbs)},
            {"apiGroups", std::move(groups)},
            {"resources", std::move(resources)}};
  if (!names.empty()) r["resourceNames"] = std::move(names);
  return r;
}

Json urlRule(Json verbs, Json urls) {
  return {{"verbs", std::move(verbs)}, {"nonResourceURLs", std::move(urls)}};
}

Json clusterRole(const std::string& name, Json rules) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "ClusterRole"},
          {"metadata", {{"name", name}}},
          {"rules", std::move(rules)}};
}

Json role(const std::string& ns, const std::string& name, Json rules) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "Role"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"rules", std::move(rules)}};
}

Json roleRef(const std::string& kind, const std::string& name) {
  return {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", kind}, {"name", name}};
}

Json clusterRoleBinding(const std::string& name, const std::string& clusterRoleName,
                        Json subjects) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "ClusterRoleBinding"},
          {"metadata", {{"name", name}}},
          {"roleRef", roleRef("ClusterRole", clusterRoleName)},
          {"subjects", std::move(subjects)}};
}

Json roleBinding(const std::string& ns, const std::string& name, const std::string& refKind,
                 const std::string& refName, Json subjects) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "RoleBinding"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"roleRef", roleRef(refKind, refName)},
          {"subjects", std::move(subjects)}};
}

Json userSubject(const std::string& name) {
  return {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "User"}, {"name", name}};
}
Json groupSubject(const std::string& name) {
  return {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Group"}, {"name", name}};
}
Json saSubject(const std::string& name, const std::string& ns = "") {
  Json s = {{"kind", "ServiceAccount"}, {"name", name}};
  if (!ns.empty()) s["namespace"] = ns;
  return s;
}

// --- Requests. ---

UserInfo user(const std::string& name) { return UserInfo{name, {"system:authenticated"}}; }

using testing::pathRequest;
using testing::resourceRequest;

const UserInfo kRobot = serviceAccountUser("default", "robot");

// Holds the objects (deque: pointers stay valid as it grows) and hands out RbacObjects.
class RbacAuthorizerTest : public ::testing::Test {
 protected:
  void addRole(Json j) { roles_.push_back(std::move(j)); }
  void addClusterRole(Json j) { clusterRoles_.push_back(std::move(j)); }
  void addRoleBinding(Json j) { roleBindings_.push_back(std::move(j)); }
  void addClusterRoleBinding(Json j) { clusterRoleBindings_.push_back(std::move(j)); }

  // A ClusterRole with `rules` bound cluster-wide to the robot ServiceAccount.
  void grantRobot(Json rules) {
    addClusterRole(clusterRole("granted", std::move(rules)));
    addClusterRoleBinding(
        clusterRoleBinding("granted", "granted", Json::array({saSubject("robot", "default")})));
  }

  RbacObjects objects() const {
    RbacObjects o;
    for (const Json& j : roles_) o.roles.push_back(&j);
    for (const Json& j : clusterRoles_) o.clusterRoles.push_back(&j);
    for (const Json& j : roleBindings_) o.roleBindings.push_back(&j);
    for (const Json& j : clusterRoleBindings_) o.clusterRoleBindings.push_back(&j);
    return o;
  }
  Decision decide(const RequestAttributes& a) const { return authorize(a, objects()); }
  bool allowed(const RequestAttributes& a) const { return decide(a).allowed; }

  std::deque<Json> roles_, clusterRoles_, roleBindings_, clusterRoleBindings_;
};

struct Case {
  RequestAttributes request;
  bool allowed;
};

std::string describe(const RequestAttributes& a) {
  if (!a.resourceRequest) return a.verb + " " + a.path;
  return a.verb + " " + a.resource + (a.subresource.empty() ? "" : "/" + a.subresource) + "." +
         a.apiGroup + " ns=" + a.namespace_ + " name=" + a.name;
}

// --- Rule matching. ---

TEST(RuleAllowsTest, VerbsMatchExactlyOrByStar) {
  const Json getList = rule({"get", "list"}, {""}, {"pods"});
  const Json any = rule({"*"}, {""}, {"pods"});
  struct VerbCase {
    const char* verb;
    bool getList;
    bool any;
  };
  for (const VerbCase& c :
       {VerbCase{"get", true, true}, VerbCase{"list", true, true}, VerbCase{"watch", false, true},
        VerbCase{"create", false, true}, VerbCase{"deletecollection", false, true},
        VerbCase{"GET", false, true}}) {
    const auto a = resourceRequest(kRobot, c.verb, "", "pods", "default");
    EXPECT_EQ(ruleAllows(a, getList), c.getList) << c.verb;
    EXPECT_EQ(ruleAllows(a, any), c.any) << c.verb;
  }
}

TEST(RuleAllowsTest, ApiGroupsMatchExactlyOrByStar) {
  const Json apps = rule({"get"}, {"apps"}, {"deployments"});
  const Json core = rule({"get"}, {""}, {"deployments"});
  const Json any = rule({"get"}, {"*"}, {"deployments"});
  struct GroupCase {
    const char* group;
    bool apps;
    bool core;
  };
  for (const GroupCase& c : {GroupCase{"apps", true, false}, GroupCase{"", false, true},
                             GroupCase{"extensions", false, false}}) {
    const auto a = resourceRequest(kRobot, "get", c.group, "deployments", "default", "web");
    EXPECT_EQ(ruleAllows(a, apps), c.apps) << c.group;
    EXPECT_EQ(ruleAllows(a, core), c.core) << c.group;
    EXPECT_TRUE(ruleAllows(a, any)) << c.group;
  }
  // A rule without apiGroups grants nothing.
  EXPECT_FALSE(ruleAllows(resourceRequest(kRobot, "get", "", "pods", "default"),
                          Json{{"verbs", {"get"}}, {"resources", {"pods"}}}));
}

TEST(RuleAllowsTest, ResourcesAndSubresources) {
  struct ResourceCase {
    Json resources;
    const char* resource;
    const char* subresource;
    bool allowed;
  };
  const ResourceCase cases[] = {
      {{"deployments"}, "deployments", "", true},
      {{"deployments"}, "deployments", "status", false},
      {{"deployments"}, "deployments", "scale", false},
      {{"deployments"}, "replicasets", "", false},
      {{"deployments/status"}, "deployments", "status", true},
      {{"deployments/status"}, "deployments", "", false},
      {{"deployments/status"}, "deployments", "scale", false},
      {{"*"}, "deployments", "", true},
      {{"*"}, "deployments", "status", true},
      {{"*/scale"}, "deployments", "scale", true},
      {{"*/scale"}, "statefulsets", "scale", true},
      {{"*/scale"}, "deployments", "", false},
      {{"*/scale"}, "deployments", "status", false},
      // There is no "<resource>/*" wildcard: it is only ever a literal.
      {{"deployments/*"}, "deployments", "status", false},
      {{"deployments/*"}, "deployments", "", false},
      {{"replicasets", "deployments/scale"}, "deployments", "scale", true},
  };
  for (const ResourceCase& c : cases) {
    const auto a =
        resourceRequest(kRobot, "update", "apps", c.resource, "default", "web", c.subresource);
    EXPECT_EQ(ruleAllows(a, rule({"update"}, {"apps"}, c.resources)), c.allowed)
        << c.resources.dump() << " " << describe(a);
  }
}

TEST(RuleAllowsTest, ResourceNamesAllowOnlyRequestsNamingThem) {
  const Json named = rule({"*"}, {""}, {"configmaps"}, {"cfg", "other"});
  const Case cases[] = {
      {resourceRequest(kRobot, "get", "", "configmaps", "default", "cfg"), true},
      {resourceRequest(kRobot, "update", "", "configmaps", "default", "other"), true},
      {resourceRequest(kRobot, "delete", "", "configmaps", "default", "cfg"), true},
      {resourceRequest(kRobot, "get", "", "configmaps", "default", "else"), false},
      // Requests that name no object: list, watch, create, deletecollection.
      {resourceRequest(kRobot, "list", "", "configmaps", "default"), false},
      {resourceRequest(kRobot, "watch", "", "configmaps", "default"), false},
      {resourceRequest(kRobot, "create", "", "configmaps", "default"), false},
      {resourceRequest(kRobot, "deletecollection", "", "configmaps", "default"), false},
      // A watch with fieldSelector=metadata.name=cfg carries the name.
      {resourceRequest(kRobot, "watch", "", "configmaps", "default", "cfg"), true},
  };
  for (const Case& c : cases)
    EXPECT_EQ(ruleAllows(c.request, named), c.allowed) << describe(c.request);
  // An empty resourceNames list restricts nothing.
  EXPECT_TRUE(ruleAllows(resourceRequest(kRobot, "list", "", "configmaps", "default"),
                         Json{{"verbs", {"list"}},
                              {"apiGroups", {""}},
                              {"resources", {"configmaps"}},
                              {"resourceNames", Json::array()}}));
}

TEST(RuleAllowsTest, NonResourceUrls) {
  const Json urls = urlRule({"get"}, {"/healthz", "/apis/*", "/version**"});
  const Case cases[] = {
      {pathRequest(kRobot, "get", "/healthz"), true},
      {pathRequest(kRobot, "get", "/healthz/ready"), false},
      {pathRequest(kRobot, "get", "/apis/apps"), true},
      {pathRequest(kRobot, "get", "/apis/"), true},
      {pathRequest(kRobot, "get", "/apis"), false},
      {pathRequest(kRobot, "get", "/version"), true},
      {pathRequest(kRobot, "get", "/versions"), true},
      {pathRequest(kRobot, "post", "/healthz"), false},
      {pathRequest(kRobot, "get", "/metrics"), false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(ruleAllows(c.request, urls), c.allowed) << describe(c.request);
  EXPECT_TRUE(ruleAllows(pathRequest(kRobot, "put", "/anything"), urlRule({"*"}, {"*"})));
}

TEST(RuleAllowsTest, ResourceRulesAndUrlRulesDoNotCross) {
  const Json everyResource = rule({"*"}, {"*"}, {"*"});
  const Json everyUrl = urlRule({"*"}, {"*"});
  EXPECT_FALSE(ruleAllows(pathRequest(kRobot, "get", "/healthz"), everyResource));
  EXPECT_FALSE(ruleAllows(resourceRequest(kRobot, "get", "", "pods", "default", "p"), everyUrl));
  EXPECT_TRUE(
      ruleAllows(resourceRequest(kRobot, "get", "", "pods", "default", "p"), everyResource));
}

// --- Bindings and subjects. ---

TEST_F(RbacAuthorizerTest, NothingIsAllowedWithoutABinding) {
  addClusterRole(clusterRole("admin", Json::array({rule({"*"}, {"*"}, {"*"})})));
  const Decision d = decide(resourceRequest(kRobot, "get", "", "pods", "default", "p"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "");
}

TEST_F(RbacAuthorizerTest, SystemMastersIsAlwaysAllowedWithNoReason) {
  const UserInfo admin{"kubernetes-admin", {"system:masters", "system:authenticated"}};
  for (const auto& a : {resourceRequest(admin, "delete", "", "nodes", "", "n1"),
                        resourceRequest(admin, "create", "apps", "deployments", "x"),
                        pathRequest(admin, "get", "/metrics")}) {
    const Decision d = decide(a);
    EXPECT_TRUE(d.allowed) << describe(a);
    EXPECT_EQ(d.reason, "");
  }
}

TEST_F(RbacAuthorizerTest, ClusterRoleBindingGrantsEverywhere) {
  grantRobot(Json::array({rule({"get", "list", "watch"}, {"", "apps"}, {"*"})}));
  const Case cases[] = {
      {resourceRequest(kRobot, "get", "apps", "deployments", "default", "web"), true},
      {resourceRequest(kRobot, "list", "apps", "deployments", "team-a"), true},
      {resourceRequest(kRobot, "watch", "apps", "deployments", ""), true},  // all namespaces
      {resourceRequest(kRobot, "list", "", "nodes", ""), true},             // cluster-scoped
      {resourceRequest(kRobot, "delete", "", "nodes", "", "n1"), false},
  };
  for (const Case& c : cases) EXPECT_EQ(allowed(c.request), c.allowed) << describe(c.request);
}

TEST_F(RbacAuthorizerTest, RoleBindingGrantsOnlyInItsNamespace) {
  addRole(role("team-a", "editor", Json::array({rule({"*"}, {"apps"}, {"deployments"})})));
  addRoleBinding(roleBinding("team-a", "editors", "Role", "editor",
                             Json::array({saSubject("robot", "default")})));
  const Case cases[] = {
      {resourceRequest(kRobot, "create", "apps", "deployments", "team-a"), true},
      {resourceRequest(kRobot, "create", "apps", "deployments", "team-b"), false},
      {resourceRequest(kRobot, "create", "apps", "deployments", "default"), false},
      {resourceRequest(kRobot, "list", "apps", "deployments", ""), false},  // all namespaces
  };
  for (const Case& c : cases) EXPECT_EQ(allowed(c.request), c.allowed) << describe(c.request);
}

TEST_F(RbacAuthorizerTest, RoleBindingToAClusterRoleGrantsItsRulesOnlyInTheBindingsNamespace) {
  addClusterRole(clusterRole("view", Json::array({rule({"get", "list"}, {""}, {"pods"}),
                                                  rule({"list"}, {""}, {"nodes"})})));
  addRoleBinding(roleBinding("team-a", "viewers", "ClusterRole", "view",
                             Json::array({saSubject("robot", "default")})));
  const Decision d = decide(resourceRequest(kRobot, "list", "", "pods", "team-a"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(
      d.reason,
      R"(RBAC: allowed by RoleBinding "viewers/team-a" of ClusterRole "view" to ServiceAccount "robot/default")");
  EXPECT_FALSE(allowed(resourceRequest(kRobot, "list", "", "pods", "team-b")));
  // Cluster-scoped resources are never reached through a RoleBinding.
  EXPECT_FALSE(allowed(resourceRequest(kRobot, "list", "", "nodes", "")));
}

TEST_F(RbacAuthorizerTest, RoleBindingCannotReferToARoleOfAnotherNamespace) {
  addRole(role("team-b", "editor", Json::array({rule({"*"}, {"*"}, {"*"})})));
  addRoleBinding(roleBinding("team-a", "editors", "Role", "editor",
                             Json::array({saSubject("robot", "default")})));
  const Decision d = decide(resourceRequest(kRobot, "get", "", "pods", "team-a", "p"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, R"(RBAC: role.rbac.authorization.k8s.io "editor" not found)");
}

TEST_F(RbacAuthorizerTest, ServiceAccountSubjects) {
  addClusterRole(clusterRole("reader", Json::array({rule({"get"}, {""}, {"secrets"})})));
  addClusterRoleBinding(
      clusterRoleBinding("robots", "reader", Json::array({saSubject("robot", "default")})));
  // A ClusterRoleBinding's ServiceAccount subject without a namespace names no one.
  addClusterRoleBinding(
      clusterRoleBinding("no-namespace", "reader", Json::array({saSubject("nobody")})));
  // A RoleBinding's subject without a namespace means the binding's namespace.
  addRoleBinding(
      roleBinding("team-a", "local", "ClusterRole", "reader", Json::array({saSubject("local")})));
  struct SaCase {
    UserInfo user;
    const char* ns;
    bool allowed;
  };
  const SaCase cases[] = {
      {kRobot, "team-x", true},
      {serviceAccountUser("other", "robot"), "team-x", false},
      {user("robot"), "team-x", false},
      {user("system:serviceaccount:default:robot"), "team-x", true},  // the name is what counts
      {serviceAccountUser("default", "nobody"), "team-x", false},
      {serviceAccountUser("", "nobody"), "team-x", false},
      {serviceAccountUser("team-a", "local"), "team-a", true},
      {serviceAccountUser("team-a", "local"), "team-b", false},
      {serviceAccountUser("team-b", "local"), "team-a", false},
  };
  for (const SaCase& c : cases) {
    EXPECT_EQ(allowed(resourceRequest(c.user, "get", "", "secrets", c.ns, "s")), c.allowed)
        << c.user.name << " in " << c.ns;
  }
  EXPECT_EQ(
      decide(resourceRequest(serviceAccountUser("team-a", "local"), "get", "", "secrets", "team-a",
                             "s"))
          .reason,
      R"(RBAC: allowed by RoleBinding "local/team-a" of ClusterRole "reader" to ServiceAccount "local/team-a")");
}

TEST_F(RbacAuthorizerTest, ServiceAccountUserHasTheRealGroups) {
  const UserInfo u = serviceAccountUser("ns", "sa");
  EXPECT_EQ(u.name, "system:serviceaccount:ns:sa");
  EXPECT_EQ(u.groups,
            (std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:ns",
                                      "system:authenticated"}));
}

TEST_F(RbacAuthorizerTest, GroupAndUserSubjects) {
  addClusterRole(clusterRole("reader", Json::array({rule({"get"}, {""}, {"configmaps"})})));
  addClusterRoleBinding(clusterRoleBinding("all-sas", "reader",
                                           Json::array({groupSubject("system:serviceaccounts")})));
  addRoleBinding(roleBinding("team-a", "team-a-sas", "ClusterRole", "reader",
                             Json::array({groupSubject("system:serviceaccounts:team-a")})));
  addRoleBinding(roleBinding("team-b", "everyone", "ClusterRole", "reader",
                             Json::array({groupSubject("system:authenticated")})));
  addRoleBinding(
      roleBinding("team-c", "alice", "ClusterRole", "reader", Json::array({userSubject("alice")})));
  struct SubjectCase {
    UserInfo user;
    const char* ns;
    bool allowed;
  };
  const SubjectCase cases[] = {
      {serviceAccountUser("anywhere", "sa"), "team-x", true},
      {user("alice"), "team-x", false},
      {UserInfo{"bob", {}}, "team-b", false},
      {user("bob"), "team-b", true},
      {user("alice"), "team-c", true},
      {user("bob"), "team-c", false},
      {UserInfo{"alice", {}}, "team-c", true},
      {user("alice"), "team-a", false},
      {UserInfo{"x", {"system:serviceaccounts:team-a"}}, "team-a", true},
      {UserInfo{"x", {"system:serviceaccounts:team-a"}}, "team-b", false},
  };
  for (const SubjectCase& c : cases) {
    EXPECT_EQ(allowed(resourceRequest(c.user, "get", "", "configmaps", c.ns, "c")), c.allowed)
        << c.user.name << " in " << c.ns;
  }
}

TEST_F(RbacAuthorizerTest, MissingRolesGrantNothingAndAreTheDenialReason) {
  addClusterRoleBinding(
      clusterRoleBinding("gone", "gone", Json::array({saSubject("robot", "default")})));
  // Bindings that do not name the user are not resolved at all.
  addClusterRoleBinding(
      clusterRoleBinding("elsewhere", "missing-too", Json::array({saSubject("robot", "other")})));
  const auto a = resourceRequest(kRobot, "list", "", "pods", "default");
  Decision d = decide(a);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, R"(RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found)");

  // Several errors are listed once each in brackets.
  addRoleBinding(
      roleBinding("default", "local", "Role", "absent", Json::array({saSubject("robot")})));
  addRoleBinding(
      roleBinding("default", "local-again", "Role", "absent", Json::array({saSubject("robot")})));
  addRoleBinding(roleBinding("default", "odd", "Kind", "x", Json::array({saSubject("robot")})));
  d = decide(a);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(
      d.reason,
      R"(RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "absent" not found, unsupported role reference kind: "Kind"])");

  // Another binding that allows the request makes the errors irrelevant.
  addClusterRole(clusterRole("pods", Json::array({rule({"list"}, {""}, {"pods"})})));
  addRoleBinding(
      roleBinding("default", "pods", "ClusterRole", "pods", Json::array({saSubject("robot")})));
  d = decide(a);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(
      d.reason,
      R"(RBAC: allowed by RoleBinding "pods/default" of ClusterRole "pods" to ServiceAccount "robot/default")");
}

TEST_F(RbacAuthorizerTest, TheSameErrorTwiceIsReportedOnceWithoutBrackets) {
  addClusterRoleBinding(
      clusterRoleBinding("a", "gone", Json::array({saSubject("robot", "default")})));
  addClusterRoleBinding(
      clusterRoleBinding("b", "gone", Json::array({saSubject("robot", "default")})));
  EXPECT_EQ(decide(resourceRequest(kRobot, "list", "", "pods", "default")).reason,
            R"(RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found)");
}

TEST_F(RbacAuthorizerTest, AllowedReasonNamesTheFirstBindingAndSubjectThatApply) {
  addClusterRole(clusterRole("reader", Json::array({rule({"get"}, {""}, {"pods"})})));
  addClusterRole(clusterRole("nodes", Json::array({rule({"list"}, {""}, {"nodes"})})));
  // Applies, but its role does not allow getting pods: visiting goes on.
  addClusterRoleBinding(
      clusterRoleBinding("nodes", "nodes", Json::array({groupSubject("system:authenticated")})));
  addClusterRoleBinding(
      clusterRoleBinding("readers", "reader",
                         Json::array({userSubject("bob"), groupSubject("system:authenticated"),
                                      userSubject("alice")})));
  addRole(role("team-a", "r", Json::array({rule({"get"}, {""}, {"pods"})})));
  addRoleBinding(roleBinding("team-a", "rb", "Role", "r", Json::array({userSubject("alice")})));

  EXPECT_EQ(
      decide(resourceRequest(user("alice"), "get", "", "pods", "team-a", "p")).reason,
      R"(RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "reader" to Group "system:authenticated")");
  EXPECT_EQ(
      decide(resourceRequest(user("alice"), "list", "", "nodes", "")).reason,
      R"(RBAC: allowed by ClusterRoleBinding "nodes" of ClusterRole "nodes" to Group "system:authenticated")");
  // Without the group the same binding applies through a later subject.
  EXPECT_EQ(
      decide(resourceRequest(UserInfo{"alice", {}}, "get", "", "pods", "team-a", "p")).reason,
      R"(RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "reader" to User "alice")");
  // Without that binding the RoleBinding is the first to allow.
  clusterRoleBindings_.pop_back();
  EXPECT_EQ(decide(resourceRequest(UserInfo{"alice", {}}, "get", "", "pods", "team-a", "p")).reason,
            R"(RBAC: allowed by RoleBinding "rb/team-a" of Role "r" to User "alice")");
}

TEST_F(RbacAuthorizerTest, ClusterRoleBindingToAServiceAccountReason) {
  grantRobot(Json::array({rule({"list"}, {"apps"}, {"deployments"})}));
  const Decision d = decide(resourceRequest(kRobot, "list", "apps", "deployments", "default"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(
      d.reason,
      R"(RBAC: allowed by ClusterRoleBinding "granted" of ClusterRole "granted" to ServiceAccount "robot/default")");
}

TEST_F(RbacAuthorizerTest, NonResourceUrlsComeOnlyFromClusterRoleBindings) {
  addClusterRole(clusterRole("health", Json::array({urlRule({"get"}, {"/healthz", "/livez*"})})));
  addRoleBinding(
      roleBinding("default", "health", "ClusterRole", "health", Json::array({saSubject("robot")})));
  EXPECT_FALSE(allowed(pathRequest(kRobot, "get", "/healthz")));
  addClusterRoleBinding(
      clusterRoleBinding("health", "health", Json::array({groupSubject("system:authenticated")})));
  EXPECT_TRUE(allowed(pathRequest(kRobot, "get", "/healthz")));
  EXPECT_TRUE(allowed(pathRequest(kRobot, "get", "/livez/ping")));
  EXPECT_FALSE(allowed(pathRequest(kRobot, "get", "/metrics")));
  EXPECT_FALSE(allowed(pathRequest(kRobot, "post", "/healthz")));
}

TEST_F(RbacAuthorizerTest, AggregationRuleIsIgnoredOnlyStoredRulesCount) {
  Json aggregated = clusterRole("aggregated", Json::array());
  aggregated["aggregationRule"] = {
      {"clusterRoleSelectors", Json::array({{{"matchLabels", {{"agg", "true"}}}}})}};
  addClusterRole(aggregated);
  Json labelled = clusterRole("labelled", Json::array({rule({"get"}, {""}, {"pods"})}));
  labelled["metadata"]["labels"] = {{"agg", "true"}};
  addClusterRole(labelled);
  addClusterRoleBinding(
      clusterRoleBinding("agg", "aggregated", Json::array({saSubject("robot", "default")})));
  EXPECT_FALSE(allowed(resourceRequest(kRobot, "get", "", "pods", "default", "p")));
}

// --- 403 messages. ---

TEST(ForbiddenMessageTest, EveryVariant) {
  const std::string robot = R"(User "system:serviceaccount:default:robot")";
  struct MessageCase {
    RequestAttributes request;
    std::string message;
  };
  const MessageCase cases[] = {
      {resourceRequest(kRobot, "list", "apps", "deployments", "default"),
       "deployments.apps is forbidden: " + robot +
           R"( cannot list resource "deployments" in API group "apps" in the namespace "default")"},
      {resourceRequest(user("u"), "list", "", "nodes", ""),
       R"(nodes is forbidden: User "u" cannot list resource "nodes" in API group "" at the cluster scope)"},
      {resourceRequest(user("u"), "watch", "apps", "deployments", ""),
       R"(deployments.apps is forbidden: User "u" cannot watch resource "deployments" in API group "apps" at the cluster scope)"},
      // Named: the name leads the message, never inside the sentence.
      {resourceRequest(user("u"), "get", "apps", "deployments", "ns", "web", "scale"),
       R"(deployments.apps "web" is forbidden: User "u" cannot get resource "deployments/scale" in API group "apps" in the namespace "ns")"},
      {resourceRequest(user("u"), "delete", "", "pods", "ns", "p"),
       R"(pods "p" is forbidden: User "u" cannot delete resource "pods" in API group "" in the namespace "ns")"},
      {resourceRequest(user("u"), "create", "", "serviceaccounts", "ns", "robot", "token"),
       R"(serviceaccounts "robot" is forbidden: User "u" cannot create resource "serviceaccounts/token" in API group "" in the namespace "ns")"},
      {resourceRequest(user("u"), "get", "", "nodes", "", "n1"),
       R"(nodes "n1" is forbidden: User "u" cannot get resource "nodes" in API group "" at the cluster scope)"},
      {pathRequest(user("u"), "get", "/metrics"),
       R"(forbidden: User "u" cannot get path "/metrics")"},
      {pathRequest(user("system:anonymous"), "post", "/"),
       R"(forbidden: User "system:anonymous" cannot post path "/")"},
      // %q quoting, and the sanitizer's HTML escapes inside the sentence.
      {pathRequest(user(R"(a"b)"), "get", "/x<y>&z"),
       R"(forbidden: User "a\"b" cannot get path "/x&lt;y&gt;&amp;z")"},
  };
  for (const MessageCase& c : cases) {
    EXPECT_EQ(forbiddenMessage(c.request), c.message) << describe(c.request);
  }
}

TEST(ForbiddenMessageTest, ADenialReasonIsAppended) {
  EXPECT_EQ(
      forbiddenMessage(resourceRequest(kRobot, "list", "", "pods", "default"),
                       R"(RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found)"),
      R"(pods is forbidden: User "system:serviceaccount:default:robot" cannot list resource "pods" in API group "" in the namespace "default": RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found)");
}

// SelfSubjectRulesReview's answer: cluster-wide bindings, then the namespace's; a rule with
// resources and URLs counts in both lists; a broken binding makes the answer incomplete.
TEST_F(RbacAuthorizerTest, RulesForListsWhatTheUserHoldsInTheNamespace) {
  grantRobot(Json::array({rule({"get"}, {""}, {"nodes"}), urlRule({"get"}, {"/healthz"})}));
  addRole(
      role("default", "reader", Json::array({rule({"list"}, {"apps"}, {"deployments"}, {"web"})})));
  addRoleBinding(roleBinding("default", "reads", "Role", "reader",
                             Json::array({saSubject("robot", "default")})));
  addRoleBinding(roleBinding("other", "reads-there", "Role", "reader",
                             Json::array({saSubject("robot", "default")})));
  addRoleBinding(roleBinding("default", "someone-else", "ClusterRole", "granted",
                             Json::array({userSubject("alice")})));

  RuleSet inDefault = rulesFor(kRobot, "default", objects());
  EXPECT_EQ(inDefault.resourceRules,
            (std::vector<Json>{rule({"get"}, {""}, {"nodes"}),
                               rule({"list"}, {"apps"}, {"deployments"}, {"web"})}));
  EXPECT_EQ(inDefault.nonResourceRules, (std::vector<Json>{urlRule({"get"}, {"/healthz"})}));
  EXPECT_FALSE(inDefault.incomplete);
  EXPECT_EQ(inDefault.evaluationError, "");

  // "reads-there" refers to a Role "reader" that does not exist in "other".
  RuleSet inOther = rulesFor(kRobot, "other", objects());
  EXPECT_EQ(inOther.resourceRules, (std::vector<Json>{rule({"get"}, {""}, {"nodes"})}));
  EXPECT_TRUE(inOther.incomplete);
  EXPECT_EQ(inOther.evaluationError, R"(role.rbac.authorization.k8s.io "reader" not found)");

  EXPECT_EQ(rulesFor(kRobot, "", objects()).resourceRules.size(), 1u);  // cluster-wide only
  EXPECT_TRUE(rulesFor(user("bob"), "default", objects()).resourceRules.empty());
}

TEST_F(RbacAuthorizerTest, RulesForAMemberOfSystemMastersStartWithEverything) {
  const RuleSet rules = rulesFor(UserInfo{"admin", {kSystemMastersGroup}}, "default", objects());
  EXPECT_EQ(rules.resourceRules, (std::vector<Json>{rule({"*"}, {"*"}, {"*"})}));
  EXPECT_EQ(rules.nonResourceRules, (std::vector<Json>{urlRule({"*"}, {"*"})}));
}

TEST(ForbiddenTest, TheWholeStatus) {
  EXPECT_EQ(
      forbidden(resourceRequest(kRobot, "get", "apps", "deployments", "default", "web", "scale"))
          .toStatus(),
      Json::parse(R"({
              "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": "deployments.apps \"web\" is forbidden: User \"system:serviceaccount:default:robot\" cannot get resource \"deployments/scale\" in API group \"apps\" in the namespace \"default\"",
              "reason": "Forbidden",
              "details": {"name": "web", "group": "apps", "kind": "deployments"},
              "code": 403})"));
  EXPECT_EQ(forbidden(resourceRequest(kRobot, "list", "", "pods", "default")).toStatus(),
            Json::parse(R"({
              "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": "pods is forbidden: User \"system:serviceaccount:default:robot\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
              "reason": "Forbidden",
              "details": {"kind": "pods"},
              "code": 403})"));
  EXPECT_EQ(forbidden(pathRequest(kRobot, "get", "/metrics")).toStatus(), Json::parse(R"({
              "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": "forbidden: User \"system:serviceaccount:default:robot\" cannot get path \"/metrics\"",
              "reason": "Forbidden",
              "details": {},
              "code": 403})"));
}

}  // namespace
}  // namespace kubesim::api
