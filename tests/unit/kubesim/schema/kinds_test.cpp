#include "kubesim/schema/kinds.h"

#include <gtest/gtest.h>

#include "kubesim/schema/crd.h"

namespace kubesim::schema {
namespace {

TEST(KindRegistry, BuiltinsHaveRealDiscoveryData) {
  KindRegistry r;
  struct Expect {
    const char* group;
    const char* plural;
    const char* kind;
    bool namespaced;
    std::vector<std::string> shortNames;
    bool status;
    bool scale;
  };
  const std::vector<Expect> cases = {
      {"", "namespaces", "Namespace", false, {"ns"}, true, false},
      {"", "pods", "Pod", true, {"po"}, true, false},
      {"", "configmaps", "ConfigMap", true, {"cm"}, false, false},
      {"", "secrets", "Secret", true, {}, false, false},
      {"", "services", "Service", true, {"svc"}, true, false},
      {"", "events", "Event", true, {"ev"}, false, false},
      {"apps", "deployments", "Deployment", true, {"deploy"}, true, true},
      {"apps", "replicasets", "ReplicaSet", true, {"rs"}, true, true},
      {"coordination.k8s.io", "leases", "Lease", true, {}, false, false},
      {"apiextensions.k8s.io",
       "customresourcedefinitions",
       "CustomResourceDefinition",
       false,
       {"crd", "crds"},
       true,
       false},
  };
  for (const auto& c : cases) {
    const KindInfo* k = r.byResource(c.group, "v1", c.plural);
    ASSERT_NE(k, nullptr) << c.plural;
    EXPECT_EQ(k->kind, c.kind);
    EXPECT_EQ(k->namespaced, c.namespaced) << c.plural;
    EXPECT_EQ(k->shortNames, c.shortNames) << c.plural;
    EXPECT_EQ(k->hasStatus, c.status) << c.plural;
    EXPECT_EQ(k->hasScale, c.scale) << c.plural;
    EXPECT_FALSE(k->isCustom);
    EXPECT_TRUE(k->schema.is_object()) << c.plural;
    EXPECT_EQ(r.byKind(k->apiVersion(), c.kind), k);
  }
  EXPECT_EQ(r.byResource("apps", "v1", "deployments")->qualifiedResource(), "deployments.apps");
  EXPECT_EQ(r.byResource("", "v1", "pods")->qualifiedResource(), "pods");
  EXPECT_EQ(r.byResource("apps", "v1", "deployments")->categories, std::vector<std::string>{"all"});
  EXPECT_TRUE(r.byResource("", "v1", "pods")->strategicMerge);
  EXPECT_FALSE(
      r.byResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")->strategicMerge);
  EXPECT_EQ(r.byResource("", "v1", "widgets"), nullptr);
  EXPECT_EQ(r.byKind("v1", "Deployment"), nullptr);
}

TEST(KindRegistry, GroupVersionsInDiscoveryOrder) {
  KindRegistry r;
  EXPECT_EQ(r.groupVersions(), (std::vector<GroupVersion>{{"", "v1"},
                                                          {"apps", "v1"},
                                                          {"authorization.k8s.io", "v1"},
                                                          {"autoscaling", "v2"},
                                                          {"batch", "v1"},
                                                          {"networking.k8s.io", "v1"},
                                                          {"policy", "v1"},
                                                          {"rbac.authorization.k8s.io", "v1"},
                                                          {"admissionregistration.k8s.io", "v1"},
                                                          {"apiextensions.k8s.io", "v1"},
                                                          {"coordination.k8s.io", "v1"}}));
}

KindInfo custom(const std::string& crd, const std::string& version) {
  KindInfo k;
  k.group = "example.test";
  k.version = version;
  k.kind = "Gadget";
  k.plural = "gadgets";
  k.isCustom = true;
  k.crdName = crd;
  return k;
}

TEST(KindRegistry, AddReplaceAndRemoveCrdKinds) {
  KindRegistry r;
  r.addCustom({custom("gadgets.example.test", "v1"), custom("gadgets.example.test", "v1beta1")});
  EXPECT_NE(r.byResource("example.test", "v1beta1", "gadgets"), nullptr);
  EXPECT_EQ(r.byGroupResource("example.test", "gadgets")->version, "v1");
  EXPECT_EQ(r.inGroupVersion("example.test", "v1").size(), 1u);
  // Updating the CRD replaces its kinds: v1beta1 is no longer served.
  r.addCustom({custom("gadgets.example.test", "v1")});
  EXPECT_EQ(r.byResource("example.test", "v1beta1", "gadgets"), nullptr);
  EXPECT_EQ(r.groupVersions().back(), (GroupVersion{"example.test", "v1"}));
  r.removeCrd("gadgets.example.test");
  EXPECT_EQ(r.byResource("example.test", "v1", "gadgets"), nullptr);
  EXPECT_EQ(r.all().size(), builtinKinds().size());
}

}  // namespace
}  // namespace kubesim::schema
