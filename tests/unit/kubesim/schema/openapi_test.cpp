#include "kubesim/schema/openapi.h"

#include <gtest/gtest.h>

#include "kubesim/schema/crd.h"

namespace kubesim::schema {
namespace {

KindRegistry registryWithGadgets() {
  KindRegistry r;
  Json crd = Json::parse(
      R"({"metadata": {"name": "gadgets.example.test"}, "spec": {"group": "example.test", "scope": "Namespaced", "names": {"plural": "gadgets", "kind": "Gadget"}, "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}}, "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}}}]}})");
  applyCrdDefaults(crd);
  r.addCustom(kindsFromCrd(crd));
  return r;
}

// kubectl's query-param verifier: every PATCH operation for the GVK must carry the
// fieldValidation query parameter.
int patchOpsWithFieldValidation(const Json& doc, const Json& gvk, int* withoutParam) {
  int found = 0;
  for (const auto& [path, item] : doc["paths"].items()) {
    if (!item.contains("patch")) continue;
    const Json& op = item["patch"];
    if (op["x-kubernetes-group-version-kind"] != gvk) continue;
    bool has = false;
    for (const auto& p : op["parameters"])
      has |= p["name"] == "fieldValidation" && p["in"] == "query";
    has ? ++found : ++*withoutParam;
  }
  return found;
}

TEST(OpenApi, IndexListsEveryGroupVersionWithHash) {
  KindRegistry r = registryWithGadgets();
  const Json index = openapiV3Index(r);
  for (const char* p : {"api/v1", "apis/apps/v1", "apis/apiextensions.k8s.io/v1",
                        "apis/coordination.k8s.io/v1", "apis/example.test/v1"}) {
    ASSERT_TRUE(index["paths"].contains(p)) << p;
    const std::string url = index["paths"][p]["serverRelativeURL"];
    EXPECT_EQ(url.rfind(std::string("/openapi/v3/") + p + "?hash=", 0), 0u) << url;
  }
  const auto doc = openapiV3Document(r, "apps", "v1");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(index["paths"]["apis/apps/v1"]["serverRelativeURL"],
            "/openapi/v3/apis/apps/v1?hash=" + openapiHash(*doc));
  EXPECT_EQ(openapiHash(*doc).size(), 128u);
  EXPECT_FALSE(openapiV3Document(r, "nope.test", "v1").has_value());
}

TEST(OpenApi, PatchOperationsSupportServerSideValidation) {
  KindRegistry r = registryWithGadgets();
  struct Case {
    const char* group;
    const char* kind;
    int patchOps;  // main resource (+ status subresource)
  };
  for (const Case& c : {Case{"apps", "Deployment", 2}, Case{"", "ConfigMap", 1},
                        Case{"", "Namespace", 2}, Case{"example.test", "Gadget", 2},
                        Case{"apiextensions.k8s.io", "CustomResourceDefinition", 2}}) {
    const auto doc = openapiV3Document(r, c.group, "v1");
    ASSERT_TRUE(doc.has_value());
    int missing = 0;
    const Json gvk = {{"group", c.group}, {"kind", c.kind}, {"version", "v1"}};
    EXPECT_EQ(patchOpsWithFieldValidation(*doc, gvk, &missing), c.patchOps) << c.kind;
    EXPECT_EQ(missing, 0) << c.kind;
  }
}

TEST(OpenApi, ComponentsCarryGvkAndSchemas) {
  KindRegistry r = registryWithGadgets();
  const auto apps = openapiV3Document(r, "apps", "v1");
  const Json& deploy = (*apps)["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"];
  EXPECT_EQ(deploy["x-kubernetes-group-version-kind"],
            Json::parse(R"([{"group":"apps","kind":"Deployment","version":"v1"}])"));
  const Json& containers = deploy["properties"]["spec"]["properties"]["template"]["properties"]
                                 ["spec"]["properties"]["containers"];
  EXPECT_EQ(containers["x-kubernetes-patch-merge-key"], "name");
  EXPECT_EQ(containers["x-kubernetes-patch-strategy"], "merge");
  const Json& patch =
      (*apps)["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
  EXPECT_TRUE(patch["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
  EXPECT_EQ(patch["operationId"], "patchAppsV1NamespacedDeployment");

  const auto gadgets = openapiV3Document(r, "example.test", "v1");
  const Json& g = (*gadgets)["components"]["schemas"]["test.example.v1.Gadget"];
  EXPECT_EQ(g["properties"]["spec"]["properties"]["size"]["type"], "integer");
  const Json& gpatch =
      (*gadgets)["paths"]["/apis/example.test/v1/namespaces/{namespace}/gadgets/{name}"]["patch"];
  EXPECT_FALSE(gpatch["requestBody"]["content"].contains("application/strategic-merge-patch+json"));
  EXPECT_TRUE(gpatch["requestBody"]["content"].contains("application/apply-patch+yaml"));
  EXPECT_TRUE(
      (*gadgets)["components"]["schemas"].contains("io.k8s.apimachinery.pkg.apis.meta.v1.Patch"));
  // Cluster-scoped kinds have no namespace segment.
  const auto core = openapiV3Document(r, "", "v1");
  EXPECT_TRUE((*core)["paths"].contains("/api/v1/namespaces/{name}"));
  EXPECT_TRUE((*core)["paths"].contains("/api/v1/namespaces/{namespace}/configmaps/{name}"));
}

}  // namespace
}  // namespace kubesim::schema
