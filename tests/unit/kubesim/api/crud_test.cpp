// Built-in kinds through ApiServer::handle: create/get/update/patch, errors as the real server
// words them, Deployment generation rules, field validation, discovery routing.

#include <gtest/gtest.h>

#include <thread>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;

class CrudTest : public ::testing::Test {
 protected:
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& ct = "application/json") {
    return server_.handle(makeRequest(method, target, body, ct));
  }
  ApiServer server_{testOptions()};
};

TEST_F(CrudTest, DefaultNamespacesExist) {
  for (const char* ns : {"default", "kube-system", "kube-public"}) {
    auto r = call("GET", std::string("/api/v1/namespaces/") + ns);
    EXPECT_EQ(r.status, 200) << ns;
  }
}

TEST_F(CrudTest, CreateStampsSystemMetadata) {
  auto r = call("POST", kConfigMaps, configMap("one"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto o = bodyOf(r);
  EXPECT_EQ(o["metadata"]["creationTimestamp"], "2026-11-21T05:39:24Z");
  EXPECT_EQ(o["metadata"]["namespace"], "default");
  EXPECT_EQ(o["metadata"]["uid"].get<std::string>().size(), 36u);
  EXPECT_EQ(o["metadata"]["uid"].get<std::string>()[14], '4');
  EXPECT_FALSE(o["metadata"].contains("generation"));  // ConfigMaps have no generation
  auto second = bodyOf(call("POST", kConfigMaps, configMap("two")));
  EXPECT_GT(std::stoull(second["metadata"]["resourceVersion"].get<std::string>()),
            std::stoull(o["metadata"]["resourceVersion"].get<std::string>()));
  EXPECT_NE(second["metadata"]["uid"], o["metadata"]["uid"]);
  auto got = call("GET", std::string(kConfigMaps) + "/one");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(bodyOf(got)["data"]["k"], "v");
}

TEST_F(CrudTest, CreateTwiceIsAlreadyExists) {
  ASSERT_EQ(call("POST", kConfigMaps, configMap("one")).status, 201);
  auto r = call("POST", kConfigMaps, configMap("one"));
  EXPECT_EQ(r.status, 409);
  auto s = bodyOf(r);
  EXPECT_EQ(s["reason"], "AlreadyExists");
  EXPECT_EQ(s["message"], "configmaps \"one\" already exists");
  EXPECT_EQ(s["details"]["kind"], "configmaps");
}

TEST_F(CrudTest, NotFoundErrors) {
  auto missing = bodyOf(call("GET", std::string(kConfigMaps) + "/nope"));
  EXPECT_EQ(missing["code"], 404);
  EXPECT_EQ(missing["message"], "configmaps \"nope\" not found");
  auto unknown = call("GET", "/apis/nothing.example/v1/things");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(bodyOf(unknown)["message"], "the server could not find the requested resource");
  auto ns = call("POST", "/api/v1/namespaces/nope/configmaps", configMap("x"));
  EXPECT_EQ(ns.status, 404);
  EXPECT_EQ(bodyOf(ns)["message"], "namespaces \"nope\" not found");
  EXPECT_EQ(call("GET", "/openapi/v2").status, 404);
}

TEST_F(CrudTest, InvalidNameIs422WithTheRealMessage) {
  auto r = call("POST", kConfigMaps,
                R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name"}})");
  ASSERT_EQ(r.status, 422);
  auto s = bodyOf(r);
  EXPECT_EQ(s["details"]["causes"][0]["field"], "metadata.name");
  EXPECT_EQ(s["message"].get<std::string>().rfind(
                "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a "
                "DNS-1123 subdomain must consist of lower case alphanumeric characters",
                0),
            0u)
      << s["message"];
}

TEST_F(CrudTest, MalformedJsonIs400AndChangesNothing) {
  auto before = bodyOf(call("GET", kConfigMaps))["metadata"]["resourceVersion"];
  auto r = call("POST", kConfigMaps, R"({"apiVersion":"v1","kind":)");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(bodyOf(r)["message"],
            "the object provided is unrecognized (must be of type ConfigMap): couldn't get "
            "version/kind; json parse error: unexpected end of JSON input "
            "({\"apiVersion\":\"v1\",\"kind\":)");
  EXPECT_EQ(bodyOf(call("GET", kConfigMaps))["metadata"]["resourceVersion"], before);
}

TEST_F(CrudTest, YamlBodiesAreAccepted) {
  auto r = call("POST", kConfigMaps,
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  n: \"1\"\n",
                "application/yaml");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(bodyOf(r)["data"]["n"], "1");
}

TEST_F(CrudTest, BuiltinPutWithoutResourceVersionIsUnconditional) {
  ASSERT_EQ(call("POST", kConfigMaps, configMap("one")).status, 201);
  auto r = call(
      "PUT", std::string(kConfigMaps) + "/one",
      R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "one"}, "data": {"k": "w"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(bodyOf(r)["data"]["k"], "w");
  auto stale = call(
      "PUT", std::string(kConfigMaps) + "/one",
      R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "one", "resourceVersion": "1"}, "data": {"k": "x"}})");
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(bodyOf(stale)["message"],
            "Operation cannot be fulfilled on configmaps \"one\": the object has been modified; "
            "please apply your changes to the latest version and try again");
}

TEST_F(CrudTest, NoOpPatchKeepsTheResourceVersion) {
  auto created = bodyOf(call("POST", kConfigMaps, configMap("one")));
  auto r = call("PATCH", std::string(kConfigMaps) + "/one", R"({"data": {"k": "v"}})",
                "application/merge-patch+json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(bodyOf(r)["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"]);
}

TEST_F(CrudTest, JsonPatchAndUnsupportedPatchTypes) {
  ASSERT_EQ(call("POST", kConfigMaps, configMap("one")).status, 201);
  auto r = call("PATCH", std::string(kConfigMaps) + "/one",
                R"([{"op": "replace", "path": "/data/k", "value": "z"}])",
                "application/json-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(bodyOf(r)["data"]["k"], "z");
  auto bad = call("PATCH", std::string(kConfigMaps) + "/one", "{}", "text/plain");
  EXPECT_EQ(bad.status, 415);
}

constexpr const char* kDeployments = "/apis/apps/v1/namespaces/default/deployments";
constexpr const char* kDeployment =
    R"({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}}, "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "app", "image": "example/app:1.0"}]}}}})";

TEST_F(CrudTest, ScaleSubresourceReadsAndWritesOnlyTheReplicas) {
  ASSERT_EQ(call("POST", kDeployments, kDeployment).status, 201);
  const std::string scale = std::string(kDeployments) + "/web/scale";
  auto got = call("GET", scale);
  ASSERT_EQ(got.status, 200) << got.body;
  const Json before = bodyOf(got);
  EXPECT_EQ(before["kind"], "Scale");
  EXPECT_EQ(before["spec"]["replicas"], 2);
  EXPECT_EQ(before["status"]["replicas"], 0);
  EXPECT_EQ(before["status"]["selector"], "app=web");

  auto patched = call("PATCH", scale, R"({"spec": {"replicas": 5}, "status": {"replicas": 9}})",
                      "application/merge-patch+json");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(bodyOf(patched)["spec"]["replicas"], 5);
  EXPECT_EQ(bodyOf(patched)["status"]["replicas"], 0);  // status is not writable through scale
  const Json d = bodyOf(call("GET", std::string(kDeployments) + "/web"));
  EXPECT_EQ(d["spec"]["replicas"], 5);
  EXPECT_EQ(d["metadata"]["resourceVersion"], bodyOf(patched)["metadata"]["resourceVersion"]);

  auto put = call("PUT", scale,
                  R"({"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web",)"
                  R"( "resourceVersion": "1"}, "spec": {"replicas": 1}})");
  EXPECT_EQ(put.status, 409) << put.body;
  auto negative =
      call("PATCH", scale, R"({"spec": {"replicas": -3}})", "application/merge-patch+json");
  EXPECT_EQ(negative.status, 422) << negative.body;
  EXPECT_EQ(bodyOf(negative)["message"],
            "Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -3: must be "
            "greater than or equal to 0");
  EXPECT_EQ(call("DELETE", scale).status, 405);
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/x/scale").status, 404);
  EXPECT_EQ(bodyOf(call("GET", std::string(kDeployments) + "/web"))["spec"]["replicas"], 5);
}

TEST_F(CrudTest, DeploymentGenerationFollowsSpecAndAnnotationsButNotStatus) {
  auto created = call("POST", kDeployments, kDeployment);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(bodyOf(created)["metadata"]["generation"], 1);
  std::string item = std::string(kDeployments) + "/web";
  auto spec = bodyOf(call("PATCH", item, R"({"spec": {"replicas": 3}})",
                          "application/strategic-merge-patch+json"));
  EXPECT_EQ(spec["metadata"]["generation"], 2);
  auto ann = bodyOf(call("PATCH", item, R"({"metadata": {"annotations": {"note": "x"}}})",
                         "application/merge-patch+json"));
  EXPECT_EQ(ann["metadata"]["generation"], 3);
  auto label = bodyOf(call("PATCH", item, R"({"metadata": {"labels": {"extra": "y"}}})",
                           "application/merge-patch+json"));
  EXPECT_EQ(label["metadata"]["generation"], 3);
  auto status =
      call("PATCH", item + "/status",
           R"({"status": {"observedGeneration": 3, "replicas": 3}, "spec": {"replicas": 9}})",
           "application/merge-patch+json");
  ASSERT_EQ(status.status, 200) << status.body;
  auto s = bodyOf(status);
  EXPECT_EQ(s["metadata"]["generation"], 3);
  EXPECT_EQ(s["spec"]["replicas"], 3);
  EXPECT_EQ(s["status"]["replicas"], 3);
  // A main-resource write leaves status alone.
  auto main = bodyOf(call("PATCH", item, R"({"status": {"replicas": 0}, "spec": {"replicas": 4}})",
                          "application/merge-patch+json"));
  EXPECT_EQ(main["status"]["replicas"], 3);
  EXPECT_EQ(main["spec"]["replicas"], 4);
}

// The real Deployment controller writes its revision annotation through deployments/status
// (whose strategy resets only spec and labels); generation must not move.
TEST_F(CrudTest, AppsStatusWritesKeepAnnotationsWithoutBumpingGeneration) {
  ASSERT_EQ(call("POST", kDeployments, kDeployment).status, 201);
  std::string item = std::string(kDeployments) + "/web";
  auto r = call("PATCH", item + "/status",
                R"({"metadata": {"annotations": {"deployment.kubernetes.io/revision": "1"},
                    "labels": {"sneaky": "x"}}, "status": {"replicas": 2}})",
                "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = bodyOf(r);
  EXPECT_EQ(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_FALSE(d["metadata"]["labels"].contains("sneaky"));
  EXPECT_EQ(d["metadata"]["generation"], 1);
  EXPECT_EQ(d["status"]["replicas"], 2);
  auto got = bodyOf(call("GET", item));
  EXPECT_EQ(got["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "1");
  EXPECT_EQ(got["metadata"]["generation"], 1);
}

// kubesim reports 1.32; real servers stopped returning selfLink in 1.24.
TEST_F(CrudTest, NoSelfLinkOnObjectsOrLists) {
  auto created = bodyOf(call("POST", kConfigMaps, configMap("one")));
  EXPECT_FALSE(created["metadata"].contains("selfLink")) << created.dump();
  auto patched = bodyOf(call("PATCH", std::string(kConfigMaps) + "/one?fieldManager=x",
                             R"({"data": {"k": "v"}})", "application/merge-patch+json"));
  EXPECT_FALSE(patched["metadata"].contains("selfLink")) << patched.dump();
  auto list = bodyOf(call("GET", kConfigMaps));
  EXPECT_FALSE(list["metadata"].contains("selfLink")) << list.dump();
  EXPECT_FALSE(list["items"][0]["metadata"].contains("selfLink"));
}

TEST_F(CrudTest, DeploymentGetsServerDefaults) {
  auto r = call("POST", std::string(kDeployments) + "?fieldValidation=Strict", kDeployment);
  ASSERT_EQ(r.status, 201) << r.body;
  auto d = bodyOf(r);
  EXPECT_EQ(d["spec"]["revisionHistoryLimit"], 10);
  EXPECT_EQ(d["spec"]["progressDeadlineSeconds"], 600);
}

TEST_F(CrudTest, StrictFieldValidationRejectsUnknownFields) {
  std::string body =
      R"({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "u"}, "data": {}, "bogus": 1})";
  auto strict = call("POST", std::string(kConfigMaps) + "?fieldValidation=Strict", body);
  ASSERT_EQ(strict.status, 400) << strict.body;
  EXPECT_EQ(bodyOf(strict)["message"], "strict decoding error: unknown field \"bogus\"");
  auto warn = call("POST", std::string(kConfigMaps) + "?fieldValidation=Warn", body);
  ASSERT_EQ(warn.status, 201);
  EXPECT_EQ(warn.header("warning"), "299 - \"unknown field \\\"bogus\\\"\"");
  EXPECT_FALSE(bodyOf(warn).contains("bogus"));
}

TEST_F(CrudTest, DiscoveryAndOpenApiAreRouted) {
  auto apis = call("GET", "/apis");
  ASSERT_EQ(apis.status, 200);
  EXPECT_EQ(bodyOf(apis)["kind"], "APIGroupList");
  auto v1 = call("GET", "/api/v1");
  ASSERT_EQ(v1.status, 200);
  EXPECT_EQ(bodyOf(v1)["kind"], "APIResourceList");
  auto req = makeRequest("GET", "/apis");
  req.headers["accept"] =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
  auto agg = server_.handle(req);
  ASSERT_EQ(agg.status, 200);
  EXPECT_EQ(agg.header("content-type"),
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  auto index = call("GET", "/openapi/v3");
  ASSERT_EQ(index.status, 200);
  EXPECT_TRUE(bodyOf(index)["paths"].contains("apis/apps/v1"));
  EXPECT_EQ(call("GET", "/openapi/v3/apis/apps/v1").status, 200);
}

TEST_F(CrudTest, ConcurrentWritersGetDistinctResourceVersions) {
  std::vector<std::string> rvs[2];
  {
    std::jthread a([&] {
      for (int i = 0; i < 20; ++i) {
        rvs[0].push_back(
            bodyOf(call("POST", kConfigMaps,
                        configMap("a" + std::to_string(i))))["metadata"]["resourceVersion"]);
      }
    });
    for (int i = 0; i < 20; ++i) {
      rvs[1].push_back(bodyOf(call(
          "POST", kConfigMaps, configMap("b" + std::to_string(i))))["metadata"]["resourceVersion"]);
    }
  }
  std::set<std::string> all(rvs[0].begin(), rvs[0].end());
  all.insert(rvs[1].begin(), rvs[1].end());
  EXPECT_EQ(all.size(), 40u);
}

}  // namespace
}  // namespace kubesim::api

namespace kubesim::api {
namespace {

TEST(DryRunTest, DryRunWritesAreAnsweredButNotStored) {
  ApiServer server(testing::testOptions());
  auto r = server.handle(testing::makeRequest(
      "POST", std::string(testing::kConfigMaps) + "?dryRun=All", testing::configMap("dry")));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(testing::bodyOf(r)["metadata"]["name"], "dry");
  EXPECT_EQ(
      server.handle(testing::makeRequest("GET", std::string(testing::kConfigMaps) + "/dry")).status,
      404);
}

}  // namespace
}  // namespace kubesim::api

namespace kubesim::api {
namespace {

// SelfSubjectAccessReview (`kubectl auth can-i`): answered, never stored; the admin may do all.
TEST(AccessReviewTest, TheAdminIsAllowedAndNothingIsStored) {
  ApiServer server{testing::testOptions()};
  const std::string path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  auto call = [&](const std::string& method, const std::string& target, const std::string& body) {
    return server.handle(testing::makeRequest(method, target, body));
  };
  auto r = call("POST", path,
                R"({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                    "spec": {"resourceAttributes": {"namespace": "default", "verb": "create",
                             "group": "apps", "resource": "deployments"}}})");
  ASSERT_EQ(r.status, 201) << r.body;
  const Json answer = Json::parse(r.body);
  EXPECT_EQ(answer["status"], Json::parse(R"({"allowed": true})"));
  EXPECT_EQ(answer["spec"]["resourceAttributes"]["resource"], "deployments");
  EXPECT_EQ(answer["metadata"], Json::parse(R"({"creationTimestamp": null})"));

  // Exactly one of the two attribute sets.
  for (const char* spec :
       {R"({})", R"({"resourceAttributes": {"verb": "get"}, "nonResourceAttributes": {}})"}) {
    auto bad = call("POST", path, std::string(R"({"spec": )") + spec + "}");
    EXPECT_EQ(bad.status, 422) << spec << ": " << bad.body;
  }
  auto typo = call("POST", path, R"({"spec": {"nonResourceAttributes": {"path": 7}}})");
  EXPECT_EQ(typo.status, 422) << typo.body;

  // Create-only: no list, get, delete or watch.
  for (const auto& [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", path}, {"GET", path + "/x"}, {"DELETE", path + "/x"}, {"PUT", path + "/x"}}) {
    auto no = call(method, target, method == "PUT" ? "{}" : "");
    EXPECT_EQ(no.status, 405) << method << " " << target << ": " << no.body;
    EXPECT_NE(no.body.find("the server does not allow this method on the requested resource"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace kubesim::api
