// Deletion: finalizers, preconditions, ownerReference garbage collection (reference §34-36).

#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;

class DeletionTest : public ::testing::Test {
 protected:
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& ct = "application/json") {
    return server_.handle(makeRequest(method, target, body, ct));
  }
  std::string cm(const std::string& name) { return std::string(kConfigMaps) + "/" + name; }
  std::string ownedBy(const Json& owner) {
    return R"("ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": ")" +
           owner["metadata"]["name"].get<std::string>() + R"(", "uid": ")" +
           owner["metadata"]["uid"].get<std::string>() + R"("}])";
  }
  ApiServer server_{testOptions()};
};

TEST_F(DeletionTest, DeleteWithoutFinalizersAnswersSuccessStatus) {
  auto created = bodyOf(call("POST", kConfigMaps, configMap("one")));
  auto r = call("DELETE", cm("one"), R"({"propagationPolicy": "Background"})");
  ASSERT_EQ(r.status, 200);
  auto s = bodyOf(r);
  EXPECT_EQ(s["status"], "Success");
  EXPECT_EQ(s["details"]["name"], "one");
  EXPECT_EQ(s["details"]["kind"], "configmaps");
  EXPECT_EQ(s["details"]["uid"], created["metadata"]["uid"]);
  EXPECT_EQ(call("GET", cm("one")).status, 404);
  EXPECT_EQ(call("DELETE", cm("one")).status, 404);
}

TEST_F(DeletionTest, FinalizersHoldTheObjectUntilRemoved) {
  ASSERT_EQ(
      call("POST", kConfigMaps, configMap("f", R"("finalizers": ["example.test/hold"])")).status,
      201);
  auto r = call("DELETE", cm("f"));
  ASSERT_EQ(r.status, 200);
  auto o = bodyOf(r);
  EXPECT_EQ(o["kind"], "ConfigMap");
  EXPECT_EQ(o["metadata"]["deletionTimestamp"], "2026-11-21T05:39:24Z");
  EXPECT_EQ(o["metadata"]["deletionGracePeriodSeconds"], 0);
  EXPECT_EQ(call("GET", cm("f")).status, 200);

  auto added = call("PATCH", cm("f"),
                    R"({"metadata": {"finalizers": ["example.test/hold", "example.test/new"]}})",
                    "application/merge-patch+json");
  ASSERT_EQ(added.status, 422);
  EXPECT_EQ(bodyOf(added)["message"],
            "ConfigMap \"f\" is invalid: [metadata.finalizers: Forbidden: no new finalizers can be "
            "added if the object is being deleted, found new finalizers "
            "[]string{\"example.test/new\"}, metadata.finalizers: Forbidden: no new finalizers can "
            "be added if the object is being deleted, found new finalizers "
            "[]string{\"example.test/new\"}]");

  auto cleared = call("PATCH", cm("f"), R"({"metadata": {"finalizers": null}})",
                      "application/merge-patch+json");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(call("GET", cm("f")).status, 404);
}

TEST_F(DeletionTest, PreconditionsAreChecked) {
  auto created = bodyOf(call("POST", kConfigMaps, configMap("p")));
  auto r = call("DELETE", cm("p"), R"({"preconditions": {"uid": "other"}})");
  ASSERT_EQ(r.status, 409);
  EXPECT_EQ(bodyOf(r)["message"],
            "Operation cannot be fulfilled on configmaps \"p\": Precondition failed: UID in "
            "precondition: other, UID in object meta: " +
                created["metadata"]["uid"].get<std::string>());
  EXPECT_EQ(call("GET", cm("p")).status, 200);
  auto ok = call("DELETE", cm("p"),
                 R"({"preconditions": {"resourceVersion": ")" +
                     created["metadata"]["resourceVersion"].get<std::string>() + "\"}}");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(call("GET", cm("p")).status, 404);
}

TEST_F(DeletionTest, BackgroundDeletionCollectsDependents) {
  auto owner = bodyOf(call("POST", kConfigMaps, configMap("owner")));
  ASSERT_EQ(call("POST", kConfigMaps, configMap("dep", ownedBy(owner))).status, 201);
  auto dep = bodyOf(call("GET", cm("dep")));
  ASSERT_EQ(call("POST", kConfigMaps, configMap("grandchild", ownedBy(dep))).status, 201);
  ASSERT_EQ(call("DELETE", cm("owner")).status, 200);
  EXPECT_EQ(call("GET", cm("dep")).status, 404);
  EXPECT_EQ(call("GET", cm("grandchild")).status, 404);
}

TEST_F(DeletionTest, OrphanDeletionKeepsDependents) {
  auto owner = bodyOf(call("POST", kConfigMaps, configMap("owner")));
  ASSERT_EQ(call("POST", kConfigMaps, configMap("dep", ownedBy(owner))).status, 201);
  ASSERT_EQ(call("DELETE", cm("owner"), R"({"propagationPolicy": "Orphan"})").status, 200);
  auto dep = call("GET", cm("dep"));
  ASSERT_EQ(dep.status, 200);
  EXPECT_FALSE(bodyOf(dep)["metadata"].contains("ownerReferences"));
}

TEST_F(DeletionTest, ForegroundDeletionWaitsForDependents) {
  auto owner = bodyOf(call("POST", kConfigMaps, configMap("owner")));
  ASSERT_EQ(call("POST", kConfigMaps,
                 configMap("dep", ownedBy(owner) + R"(, "finalizers": ["example.test/hold"])"))
                .status,
            201);
  auto r = call("DELETE", cm("owner"), R"({"propagationPolicy": "Foreground"})");
  ASSERT_EQ(r.status, 200);
  auto o = bodyOf(call("GET", cm("owner")));
  EXPECT_TRUE(o["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(o["metadata"]["finalizers"], Json::array({"foregroundDeletion"}));
  auto dep = bodyOf(call("GET", cm("dep")));
  EXPECT_TRUE(dep["metadata"].contains("deletionTimestamp"));
  ASSERT_EQ(call("PATCH", cm("dep"), R"({"metadata": {"finalizers": null}})",
                 "application/merge-patch+json")
                .status,
            200);
  EXPECT_EQ(call("GET", cm("dep")).status, 404);
  EXPECT_EQ(call("GET", cm("owner")).status, 404);
}

TEST_F(DeletionTest, DeletingANamespaceDeletesItsContents) {
  ASSERT_EQ(call("POST", "/api/v1/namespaces",
                 R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tmp"}})")
                .status,
            201);
  ASSERT_EQ(call("POST", "/api/v1/namespaces/tmp/configmaps", configMap("x")).status, 201);
  ASSERT_EQ(call("DELETE", "/api/v1/namespaces/tmp").status, 200);
  EXPECT_EQ(call("GET", "/api/v1/namespaces/tmp/configmaps/x").status, 404);
}

}  // namespace
}  // namespace kubesim::api
