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

TEST_F(DeletionTest, ANamespaceStaysTerminatingUntilItsLastObjectIsGone) {
  ASSERT_EQ(call("POST", "/api/v1/namespaces",
                 R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})")
                .status,
            201);
  const std::string cms = "/api/v1/namespaces/shop/configmaps";
  ASSERT_EQ(call("POST", cms, configMap("plain")).status, 201);
  ASSERT_EQ(call("POST", cms, configMap("held", R"("finalizers": ["example.test/hold"])")).status,
            201);
  auto answer = call("DELETE", "/api/v1/namespaces/shop");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(bodyOf(answer)["kind"], "Namespace");
  EXPECT_EQ(bodyOf(answer)["status"]["phase"], "Terminating");

  // Contents are deleted as a client's DELETE would: the plain one goes, the held one waits.
  EXPECT_EQ(call("GET", cms + "/plain").status, 404);
  const Json held = bodyOf(call("GET", cms + "/held"));
  EXPECT_TRUE(held["metadata"].contains("deletionTimestamp"));
  Json ns = bodyOf(call("GET", "/api/v1/namespaces/shop"));
  EXPECT_EQ(ns["status"]["phase"], "Terminating");
  EXPECT_EQ(ns["spec"]["finalizers"], Json::parse(R"(["kubernetes"])"));
  ASSERT_EQ(ns["status"]["conditions"].size(), 2u) << ns.dump();
  EXPECT_EQ(ns["status"]["conditions"][0]["type"], "NamespaceContentRemaining");
  EXPECT_EQ(ns["status"]["conditions"][0]["message"],
            "Some resources are remaining: configmaps has 1 resource instances");
  EXPECT_EQ(ns["status"]["conditions"][1]["type"], "NamespaceFinalizersRemaining");
  EXPECT_EQ(ns["status"]["conditions"][1]["message"],
            "Some content in the namespace has finalizers remaining: example.test/hold in 1 "
            "resource instances");
  // No new content while it terminates; a second DELETE is a conflict; a write to the namespace
  // itself does not finish it early.
  EXPECT_EQ(call("POST", cms, configMap("late")).status, 403);
  auto again = call("DELETE", "/api/v1/namespaces/shop");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(bodyOf(again)["message"],
            "Operation cannot be fulfilled on namespaces \"shop\": The system is ensuring all "
            "content is removed from this namespace.  Upon completion, this namespace will "
            "automatically be purged by the system.");
  ASSERT_EQ(call("PATCH", "/api/v1/namespaces/shop", R"({"metadata": {"labels": {"a": "b"}}})",
                 "application/merge-patch+json")
                .status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/namespaces/shop").status, 200);
  EXPECT_EQ(call("GET", cms + "/held").status, 200);
  // Namespaces have no deletecollection.
  EXPECT_EQ(call("DELETE", "/api/v1/namespaces").status, 405);
  EXPECT_EQ(call("GET", "/api/v1/namespaces/default").status, 200);

  // The last finalizer goes: the object, then the namespace.
  ASSERT_EQ(call("PATCH", cms + "/held", R"({"metadata": {"finalizers": null}})",
                 "application/merge-patch+json")
                .status,
            200);
  EXPECT_EQ(call("GET", cms + "/held").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/namespaces/shop").status, 404);
}

TEST_F(DeletionTest, TheSystemNamespacesMayNotBeDeleted) {
  for (const char* ns : {"default", "kube-system", "kube-public"}) {
    auto r = call("DELETE", std::string("/api/v1/namespaces/") + ns);
    EXPECT_EQ(r.status, 403) << ns;
    EXPECT_EQ(bodyOf(r)["message"], std::string("namespaces \"") + ns +
                                        "\" is forbidden: this namespace may not be deleted");
    EXPECT_EQ(call("GET", std::string("/api/v1/namespaces/") + ns).status, 200);
  }
}

TEST_F(DeletionTest, AnEmptyNamespaceAnswersTerminatingAndIsGone) {
  ASSERT_EQ(call("POST", "/api/v1/namespaces",
                 R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tmp"}})")
                .status,
            201);
  auto answer = call("DELETE", "/api/v1/namespaces/tmp");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(bodyOf(answer)["status"]["phase"], "Terminating");
  EXPECT_EQ(call("GET", "/api/v1/namespaces/tmp").status, 404);
}

}  // namespace
}  // namespace kubesim::api
