// Authorization of requests that carry a user (api::Request::groups): RBAC over the stored
// Roles, ClusterRoles and bindings, including the bootstrap ones, ahead of everything else (a
// denied request for an unknown resource is a 403), for handle() and watch() alike, and
// SelfSubjectAccessReview answered for the requesting user.

#include <gtest/gtest.h>

#include <algorithm>

#include <chrono>
#include <string>
#include <vector>

#include "api_test_util.h"
#include "kubesim/api/rbac_authorizer.h"

namespace kubesim::api {
namespace {

using std::chrono::milliseconds;
using testing::bodyOf;
using testing::configMap;
using testing::kConfigMaps;
using testing::makeRequest;

constexpr const char* kRbac = "/apis/rbac.authorization.k8s.io/v1";
constexpr const char* kReviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

const UserInfo kAdmin{"kubernetes-admin", {"system:masters", "system:authenticated"}};

std::string reviewOf(const std::string& resourceAttributes) {
  return R"({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", )"
         R"("spec": {"resourceAttributes": )" +
         resourceAttributes + "}}";
}

class AuthorizationTest : public ::testing::Test {
 protected:
  // kubesim's own caller: no groups, never authorized.
  Response call(const std::string& method, const std::string& target,
                const std::string& body = "") {
    return api_.handle(makeRequest(method, target, body));
  }

  static Request as(const UserInfo& user, Request r) {
    r.user = user.name;
    r.groups = user.groups;
    return r;
  }

  Response callAs(const UserInfo& user, const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return api_.handle(as(user, makeRequest(method, target, body)));
  }

  Result<WatchPtr> watchAs(const UserInfo& user, const std::string& target) {
    return api_.watch(as(user, makeRequest("GET", target)));
  }

  void SetUp() override {
    ASSERT_EQ(
        call("POST", "/api/v1/namespaces/default/serviceaccounts",
             R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}})")
            .status,
        201);
  }

  // A RoleBinding in default of `roleKind` `roleName` to the ServiceAccount robot, created by
  // kubesim's own (unauthorized) caller.
  void bindRobot(const std::string& bindingName, const std::string& roleKind,
                 const std::string& roleName) {
    Response r = call(
        "POST", std::string(kRbac) + "/namespaces/default/rolebindings",
        R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": ")" +
            bindingName + R"("}, "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": ")" +
            roleKind + R"(", "name": ")" + roleName +
            R"("}, "subjects": [{"kind": "ServiceAccount", "name": "robot", "namespace": "default"}]})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Expects a 403 Forbidden Status with exactly `message`.
  static void expectForbidden(const Response& r, const std::string& message) {
    ASSERT_EQ(r.status, 403) << r.body;
    Json status = bodyOf(r);
    EXPECT_EQ(status["kind"], "Status");
    EXPECT_EQ(status["status"], "Failure");
    EXPECT_EQ(status["reason"], "Forbidden");
    EXPECT_EQ(status["code"], 403);
    EXPECT_EQ(status["message"], message);
  }

  ApiServer api_{testing::testOptions()};
  const UserInfo robot_ = serviceAccountUser("default", "robot");
};

TEST_F(AuthorizationTest, WithoutBindingsAServiceAccountMayNotListConfigMaps) {
  Response r = callAs(robot_, "GET", kConfigMaps);
  expectForbidden(r, R"(configmaps is forbidden: User "system:serviceaccount:default:robot" )"
                     R"(cannot list resource "configmaps" in API group "" in the namespace )"
                     R"("default")");
  EXPECT_EQ(bodyOf(r)["details"]["kind"], "configmaps");
  // kubesim's own caller is not authorized at all.
  EXPECT_EQ(call("GET", kConfigMaps).status, 200);
}

TEST_F(AuthorizationTest, TheUserOfAnIssuedTokenIsAuthorizedAsItsServiceAccount) {
  Response issued =
      call("POST", "/api/v1/namespaces/default/serviceaccounts/robot/token",
           R"({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  auto user = api_.authenticate(bodyOf(issued)["status"]["token"].get<std::string>());
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(callAs(*user, "GET", kConfigMaps).status, 403);
  bindRobot("robot-view", "ClusterRole", "view");
  EXPECT_EQ(callAs(*user, "GET", kConfigMaps).status, 200);
}

TEST_F(AuthorizationTest, DiscoveryIsAllowedForEveryAuthenticatedUser) {
  for (const char* path : {"/api", "/apis", "/openapi/v3"}) {
    Response r = callAs(robot_, "GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  }
  // A user outside system:authenticated gets no discovery.
  const UserInfo stranger{"stranger", {"some-group"}};
  expectForbidden(callAs(stranger, "GET", "/apis"),
                  R"(forbidden: User "stranger" cannot get path "/apis")");
}

TEST_F(AuthorizationTest, ARoleBindingToViewGrantsReadsInItsNamespaceOnly) {
  ASSERT_EQ(call("POST", kConfigMaps, configMap("cm")).status, 201);
  bindRobot("robot-view", "ClusterRole", "view");

  Response list = callAs(robot_, "GET", kConfigMaps);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(bodyOf(list)["items"].size(), 1u);
  EXPECT_EQ(callAs(robot_, "GET", std::string(kConfigMaps) + "/cm").status, 200);
  EXPECT_EQ(callAs(robot_, "GET", "/apis/apps/v1/namespaces/default/deployments").status, 200);

  expectForbidden(callAs(robot_, "GET", "/api/v1/namespaces/other/configmaps"),
                  R"(configmaps is forbidden: User "system:serviceaccount:default:robot" )"
                  R"(cannot list resource "configmaps" in API group "" in the namespace "other")");
  expectForbidden(callAs(robot_, "GET", "/api/v1/configmaps"),
                  R"(configmaps is forbidden: User "system:serviceaccount:default:robot" )"
                  R"(cannot list resource "configmaps" in API group "" at the cluster scope)");
  expectForbidden(callAs(robot_, "POST", kConfigMaps, configMap("new")),
                  R"(configmaps is forbidden: User "system:serviceaccount:default:robot" )"
                  R"(cannot create resource "configmaps" in API group "" in the namespace )"
                  R"("default")");
  expectForbidden(callAs(robot_, "DELETE", std::string(kConfigMaps) + "/cm"),
                  R"(configmaps "cm" is forbidden: User "system:serviceaccount:default:robot" )"
                  R"(cannot delete resource "configmaps" in API group "" in the namespace )"
                  R"("default")");
  expectForbidden(callAs(robot_, "GET", "/api/v1/namespaces/default/secrets"),
                  R"(secrets is forbidden: User "system:serviceaccount:default:robot" )"
                  R"(cannot list resource "secrets" in API group "" in the namespace "default")");

  // The denied writes did not happen.
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/new").status, 404);
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/cm").status, 200);
}

TEST_F(AuthorizationTest, ADeniedRequestForAnUnknownResourceIs403Not404) {
  const std::string gadgets = "/apis/example.com/v1/namespaces/default/gadgets";
  Response r = callAs(robot_, "GET", gadgets);
  expectForbidden(r, R"(gadgets.example.com is forbidden: User )"
                     R"("system:serviceaccount:default:robot" cannot list resource "gadgets" in )"
                     R"(API group "example.com" in the namespace "default")");
  EXPECT_EQ(bodyOf(r)["details"]["group"], "example.com");
  EXPECT_EQ(bodyOf(r)["details"]["kind"], "gadgets");
  // Allowed to ask, the resource is then not found.
  EXPECT_EQ(callAs(kAdmin, "GET", gadgets).status, 404);
  EXPECT_EQ(call("GET", gadgets).status, 404);
}

TEST_F(AuthorizationTest, WatchesAreAuthorized) {
  bindRobot("robot-view", "ClusterRole", "view");
  auto denied = watchAs(robot_, "/api/v1/namespaces/other/configmaps?watch=true");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, 403);
  EXPECT_EQ(denied.error().reason, "Forbidden");
  EXPECT_EQ(denied.error().message,
            R"(configmaps is forbidden: User "system:serviceaccount:default:robot" cannot )"
            R"(watch resource "configmaps" in API group "" in the namespace "other")");

  auto legacy = watchAs(robot_, "/api/v1/watch/namespaces/other/configmaps");
  ASSERT_FALSE(legacy.ok());
  EXPECT_EQ(legacy.error().code, 403);

  auto allowed = watchAs(robot_, std::string(kConfigMaps) + "?watch=true&resourceVersion=0");
  ASSERT_TRUE(allowed.ok()) << allowed.error().message;
  WatchPtr w = std::move(allowed).value();
  ASSERT_EQ(call("POST", kConfigMaps, configMap("seen")).status, 201);
  auto line = w->nextLine(milliseconds(5000));
  ASSERT_TRUE(line.has_value());
  Json event = Json::parse(*line);
  EXPECT_EQ(event["type"], "ADDED");
  EXPECT_EQ(event["object"]["metadata"]["name"], "seen");

  auto unknown = watchAs(robot_, "/apis/example.com/v1/namespaces/default/gadgets?watch=true");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, 403);
}

TEST_F(AuthorizationTest, ResourceNamesAllowASingleObjectWatchButNotAList) {
  Response role = call(
      "POST", std::string(kRbac) + "/namespaces/default/roles",
      R"({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "just-x"}, )"
      R"("rules": [{"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["x"], )"
      R"("verbs": ["get", "list", "watch"]}]})");
  ASSERT_EQ(role.status, 201) << role.body;
  bindRobot("robot-just-x", "Role", "just-x");

  auto started = watchAs(robot_, std::string(kConfigMaps) +
                                     "?watch=true&resourceVersion=0&fieldSelector=metadata.name=x");
  ASSERT_TRUE(started.ok()) << started.error().message;
  WatchPtr w = std::move(started).value();
  ASSERT_EQ(call("POST", kConfigMaps, configMap("y")).status, 201);
  ASSERT_EQ(call("POST", kConfigMaps, configMap("x")).status, 201);
  auto line = w->nextLine(milliseconds(5000));
  ASSERT_TRUE(line.has_value());
  Json event = Json::parse(*line);
  EXPECT_EQ(event["type"], "ADDED");
  EXPECT_EQ(event["object"]["metadata"]["name"], "x");

  EXPECT_EQ(
      callAs(robot_, "GET", std::string(kConfigMaps) + "?fieldSelector=metadata.name==x").status,
      200);
  EXPECT_EQ(callAs(robot_, "GET", std::string(kConfigMaps) + "/x").status, 200);

  expectForbidden(callAs(robot_, "GET", kConfigMaps),
                  R"(configmaps is forbidden: User "system:serviceaccount:default:robot" )"
                  R"(cannot list resource "configmaps" in API group "" in the namespace )"
                  R"("default")");
  auto whole = watchAs(robot_, std::string(kConfigMaps) + "?watch=true");
  ASSERT_FALSE(whole.ok());
  EXPECT_EQ(whole.error().code, 403);
  expectForbidden(callAs(robot_, "GET", std::string(kConfigMaps) + "/y"),
                  R"(configmaps "y" is forbidden: User "system:serviceaccount:default:robot" )"
                  R"(cannot get resource "configmaps" in API group "" in the namespace )"
                  R"("default")");
  EXPECT_EQ(
      callAs(robot_, "GET", std::string(kConfigMaps) + "?fieldSelector=metadata.name=y").status,
      403);
  EXPECT_EQ(
      callAs(robot_, "GET", std::string(kConfigMaps) + "?fieldSelector=metadata.name!=y").status,
      403);
}

TEST_F(AuthorizationTest, TokenRequestsAreAuthorizedAsCreateOfTheTokenSubresource) {
  expectForbidden(
      callAs(robot_, "POST", "/api/v1/namespaces/default/serviceaccounts/robot/token",
             R"({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})"),
      R"(serviceaccounts "robot" is forbidden: User "system:serviceaccount:default:robot" )"
      R"(cannot create resource "serviceaccounts/token" in API group "" in the namespace )"
      R"("default")");
  EXPECT_EQ(
      callAs(kAdmin, "POST", "/api/v1/namespaces/default/serviceaccounts/robot/token",
             R"({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})")
          .status,
      201);
}

// `kubectl auth can-i --list`: the rules of the requesting user in the namespace asked about.
TEST_F(AuthorizationTest, SelfSubjectRulesReviewListsTheRequestingUsersRules) {
  const std::string rulesReviews = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  const std::string inDefault =
      R"({"apiVersion": "authorization.k8s.io/v1", )"
      R"("kind": "SelfSubjectRulesReview", "spec": {"namespace": "default"}})";
  const auto resourcesOf = [](const Json& review) {
    std::vector<std::string> out;
    for (const Json& rule : review["status"]["resourceRules"]) {
      for (const Json& r : rule["resources"]) out.push_back(r.get<std::string>());
    }
    return out;
  };
  Response before = callAs(robot_, "POST", rulesReviews, inDefault);
  ASSERT_EQ(before.status, 201) << before.body;
  const Json plain = bodyOf(before);
  EXPECT_EQ(plain["kind"], "SelfSubjectRulesReview");
  EXPECT_EQ(plain["status"]["incomplete"], false);
  // Only what system:basic-user and system:discovery give every authenticated user.
  const auto basic = resourcesOf(plain);
  EXPECT_NE(std::find(basic.begin(), basic.end(), "selfsubjectaccessreviews"), basic.end());
  EXPECT_EQ(std::find(basic.begin(), basic.end(), "configmaps"), basic.end());
  EXPECT_FALSE(plain["status"]["nonResourceRules"].empty());

  bindRobot("robot-view", "ClusterRole", "view");
  const auto viewing = resourcesOf(bodyOf(callAs(robot_, "POST", rulesReviews, inDefault)));
  EXPECT_NE(std::find(viewing.begin(), viewing.end(), "configmaps"), viewing.end());
  EXPECT_EQ(std::find(viewing.begin(), viewing.end(), "secrets"), viewing.end());
  const std::string inOther =
      R"({"apiVersion": "authorization.k8s.io/v1", )"
      R"("kind": "SelfSubjectRulesReview", "spec": {"namespace": "other"}})";
  const auto elsewhere = resourcesOf(bodyOf(callAs(robot_, "POST", rulesReviews, inOther)));
  EXPECT_EQ(std::find(elsewhere.begin(), elsewhere.end(), "configmaps"), elsewhere.end());

  const Json admin = bodyOf(callAs(kAdmin, "POST", rulesReviews, inDefault));
  EXPECT_EQ(admin["status"]["resourceRules"][0],
            Json::parse(R"({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]})"));
  EXPECT_EQ(callAs(robot_, "GET", rulesReviews).status, 403);  // authorized before routed
  EXPECT_EQ(callAs(kAdmin, "GET", rulesReviews).status, 405);
}

TEST_F(AuthorizationTest, SelfSubjectAccessReviewAnswersForTheRequestingUser) {
  const std::string listConfigMaps =
      reviewOf(R"({"namespace": "default", "verb": "list", "resource": "configmaps"})");
  const std::string listSecrets =
      reviewOf(R"({"namespace": "default", "verb": "list", "resource": "secrets"})");

  Response before = callAs(robot_, "POST", kReviews, listConfigMaps);
  ASSERT_EQ(before.status, 201) << before.body;
  EXPECT_EQ(bodyOf(before)["status"]["allowed"], false);

  bindRobot("robot-view", "ClusterRole", "view");
  Response r = callAs(robot_, "POST", kReviews, listConfigMaps);
  ASSERT_EQ(r.status, 201) << r.body;
  Json review = bodyOf(r);
  EXPECT_EQ(review["kind"], "SelfSubjectAccessReview");
  EXPECT_EQ(review["spec"]["resourceAttributes"]["resource"], "configmaps");
  EXPECT_EQ(review["status"]["allowed"], true);
  ASSERT_TRUE(review["status"]["reason"].is_string()) << r.body;
  const std::string reason = review["status"]["reason"].get<std::string>();
  EXPECT_EQ(reason.rfind("RBAC: allowed by RoleBinding", 0), 0u) << reason;
  EXPECT_EQ(reason, R"(RBAC: allowed by RoleBinding "robot-view/default" of ClusterRole "view" to )"
                    R"(ServiceAccount "robot/default")");

  Response secrets = callAs(robot_, "POST", kReviews, listSecrets);
  ASSERT_EQ(secrets.status, 201) << secrets.body;
  EXPECT_EQ(bodyOf(secrets)["status"]["allowed"], false);

  // In another namespace the RoleBinding does not apply.
  Response other =
      callAs(robot_, "POST", kReviews,
             reviewOf(R"({"namespace": "other", "verb": "list", "resource": "configmaps"})"));
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_EQ(bodyOf(other)["status"]["allowed"], false);

  // Non-resource attributes: discovery is allowed to every authenticated user.
  Response path =
      callAs(robot_, "POST", kReviews,
             R"({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", )"
             R"("spec": {"nonResourceAttributes": {"path": "/apis", "verb": "get"}}})");
  ASSERT_EQ(path.status, 201) << path.body;
  EXPECT_EQ(bodyOf(path)["status"]["allowed"], true);
}

TEST_F(AuthorizationTest, SystemMastersMayDoAnything) {
  EXPECT_EQ(callAs(kAdmin, "GET", kConfigMaps).status, 200);
  EXPECT_EQ(callAs(kAdmin, "GET", "/api/v1/namespaces/other/configmaps").status, 200);
  EXPECT_EQ(callAs(kAdmin, "POST", kConfigMaps, configMap("made")).status, 201);
  EXPECT_EQ(callAs(kAdmin, "GET", "/api/v1/namespaces/default/secrets").status, 200);
  EXPECT_EQ(callAs(kAdmin, "GET", "/api/v1/nodes").status, 200);
  EXPECT_EQ(callAs(kAdmin, "DELETE", std::string(kConfigMaps) + "/made").status, 200);
  EXPECT_EQ(callAs(kAdmin, "GET", "/apis").status, 200);

  auto w = watchAs(kAdmin, "/api/v1/namespaces/other/configmaps?watch=true");
  EXPECT_TRUE(w.ok());

  Response review =
      callAs(kAdmin, "POST", kReviews,
             reviewOf(R"({"namespace": "default", "verb": "delete", "resource": "secrets"})"));
  ASSERT_EQ(review.status, 201) << review.body;
  EXPECT_EQ(bodyOf(review)["status"]["allowed"], true);
  EXPECT_FALSE(bodyOf(review)["status"].contains("reason")) << review.body;
}

TEST_F(AuthorizationTest, TheBootstrapClusterRolesAndBindingsExist) {
  Response admin = callAs(kAdmin, "GET", std::string(kRbac) + "/clusterroles/cluster-admin");
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(bodyOf(admin)["kind"], "ClusterRole");
  EXPECT_EQ(bodyOf(admin)["metadata"]["name"], "cluster-admin");
  for (const char* name : {"admin", "edit", "view", "system:discovery", "system:basic-user"}) {
    EXPECT_EQ(callAs(kAdmin, "GET", std::string(kRbac) + "/clusterroles/" + name).status, 200)
        << name;
  }
  Response binding =
      callAs(kAdmin, "GET", std::string(kRbac) + "/clusterrolebindings/cluster-admin");
  ASSERT_EQ(binding.status, 200) << binding.body;
  Json b = bodyOf(binding);
  EXPECT_EQ(b["roleRef"]["name"], "cluster-admin");
  ASSERT_EQ(b["subjects"].size(), 1u) << binding.body;
  EXPECT_EQ(b["subjects"][0]["kind"], "Group");
  EXPECT_EQ(b["subjects"][0]["name"], "system:masters");
  // Reading them is itself authorized.
  EXPECT_EQ(callAs(robot_, "GET", std::string(kRbac) + "/clusterroles/cluster-admin").status, 403);
}

}  // namespace
}  // namespace kubesim::api
