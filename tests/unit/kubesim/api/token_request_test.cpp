// The TokenRequest API (POST .../serviceaccounts/NAME/token, `kubectl create token`) and
// ApiServer::authenticate of the tokens it issues: defaults, validation, bound objects, and the
// token dying with its expiry, its ServiceAccount or the object it is bound to.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "api_test_util.h"
#include "kubesim/api/base64url.h"

namespace kubesim::api {
namespace {

using testing::bodyOf;
using testing::fixedTime;
using testing::makeRequest;
using TimePoint = std::chrono::system_clock::time_point;

constexpr const char* kServiceAccounts = "/api/v1/namespaces/default/serviceaccounts";

const std::vector<std::string> kRobotGroups = {
    "system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"};

class TokenRequestTest : public ::testing::Test {
 protected:
  static ApiServer::Options options(const TimePoint* now) {
    ApiServer::Options o = testing::testOptions();
    o.clock = [now] { return *now; };
    return o;
  }

  Response call(const std::string& method, const std::string& target,
                const std::string& body = "") {
    return api_.handle(makeRequest(method, target, body));
  }

  Response createServiceAccount(const std::string& name) {
    return call("POST", kServiceAccounts,
                R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": ")" + name +
                    R"("}})");
  }

  Response requestToken(const std::string& serviceAccount, const std::string& spec = "{}") {
    return call("POST", std::string(kServiceAccounts) + "/" + serviceAccount + "/token",
                R"({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": )" +
                    spec + "}");
  }

  // The token of a successful TokenRequest, or "" (and a failure) when it is not 201.
  std::string tokenFor(const std::string& serviceAccount, const std::string& spec = "{}") {
    Response r = requestToken(serviceAccount, spec);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) return "";
    return bodyOf(r)["status"]["token"].get<std::string>();
  }

  std::string uidOf(const Response& r) { return bodyOf(r)["metadata"]["uid"].get<std::string>(); }

  Response createPod(const std::string& name, const std::string& serviceAccount) {
    return call("POST", "/api/v1/namespaces/default/pods",
                R"({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": ")" + name +
                    R"("}, "spec": {"serviceAccountName": ")" + serviceAccount +
                    R"(", "containers": [{"name": "c", "image": "busybox"}]}})");
  }

  TimePoint now_ = fixedTime();
  ApiServer api_{options(&now_)};
};

// The claims (middle segment) of a JWT-shaped token.
Json claimsOf(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return Json();
  auto raw = base64UrlDecode(token.substr(first + 1, second - first - 1));
  return raw ? Json::parse(*raw, nullptr, false) : Json();
}

TEST_F(TokenRequestTest, IssuesAnHourLongTokenForTheDefaultAudience) {
  Response sa = createServiceAccount("robot");
  ASSERT_EQ(sa.status, 201) << sa.body;
  Response r = requestToken("robot");
  ASSERT_EQ(r.status, 201) << r.body;
  Json out = bodyOf(r);
  EXPECT_EQ(out["kind"], "TokenRequest");
  EXPECT_EQ(out["apiVersion"], "authentication.k8s.io/v1");
  EXPECT_EQ(out["metadata"]["name"], "robot");
  EXPECT_EQ(out["metadata"]["namespace"], "default");
  EXPECT_EQ(out["spec"]["expirationSeconds"], 3600);
  EXPECT_EQ(out["spec"]["audiences"],
            Json::array({"https://kubernetes.default.svc.cluster.local"}));
  EXPECT_TRUE(out["spec"]["boundObjectRef"].is_null()) << out.dump();
  EXPECT_EQ(out["status"]["expirationTimestamp"], "2026-11-21T06:39:24Z");
  ASSERT_TRUE(out["status"]["token"].is_string()) << out.dump();
  const std::string token = out["status"]["token"].get<std::string>();
  EXPECT_FALSE(token.empty());

  // The token names the ServiceAccount, its uid and the expiry.
  Json claims = claimsOf(token);
  ASSERT_TRUE(claims.is_object()) << token;
  EXPECT_EQ(claims["sub"], "system:serviceaccount:default:robot");
  EXPECT_EQ(claims["kubernetes.io"]["serviceaccount"]["name"], "robot");
  EXPECT_EQ(claims["kubernetes.io"]["serviceaccount"]["uid"], uidOf(sa));
  EXPECT_EQ(claims["aud"], Json::array({"https://kubernetes.default.svc.cluster.local"}));
  EXPECT_EQ(claims["exp"], std::chrono::duration_cast<std::chrono::seconds>(
                               (fixedTime() + std::chrono::hours(1)).time_since_epoch())
                               .count());

  auto user = api_.authenticate(token);
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->name, "system:serviceaccount:default:robot");
  EXPECT_EQ(user->groups, kRobotGroups);
}

TEST_F(TokenRequestTest, HonoursExpirationSecondsAndAudiences) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  Response r = requestToken("robot", R"({"expirationSeconds": 600, "audiences": ["vault"]})");
  ASSERT_EQ(r.status, 201) << r.body;
  Json out = bodyOf(r);
  EXPECT_EQ(out["spec"]["expirationSeconds"], 600);
  EXPECT_EQ(out["spec"]["audiences"], Json::array({"vault"}));
  EXPECT_EQ(out["status"]["expirationTimestamp"], "2026-11-21T05:49:24Z");
  EXPECT_EQ(claimsOf(out["status"]["token"].get<std::string>())["aud"], Json::array({"vault"}));
}

TEST_F(TokenRequestTest, TwoRequestsGiveTwoDifferentValidTokens) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  const std::string a = tokenFor("robot");
  const std::string b = tokenFor("robot");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_NE(a, b);
  EXPECT_TRUE(api_.authenticate(a).has_value());
  EXPECT_TRUE(api_.authenticate(b).has_value());
}

TEST_F(TokenRequestTest, MissingServiceAccountIs404) {
  Response r = requestToken("x");
  ASSERT_EQ(r.status, 404) << r.body;
  Json status = bodyOf(r);
  EXPECT_EQ(status["kind"], "Status");
  EXPECT_EQ(status["reason"], "NotFound");
  EXPECT_EQ(status["message"], R"(serviceaccounts "x" not found)");
  EXPECT_EQ(status["code"], 404);
}

TEST_F(TokenRequestTest, ExpirationBelowTenMinutesIs422) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  Response r = requestToken("robot", R"({"expirationSeconds": 10})");
  ASSERT_EQ(r.status, 422) << r.body;
  Json status = bodyOf(r);
  EXPECT_EQ(status["reason"], "Invalid");
  EXPECT_EQ(status["message"],
            R"(TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: )"
            R"(Invalid value: 10: may not specify a duration less than 10 minutes)");
  EXPECT_EQ(status["details"]["kind"], "TokenRequest");
  EXPECT_EQ(status["details"]["group"], "authentication.k8s.io");
  ASSERT_EQ(status["details"]["causes"].size(), 1u) << status.dump();
  EXPECT_EQ(status["details"]["causes"][0]["field"], "spec.expirationSeconds");

  EXPECT_EQ(requestToken("robot", R"({"expirationSeconds": 599})").status, 422);
  EXPECT_EQ(requestToken("robot", R"({"expirationSeconds": 600})").status, 201);
}

TEST_F(TokenRequestTest, ExpirationBeyondTwoToTheThirtySecondIs422) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  Response r = requestToken("robot", R"({"expirationSeconds": 4294967297})");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_NE(bodyOf(r)["message"].get<std::string>().find(
                "may not specify a duration larger than 2^32 seconds"),
            std::string::npos)
      << r.body;
}

TEST_F(TokenRequestTest, ATokenStopsAuthenticatingWhenItExpires) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  const std::string token = tokenFor("robot");
  ASSERT_FALSE(token.empty());
  now_ = fixedTime() + std::chrono::seconds(3599);
  EXPECT_TRUE(api_.authenticate(token).has_value());
  now_ = fixedTime() + std::chrono::seconds(3600);
  EXPECT_FALSE(api_.authenticate(token).has_value());
  // A token issued now is good for another hour.
  const std::string fresh = tokenFor("robot");
  EXPECT_TRUE(api_.authenticate(fresh).has_value());
}

TEST_F(TokenRequestTest, OnlyIssuedTokensAuthenticate) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  const std::string token = tokenFor("robot");
  ASSERT_FALSE(token.empty());
  EXPECT_FALSE(api_.authenticate("").has_value());
  EXPECT_FALSE(api_.authenticate("not-a-token").has_value());
  EXPECT_FALSE(api_.authenticate(token + "A").has_value());
  // A different server never issued it.
  TimePoint otherNow = fixedTime();
  ApiServer other(options(&otherNow));
  EXPECT_FALSE(other.authenticate(token).has_value());
}

TEST_F(TokenRequestTest, ATokenDiesWithItsServiceAccount) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  ASSERT_EQ(createServiceAccount("other").status, 201);
  const std::string token = tokenFor("robot");
  const std::string otherToken = tokenFor("other");
  ASSERT_TRUE(api_.authenticate(token).has_value());

  ASSERT_EQ(call("DELETE", std::string(kServiceAccounts) + "/robot").status, 200);
  EXPECT_FALSE(api_.authenticate(token).has_value());
  EXPECT_TRUE(api_.authenticate(otherToken).has_value());

  // A ServiceAccount recreated under the same name has a new uid: the old token stays dead.
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  EXPECT_FALSE(api_.authenticate(token).has_value());
  const std::string fresh = tokenFor("robot");
  auto user = api_.authenticate(fresh);
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->name, "system:serviceaccount:default:robot");
}

TEST_F(TokenRequestTest, ATokenForAnotherNamespaceNamesThatNamespace) {
  ASSERT_EQ(call("POST", "/api/v1/namespaces/kube-system/serviceaccounts",
                 R"({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "ctl"}})")
                .status,
            201);
  Response r =
      call("POST", "/api/v1/namespaces/kube-system/serviceaccounts/ctl/token",
           R"({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(bodyOf(r)["metadata"]["namespace"], "kube-system");
  auto user = api_.authenticate(bodyOf(r)["status"]["token"].get<std::string>());
  ASSERT_TRUE(user.has_value());
  EXPECT_EQ(user->name, "system:serviceaccount:kube-system:ctl");
  EXPECT_EQ(user->groups, (std::vector<std::string>{"system:serviceaccounts",
                                                    "system:serviceaccounts:kube-system",
                                                    "system:authenticated"}));
  // Same name, other namespace: no such ServiceAccount.
  EXPECT_EQ(requestToken("ctl").status, 404);
}

TEST_F(TokenRequestTest, BoundObjectsMustExistAndBeOfABindableKind) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  const struct {
    const char* kind;
    const char* message;
  } missing[] = {
      {"Pod", R"(pods "nope" not found)"},
      {"Secret", R"(secrets "nope" not found)"},
      {"Node", R"(nodes "nope" not found)"},
  };
  for (const auto& m : missing) {
    Response r =
        requestToken("robot", std::string(R"({"boundObjectRef": {"apiVersion": "v1", "kind": ")") +
                                  m.kind + R"(", "name": "nope"}})");
    EXPECT_EQ(r.status, 404) << m.kind << ": " << r.body;
    EXPECT_EQ(bodyOf(r)["message"], m.message) << m.kind;
  }
  ASSERT_EQ(call("POST", testing::kConfigMaps, testing::configMap("cm")).status, 201);
  Response r = requestToken(
      "robot", R"({"boundObjectRef": {"apiVersion": "v1", "kind": "ConfigMap", "name": "cm"}})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(bodyOf(r)["reason"], "BadRequest");
}

TEST_F(TokenRequestTest, ATokenBoundToAPodDiesWithThePod) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  Response pod = createPod("p", "robot");
  ASSERT_EQ(pod.status, 201) << pod.body;
  Response r = requestToken(
      "robot", R"({"boundObjectRef": {"apiVersion": "v1", "kind": "Pod", "name": "p"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  Json out = bodyOf(r);
  EXPECT_EQ(out["spec"]["boundObjectRef"]["kind"], "Pod");
  EXPECT_EQ(out["spec"]["boundObjectRef"]["name"], "p");
  const std::string bound = out["status"]["token"].get<std::string>();
  const std::string unbound = tokenFor("robot");
  ASSERT_TRUE(api_.authenticate(bound).has_value());

  ASSERT_EQ(call("DELETE", "/api/v1/namespaces/default/pods/p").status, 200);
  EXPECT_FALSE(api_.authenticate(bound).has_value());
  EXPECT_TRUE(api_.authenticate(unbound).has_value());

  // A new Pod of the same name is another object: the token stays dead.
  ASSERT_EQ(createPod("p", "robot").status, 201);
  EXPECT_FALSE(api_.authenticate(bound).has_value());
}

TEST_F(TokenRequestTest, ATokenBoundToASecretDiesWithTheSecret) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  ASSERT_EQ(call("POST", "/api/v1/namespaces/default/secrets",
                 R"({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}})")
                .status,
            201);
  const std::string token = tokenFor(
      "robot", R"({"boundObjectRef": {"apiVersion": "v1", "kind": "Secret", "name": "s"}})");
  ASSERT_TRUE(api_.authenticate(token).has_value());
  ASSERT_EQ(call("DELETE", "/api/v1/namespaces/default/secrets/s").status, 200);
  EXPECT_FALSE(api_.authenticate(token).has_value());
}

TEST_F(TokenRequestTest, ATokenMayBeBoundToANode) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  const std::string token = tokenFor(
      "robot",
      R"({"boundObjectRef": {"apiVersion": "v1", "kind": "Node", "name": "kubesim-worker"}})");
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(api_.authenticate(token).has_value());
  ASSERT_EQ(call("DELETE", "/api/v1/nodes/kubesim-worker").status, 200);
  EXPECT_FALSE(api_.authenticate(token).has_value());
}

TEST_F(TokenRequestTest, ABoundObjectUidThatDoesNotMatchIsAConflict) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  ASSERT_EQ(createPod("p", "robot").status, 201);
  Response r = requestToken(
      "robot",
      R"({"boundObjectRef": {"apiVersion": "v1", "kind": "Pod", "name": "p", "uid": "not-it"}})");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(bodyOf(r)["reason"], "Conflict");
}

TEST_F(TokenRequestTest, OnlyPostIsServed) {
  ASSERT_EQ(createServiceAccount("robot").status, 201);
  EXPECT_EQ(call("GET", std::string(kServiceAccounts) + "/robot/token").status, 405);
}

TEST_F(TokenRequestTest, DiscoveryListsTheTokenSubresource) {
  Response r = call("GET", "/api/v1");
  ASSERT_EQ(r.status, 200);
  Json doc = bodyOf(r);
  ASSERT_TRUE(doc["resources"].is_array()) << r.body;
  Json token;
  for (const Json& resource : doc["resources"]) {
    if (resource.value("name", "") == "serviceaccounts/token") token = resource;
  }
  ASSERT_TRUE(token.is_object()) << r.body;
  EXPECT_EQ(token["kind"], "TokenRequest");
  EXPECT_EQ(token["group"], "authentication.k8s.io");
  EXPECT_EQ(token["version"], "v1");
  EXPECT_EQ(token["namespaced"], true);
  EXPECT_EQ(token["verbs"], Json::array({"create"}));
}

}  // namespace
}  // namespace kubesim::api
