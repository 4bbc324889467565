#include "kubesim/schema/discovery.h"

#include <gtest/gtest.h>

#include "kubesim/schema/crd.h"

namespace kubesim::schema {
namespace {

Json gadgetCrd() {
  Json crd = Json::parse(
      R"({"metadata": {"name": "gadgets.example.test"}, "spec": {"group": "example.test", "scope": "Namespaced", "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget", "shortNames": ["gd"]}, "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}}, "schema": {"openAPIV3Schema": {"type": "object"}}}]}})");
  applyCrdDefaults(crd);
  return crd;
}

TEST(Discovery, CrdGroupVersionMatchesReference6) {
  KindRegistry r;
  r.addCustom(kindsFromCrd(gadgetCrd()));
  const Json expected = Json::parse(R"({
 "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "example.test/v1",
 "resources": [
  {"name": "gadgets", "singularName": "gadget", "namespaced": true, "kind": "Gadget",
   "verbs": ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
   "shortNames": ["gd"], "storageVersionHash": "dmwxvFnTrr0="},
  {"name": "gadgets/status", "singularName": "", "namespaced": true, "kind": "Gadget",
   "verbs": ["get", "patch", "update"]}]})");
  EXPECT_EQ(apiResourceList(r, "example.test", "v1"), expected);
}

TEST(Discovery, AppsV1LikeReference3) {
  KindRegistry r;
  const auto list = apiResourceList(r, "apps", "v1");
  ASSERT_TRUE(list.has_value());
  std::vector<std::string> names;
  for (const auto& res : (*list)["resources"]) names.push_back(res["name"]);
  // As the reference, less controllerrevisions (not served).
  EXPECT_EQ(names,
            (std::vector<std::string>{"daemonsets", "daemonsets/status", "deployments",
                                      "deployments/scale", "deployments/status", "replicasets",
                                      "replicasets/scale", "replicasets/status", "statefulsets",
                                      "statefulsets/scale", "statefulsets/status"}));
  EXPECT_EQ((*list)["resources"][0]["storageVersionHash"], "dd7pWHUlMKQ=");
  EXPECT_EQ((*list)["resources"][5]["storageVersionHash"], "P1RzHs8/mWQ=");
  EXPECT_EQ((*list)["resources"][8]["storageVersionHash"], "H+vl74LkKdo=");
  EXPECT_EQ((*list)["resources"][8]["shortNames"], Json::parse(R"(["sts"])"));
  const Json& deploy = (*list)["resources"][2];
  EXPECT_EQ(deploy["storageVersionHash"], "8aSe+NMegvE=");
  EXPECT_EQ(deploy["verbs"],
            Json::parse(
                R"(["create","delete","deletecollection","get","list","patch","update","watch"])"));
  EXPECT_EQ(deploy["shortNames"], Json::parse(R"(["deploy"])"));
  EXPECT_EQ(deploy["categories"], Json::parse(R"(["all"])"));
  EXPECT_EQ((*list)["resources"][3],
            Json::parse(R"({"name": "deployments/scale", "singularName": "", "namespaced": true,
              "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]})"));
  EXPECT_FALSE((*list)["resources"][4].contains("storageVersionHash"));
  EXPECT_FALSE((*list)["resources"][1].contains("storageVersionHash"));
  EXPECT_FALSE(apiResourceList(r, "apps", "v2").has_value());
  EXPECT_TRUE(apiResourceList(r, "", "v1").has_value());
}

TEST(Discovery, GroupListAndGroup) {
  KindRegistry r;
  r.addCustom(kindsFromCrd(gadgetCrd()));
  const Json list = apiGroupList(r);
  EXPECT_EQ(list["kind"], "APIGroupList");
  std::vector<std::string> names;
  for (const auto& g : list["groups"]) names.push_back(g["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "apps", "authorization.k8s.io", "autoscaling", "batch", "networking.k8s.io",
                       "policy", "rbac.authorization.k8s.io", "admissionregistration.k8s.io",
                       "apiextensions.k8s.io", "coordination.k8s.io", "example.test"}));
  EXPECT_EQ(
      list["groups"][0],
      Json::parse(R"({"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
              "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}})"));
  const auto group = apiGroup(r, "example.test");
  ASSERT_TRUE(group.has_value());
  EXPECT_EQ((*group)["kind"], "APIGroup");
  EXPECT_EQ((*group)["preferredVersion"]["version"], "v1");
  EXPECT_FALSE(apiGroup(r, "nope.test").has_value());
  EXPECT_EQ(apiVersions("127.0.0.1:6443"),
            Json::parse(R"({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs":
              [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]})"));
}

TEST(Discovery, AggregatedV2) {
  KindRegistry r;
  r.addCustom(kindsFromCrd(gadgetCrd()));
  const Json apis = aggregatedDiscovery(r, false);
  EXPECT_EQ(apis["kind"], "APIGroupDiscoveryList");
  EXPECT_EQ(apis["apiVersion"], "apidiscovery.k8s.io/v2");
  ASSERT_EQ(apis["items"].size(), 11u);
  const Json& apps = apis["items"][0];
  EXPECT_EQ(apps["metadata"]["name"], "apps");
  const Json& deploy = apps["versions"][0]["resources"][1];
  EXPECT_EQ(apps["versions"][0]["resources"][0]["resource"], "daemonsets");
  EXPECT_EQ(deploy, Json::parse(R"({
    "resource": "deployments", "responseKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
    "scope": "Namespaced", "singularResource": "deployment",
    "verbs": ["create","delete","deletecollection","get","list","patch","update","watch"],
    "shortNames": ["deploy"], "categories": ["all"],
    "subresources": [
      {"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"}, "verbs": ["get","patch","update"]},
      {"subresource": "status", "responseKind": {"group": "apps", "version": "v1", "kind": "Deployment"}, "verbs": ["get","patch","update"]}]})"));
  EXPECT_EQ(apps["versions"][0]["freshness"], "Current");
  EXPECT_EQ(apis["items"][1]["metadata"]["name"], "authorization.k8s.io");
  EXPECT_EQ(apis["items"][1]["versions"][0]["resources"][0]["verbs"], Json::parse(R"(["create"])"));
  EXPECT_EQ(apis["items"][2]["metadata"]["name"], "autoscaling");
  EXPECT_EQ(apis["items"][2]["versions"][0]["version"], "v2");
  EXPECT_EQ(apis["items"][3]["metadata"]["name"], "batch");
  EXPECT_EQ(apis["items"][4]["metadata"]["name"], "networking.k8s.io");
  EXPECT_EQ(apis["items"][5]["metadata"]["name"], "policy");
  EXPECT_EQ(apis["items"][6]["metadata"]["name"], "rbac.authorization.k8s.io");
  EXPECT_EQ(apis["items"][7]["metadata"]["name"], "admissionregistration.k8s.io");
  EXPECT_EQ(apis["items"][10]["metadata"]["name"], "example.test");

  const Json core = aggregatedDiscovery(r, true);
  ASSERT_EQ(core["items"].size(), 1u);
  EXPECT_FALSE(core["items"][0]["metadata"].contains("name"));
  std::vector<std::string> resources;
  for (const auto& res : core["items"][0]["versions"][0]["resources"]) {
    resources.push_back(res["resource"]);
  }
  EXPECT_EQ(resources, (std::vector<std::string>{"configmaps", "endpoints", "events", "limitranges",
                                                 "namespaces", "nodes", "persistentvolumeclaims",
                                                 "persistentvolumes", "pods", "resourcequotas",
                                                 "secrets", "serviceaccounts", "services"}));
  EXPECT_EQ(core["items"][0]["versions"][0]["resources"][4]["scope"], "Cluster");
  EXPECT_EQ(core["items"][0]["versions"][0]["resources"][5]["scope"], "Cluster");
  EXPECT_EQ(core["items"][0]["versions"][0]["resources"][6]["scope"], "Namespaced");
}

}  // namespace
}  // namespace kubesim::schema
