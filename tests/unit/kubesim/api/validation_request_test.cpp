// Validation of a Deployment's built-in fields through ApiServer::handle on every write path,
// decode errors of container resource quantities (400 on create and PUT, 422 on field "patch" for
// patches), and malformed bodies (invalid UTF-8, 1e400, deep nesting) answered with a 400 Status.

#include <gtest/gtest.h>

#include "api_test_util.h"
#include "kubesim/api/json_guard.h"
#include "kubesim/schema/quantity.h"

namespace kubesim::api {
namespace {

using namespace testing;

constexpr const char* kDeployments = "/apis/apps/v1/namespaces/default/deployments";
const std::string kWeb = std::string(kDeployments) + "/web";

std::string deploymentBody(const std::string& replicas = "2", const std::string& resources = "{}") {
  return R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": )" +
         replicas +
         R"(, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "example/app:1.0", "resources": )" +
         resources + "}]}}}}";
}

const std::string kQuantityMessage = schema::kQuantityFormatError;
const std::string kReplicasMessage =
    "Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -5: must be greater than "
    "or equal to 0";

class ValidationRequestTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(call("POST", kDeployments, deploymentBody()).status, 201); }
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& ct = "application/json") {
    return server_.handle(makeRequest(method, target, body, ct));
  }
  Json stored() { return bodyOf(call("GET", kWeb)); }
  ApiServer server_{testOptions()};
};

TEST_F(ValidationRequestTest, NegativeReplicasAre422OnEveryWritePath) {
  struct Path {
    const char* name;
    const char* method;
    std::string target;
    std::string body;
    const char* contentType;
  };
  const Path paths[] = {
      {"merge patch", "PATCH", kWeb, R"({"spec":{"replicas":-5}})", "application/merge-patch+json"},
      {"strategic merge patch", "PATCH", kWeb, R"({"spec":{"replicas":-5}})",
       "application/strategic-merge-patch+json"},
      {"JSON patch", "PATCH", kWeb, R"([{"op":"replace","path":"/spec/replicas","value":-5}])",
       "application/json-patch+json"},
      {"apply", "PATCH", kWeb + "?fieldManager=tester&force=true", deploymentBody("-5"),
       "application/apply-patch+yaml"},
      {"update", "PUT", kWeb, deploymentBody("-5"), "application/json"},
  };
  for (const auto& p : paths) {
    auto r = call(p.method, p.target, p.body, p.contentType);
    ASSERT_EQ(r.status, 422) << p.name << ": " << r.body;
    auto s = bodyOf(r);
    EXPECT_EQ(s["reason"], "Invalid") << p.name;
    EXPECT_EQ(s["message"], kReplicasMessage) << p.name;
    EXPECT_EQ(s["details"], Json::parse(R"({"name": "web", "group": "apps", "kind": "Deployment",
        "causes": [{"reason": "FieldValueInvalid", "field": "spec.replicas",
          "message": "Invalid value: -5: must be greater than or equal to 0"}]})"))
        << p.name;
  }
  EXPECT_EQ(stored()["spec"]["replicas"], 2);
  auto create =
      call("POST", kDeployments,
           deploymentBody("-5").replace(deploymentBody("-5").find("\"web\""), 5, "\"other\""));
  ASSERT_EQ(create.status, 422) << create.body;
  EXPECT_EQ(bodyOf(create)["details"]["causes"][0]["field"], "spec.replicas");
}

// deployments/status keeps the stored spec and validates status only.
TEST_F(ValidationRequestTest, StatusWritesIgnoreSpec) {
  auto r = call("PATCH", kWeb + "/status", R"({"spec":{"replicas":-5},"status":{"replicas":1}})",
                "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(bodyOf(r)["spec"]["replicas"], 2);
  EXPECT_EQ(bodyOf(r)["status"]["replicas"], 1);
}

TEST_F(ValidationRequestTest, InvalidQuantityOnCreateAndPutIs400) {
  const std::string bad = deploymentBody("2", R"({"limits": {"cpu": "abc"}})");
  const std::string message =
      "Deployment in version \"v1\" cannot be handled as a Deployment: " + kQuantityMessage;
  for (const auto& [method, target] :
       {std::pair<std::string, std::string>{"POST", kDeployments}, {"PUT", kWeb}}) {
    auto r = call(method, target, bad);
    ASSERT_EQ(r.status, 400) << method << ": " << r.body;
    auto s = bodyOf(r);
    EXPECT_EQ(s["reason"], "BadRequest");
    EXPECT_EQ(s["message"], message);
    EXPECT_FALSE(s.contains("details"));
  }
  // Numbers are quantities.
  EXPECT_EQ(call("PUT", kWeb, deploymentBody("2", R"({"limits": {"cpu": 1.5}})")).status, 200);
}

TEST_F(ValidationRequestTest, InvalidQuantityInAPatchIs422OnFieldPatch) {
  struct Case {
    const char* name;
    std::string target;
    std::string body;
    const char* contentType;
    std::string valueStart;  // how the quoted value starts
  };
  const Case cases[] = {
      {"JSON patch", kWeb,
       R"([{"op":"add","path":"/spec/template/spec/containers/0/resources","value":{"limits":{"cpu":"abc"}}}])",
       "application/json-patch+json", "{\\\"apiVersion\\\":\\\"apps/v1\\\""},
      {"merge patch", kWeb,
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","image":"i","resources":{"limits":{"cpu":"abc"}}}]}}}})",
       "application/merge-patch+json", "{\\\"apiVersion\\\":\\\"apps/v1\\\""},
      {"strategic merge patch", kWeb,
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","resources":{"limits":{"cpu":"abc"}}}]}}}})",
       "application/strategic-merge-patch+json",
       "map[spec:map[template:map[spec:map[containers:[map[name:app resources:map[limits:map[cpu:"
       "abc]]]]]]]]\""},
      {"apply", kWeb + "?fieldManager=tester&force=true",
       deploymentBody("2", R"({"limits": {"cpu": "abc"}})"), "application/apply-patch+yaml",
       "{\\\"apiVersion\\\":\\\"apps/v1\\\""},
  };
  for (const auto& c : cases) {
    auto r = call("PATCH", c.target, c.body, c.contentType);
    ASSERT_EQ(r.status, 422) << c.name << ": " << r.body;
    auto s = bodyOf(r);
    const std::string message = s["message"];
    const std::string start = " \"\" is invalid: patch: Invalid value: \"" + c.valueStart;
    EXPECT_EQ(message.rfind(start, 0), 0u) << c.name << ": " << message;
    EXPECT_TRUE(message.ends_with("\": " + kQuantityMessage)) << c.name << ": " << message;
    EXPECT_EQ(s["reason"], "Invalid");
    ASSERT_EQ(s["details"]["causes"].size(), 1u) << c.name;
    EXPECT_EQ(s["details"]["causes"][0]["field"], "patch");
    EXPECT_EQ(s["details"]["causes"][0]["reason"], "FieldValueInvalid");
    EXPECT_FALSE(s["details"].contains("kind")) << c.name;
    EXPECT_FALSE(s["details"].contains("name")) << c.name;
  }
  EXPECT_EQ(stored()["spec"]["template"]["spec"]["containers"][0]["resources"], Json::object());
}

TEST_F(ValidationRequestTest, MalformedBodiesAre400WithAStatus) {
  struct Case {
    const char* name;
    const char* method;
    std::string target;
    std::string body;
    const char* contentType;
    std::string messagePart;
  };
  const std::string invalidUtf8 =
      R"({"metadata":{"labels":{"a":")" + std::string("\xff\xfe") + "\"}}}";
  const Case cases[] = {
      {"invalid UTF-8 on create", "POST", kDeployments, invalidUtf8, "application/json",
       "invalid UTF-8 in JSON input at offset 28"},
      {"invalid UTF-8 in a merge patch", "PATCH", kWeb, invalidUtf8, "application/merge-patch+json",
       "error decoding patch: invalid UTF-8"},
      {"invalid UTF-8 in YAML", "POST", kDeployments, "metadata:\n  name: \xff\n",
       "application/yaml", "invalid UTF-8"},
      {"1e400 on create", "POST", kDeployments, R"({"spec":{"replicas":1e400}})",
       "application/json",
       "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal "
       "number 1e400 into Go value of type float64"},
      {"1e400 on update", "PUT", kWeb, deploymentBody("1e400"), "application/json",
       "cannot unmarshal number 1e400"},
      {"1e400 in a JSON patch", "PATCH", kWeb,
       R"([{"op":"replace","path":"/spec/replicas","value":1e400}])", "application/json-patch+json",
       "error decoding patch: json: cannot unmarshal number 1e400"},
      {"1e400 in an apply patch", "PATCH", kWeb + "?fieldManager=tester", deploymentBody("1e400"),
       "application/apply-patch+yaml", "cannot unmarshal number 1e400"},
      {"deep nesting", "POST", kDeployments,
       std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']'),
       "application/json", "json parse error: invalid character '[' exceeded max depth"},
      {"deep nesting in a patch", "PATCH", kWeb,
       "{\"a\":" + std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']') + "}",
       "application/merge-patch+json", "error decoding patch: invalid character '[' exceeded"},
      // nlohmann's lexer stops at a NUL byte as if the input ended there: without the guard this
      // patch applied (replicas 5) and ignored what followed.
      {"a NUL byte after a merge patch", "PATCH", kWeb,
       std::string("{\"spec\":{\"replicas\":5}}\0garbage", 31), "application/merge-patch+json",
       "error decoding patch: invalid character '\\x00' in JSON input at offset 23"},
      {"a NUL byte after an object on create", "POST", kDeployments,
       std::string("{\"metadata\":{\"name\":\"n\"}}\0{", 27), "application/json",
       "json parse error: invalid character '\\x00' in JSON input at offset 25"},
  };
  for (const auto& c : cases) {
    auto r = call(c.method, c.target, c.body, c.contentType);
    ASSERT_EQ(r.status, 400) << c.name << ": " << r.body;
    Json s;
    ASSERT_NO_THROW(s = Json::parse(r.body)) << c.name;  // the Status is valid UTF-8 JSON
    EXPECT_EQ(s["kind"], "Status") << c.name;
    EXPECT_EQ(s["reason"], "BadRequest") << c.name;
    EXPECT_NE(s["message"].get<std::string>().find(c.messagePart), std::string::npos)
        << c.name << ": " << s["message"];
  }
  EXPECT_EQ(stored()["spec"]["replicas"], 2);
}

TEST(JsonGuardTest, NestingAndUtf8) {
  EXPECT_FALSE(excessiveNesting("[[1]]", 2));
  EXPECT_EQ(excessiveNesting("[[[1]]]", 2), '[');
  EXPECT_EQ(excessiveNesting(R"({"a":{"b":{}}})", 2), '{');
  EXPECT_FALSE(excessiveNesting(R"({"a":"[[[[[[\"[[["})", 2));  // brackets inside strings
  EXPECT_FALSE(excessiveNesting(std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']')));
  EXPECT_FALSE(invalidUtf8At("plain ascii"));
  EXPECT_FALSE(invalidUtf8At("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_EQ(invalidUtf8At("ab\xff"), 2u);
  EXPECT_EQ(invalidUtf8At("\xc0\xaf"), 0u);          // overlong
  EXPECT_EQ(invalidUtf8At("x\xed\xa0\x80"), 1u);     // surrogate
  EXPECT_EQ(invalidUtf8At("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(invalidUtf8At("\xe2\x82"), 0u);          // truncated
}

}  // namespace
}  // namespace kubesim::api
