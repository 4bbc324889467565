// CRD lifecycle and custom resource semantics (reference §4-22).

#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;

class CustomResourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // As kubectl apply sends it: strict field validation must accept a complete CRD.
    auto r = call("POST",
                  "/apis/apiextensions.k8s.io/v1/"
                  "customresourcedefinitions?fieldManager=kubectl-client-side-apply&"
                  "fieldValidation=Strict",
                  kGadgetCrd);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("warning"), "");
  }
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& ct = "application/json") {
    return server_.handle(makeRequest(method, target, body, ct));
  }
  std::string item(const std::string& name) { return std::string(kGadgets) + "/" + name; }
  ApiServer server_{testOptions()};
};

TEST_F(CustomResourceTest, CrdIsEstablishedAndItsKindServed) {
  auto crd = bodyOf(
      call("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.test"));
  bool established = false;
  for (const auto& c : crd["status"]["conditions"]) {
    if (c["type"] == "Established") established = c["status"] == "True";
  }
  EXPECT_TRUE(established) << crd["status"];
  EXPECT_EQ(crd["status"]["acceptedNames"]["kind"], "Gadget");
  // The server's own status write is recorded under kube-apiserver (reference §5), beside the
  // client's entry for the spec.
  const Json* server = nullptr;
  for (const auto& m : crd["metadata"]["managedFields"]) {
    if (m["manager"] == "kube-apiserver") server = &m;
  }
  ASSERT_NE(server, nullptr) << crd["metadata"]["managedFields"];
  EXPECT_EQ((*server)["operation"], "Update");
  EXPECT_EQ((*server)["subresource"], "status");
  const Json& owned = (*server)["fieldsV1"]["f:status"];
  EXPECT_TRUE(owned.contains("f:conditions")) << owned;
  EXPECT_TRUE(owned["f:acceptedNames"].contains("f:kind")) << owned;
  EXPECT_TRUE(owned["f:acceptedNames"].contains("f:plural")) << owned;
  EXPECT_FALSE((*server)["fieldsV1"].contains("f:spec"));
  auto created = call("POST", kGadgets, gadget("g1", 3));
  ASSERT_EQ(created.status, 201) << created.body;
  auto g = bodyOf(created);
  EXPECT_EQ(g["metadata"]["generation"], 1);
  EXPECT_EQ(g["spec"]["color"], "blue");  // schema default
  EXPECT_EQ(g["metadata"]["managedFields"][0]["operation"], "Update");
  auto discovery = bodyOf(call("GET", "/apis/example.test/v1"));
  EXPECT_EQ(discovery["resources"][0]["name"], "gadgets");
}

TEST_F(CustomResourceTest, CrdNameMustBePluralDotGroup) {
  std::string bad = kGadgetCrd;
  bad.replace(bad.find("gadgets.example.test"), 20, "widgets.example.test");
  auto r = call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", bad);
  EXPECT_EQ(r.status, 422) << r.body;
}

TEST_F(CustomResourceTest, GenerationBumpsOnSpecChangesOnly) {
  ASSERT_EQ(call("POST", kGadgets, gadget("g1", 3)).status, 201);
  auto spec =
      bodyOf(call("PATCH", item("g1"), R"({"spec": {"size": 4}})", "application/merge-patch+json"));
  EXPECT_EQ(spec["metadata"]["generation"], 2);
  auto labels = bodyOf(call("PATCH", item("g1"), R"({"metadata": {"labels": {"x": "y"}}})",
                            "application/merge-patch+json"));
  EXPECT_EQ(labels["metadata"]["generation"], 2);
  EXPECT_GT(std::stoull(labels["metadata"]["resourceVersion"].get<std::string>()),
            std::stoull(spec["metadata"]["resourceVersion"].get<std::string>()));
}

TEST_F(CustomResourceTest, StatusSubresourceChangesOnlyStatus) {
  ASSERT_EQ(call("POST", kGadgets, gadget("g1", 4)).status, 201);
  auto r = call("PATCH", item("g1") + "/status",
                R"({"status": {"phase": "Ready"}, "spec": {"size": 99}})",
                "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  auto g = bodyOf(r);
  EXPECT_EQ(g["spec"]["size"], 4);
  EXPECT_EQ(g["status"]["phase"], "Ready");
  EXPECT_EQ(g["metadata"]["generation"], 1);
  auto main =
      bodyOf(call("PATCH", item("g1"), R"({"status": {"phase": "Gone"}, "spec": {"size": 5}})",
                  "application/merge-patch+json"));
  EXPECT_EQ(main["status"]["phase"], "Ready");
  EXPECT_EQ(main["spec"]["size"], 5);
}

TEST_F(CustomResourceTest, PutNeedsAFreshResourceVersion) {
  auto g = bodyOf(call("POST", kGadgets, gadget("g1", 3)));
  g["spec"]["size"] = 9;
  g["metadata"].erase("resourceVersion");
  auto missing = call("PUT", item("g1"), g.dump());
  ASSERT_EQ(missing.status, 422);
  EXPECT_EQ(bodyOf(missing)["message"],
            "gadgets.example.test \"g1\" is invalid: metadata.resourceVersion: Invalid value: 0x0: "
            "must be specified for an update");
  g["metadata"]["resourceVersion"] = "1";
  auto stale = call("PUT", item("g1"), g.dump());
  ASSERT_EQ(stale.status, 409);
  auto s = bodyOf(stale);
  EXPECT_EQ(s["message"],
            "Operation cannot be fulfilled on gadgets.example.test \"g1\": the object has been "
            "modified; please apply your changes to the latest version and try again");
  EXPECT_EQ(s["details"]["group"], "example.test");
  EXPECT_EQ(s["details"]["kind"], "gadgets");
}

TEST_F(CustomResourceTest, StrategicMergePatchIs415) {
  ASSERT_EQ(call("POST", kGadgets, gadget("g1", 3)).status, 201);
  auto r = call("PATCH", item("g1"), R"({"spec": {"size": 5}})",
                "application/strategic-merge-patch+json");
  ASSERT_EQ(r.status, 415);
  EXPECT_EQ(bodyOf(r)["message"],
            "the body of the request was in an unknown format - accepted media types include: "
            "application/json-patch+json, application/merge-patch+json, "
            "application/apply-patch+yaml");
}

TEST_F(CustomResourceTest, SchemaViolationsAre422WithCauses) {
  auto r = call(
      "POST", kGadgets,
      R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": "g2"}, "spec": {"size": -1, "color": "pink"}})");
  ASSERT_EQ(r.status, 422) << r.body;
  auto s = bodyOf(r);
  EXPECT_EQ(s["reason"], "Invalid");
  EXPECT_EQ(s["details"]["causes"].size(), 2u);
  EXPECT_EQ(call("GET", item("g2")).status, 404);
}

TEST_F(CustomResourceTest, StrictValidationNamesTheUnknownField) {
  auto r = call(
      "POST", std::string(kGadgets) + "?fieldValidation=Strict",
      R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": "g3"}, "spec": {"size": 1, "foo": 2}})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(bodyOf(r)["message"], "strict decoding error: unknown field \"spec.foo\"");
  auto ignored = call(
      "POST", std::string(kGadgets) + "?fieldValidation=Ignore",
      R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": "g3"}, "spec": {"size": 1, "foo": 2}})");
  ASSERT_EQ(ignored.status, 201);
  EXPECT_FALSE(bodyOf(ignored)["spec"].contains("foo"));
}

TEST_F(CustomResourceTest, ServerSideApply) {
  std::string applied =
      R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": "s1", "namespace": "default"}, "spec": {"size": 1}})";
  auto noManager = call("PATCH", item("s1"), applied, "application/apply-patch+yaml");
  ASSERT_EQ(noManager.status, 422);
  EXPECT_EQ(bodyOf(noManager)["message"],
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required "
            "for apply patch");
  auto created =
      call("PATCH", item("s1") + "?fieldManager=alice", applied, "application/apply-patch+yaml");
  ASSERT_EQ(created.status, 201) << created.body;
  auto g = bodyOf(created);
  EXPECT_EQ(g["metadata"]["managedFields"][0]["manager"], "alice");
  EXPECT_EQ(g["metadata"]["managedFields"][0]["operation"], "Apply");
  EXPECT_EQ(g["spec"]["color"], "blue");
  std::string bob =
      R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": "s1"}, "spec": {"size": 2}})";
  auto conflict =
      call("PATCH", item("s1") + "?fieldManager=bob", bob, "application/apply-patch+yaml");
  EXPECT_EQ(conflict.status, 409) << conflict.body;
  auto forced = call("PATCH", item("s1") + "?fieldManager=bob&force=true", bob,
                     "application/apply-patch+yaml");
  ASSERT_EQ(forced.status, 200) << forced.body;
  EXPECT_EQ(bodyOf(forced)["spec"]["size"], 2);
  EXPECT_EQ(bodyOf(forced)["metadata"]["generation"], 2);
}

TEST_F(CustomResourceTest, TableUsesPrinterColumns) {
  ASSERT_EQ(call("POST", kGadgets, gadget("g1", 3)).status, 201);
  auto req = makeRequest("GET", kGadgets);
  req.headers["accept"] = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  auto r = server_.handle(req);
  ASSERT_EQ(r.status, 200) << r.body;
  auto t = bodyOf(r);
  EXPECT_EQ(t["kind"], "Table");
  ASSERT_EQ(t["rows"].size(), 1u);
  EXPECT_EQ(t["rows"][0]["cells"][0], "g1");
  EXPECT_EQ(t["rows"][0]["cells"][1], 3);
}

TEST_F(CustomResourceTest, DeletingTheCrdDeletesItsObjectsAndKind) {
  ASSERT_EQ(call("POST", kGadgets, gadget("g1", 3)).status, 201);
  auto r = call("DELETE",
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.test");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", item("g1")).status, 404);
  EXPECT_EQ(bodyOf(call("GET", item("g1")))["message"],
            "the server could not find the requested resource");
  ASSERT_EQ(
      call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", kGadgetCrd).status,
      201);
  EXPECT_EQ(bodyOf(call("GET", kGadgets))["items"].size(), 0u);
}

}  // namespace
}  // namespace kubesim::api

namespace kubesim::api {
namespace {

TEST_F(CustomResourceTest, UpdatingTheCrdChangesTheServedSchema) {
  std::string crdPath =
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.test";
  auto crd = bodyOf(call("GET", crdPath));
  crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
     ["weight"] = {{"type", "integer"}};
  auto put = call("PUT", crdPath, crd.dump());
  ASSERT_EQ(put.status, 200) << put.body;
  auto r = call(
      "POST", std::string(kGadgets) + "?fieldValidation=Strict",
      R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": "w"}, "spec": {"size": 1, "weight": 2}})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(bodyOf(r)["spec"]["weight"], 2);
}

TEST_F(CustomResourceTest, DeleteCollectionHonoursTheLabelSelector) {
  ASSERT_EQ(call("POST", kGadgets, gadget("g1", 1)).status, 201);
  ASSERT_EQ(
      call(
          "POST", kGadgets,
          R"({"apiVersion": "example.test/v1", "kind": "Gadget", "metadata": {"name": "g2", "labels": {"tier": "b"}}, "spec": {"size": 1}})")
          .status,
      201);
  ASSERT_EQ(call("DELETE", std::string(kGadgets) + "?labelSelector=tier=a").status, 200);
  EXPECT_EQ(call("GET", item("g1")).status, 404);
  EXPECT_EQ(call("GET", item("g2")).status, 200);
}

}  // namespace
}  // namespace kubesim::api
