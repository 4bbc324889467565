#include "kubesim/schema/crd.h"

#include <gtest/gtest.h>

#include "kubesim/schema/structural.h"

namespace kubesim::schema {
namespace {

// The request body of reference §4.
Json gadgetCrd() {
  return Json::parse(
      R"({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "gadgets.example.test"}, "spec": {"group": "example.test", "scope": "Namespaced", "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget", "shortNames": ["gd"]}, "versions": [{"name": "v1", "served": true, "storage": true, "subresources": {"status": {}}, "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"}, {"name": "Phase", "type": "string", "jsonPath": ".status.phase"}, {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}], "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": {"type": "object", "required": ["size"], "properties": {"size": {"type": "integer", "minimum": 0}, "color": {"type": "string", "default": "blue", "enum": ["blue", "red"]}}}, "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}}}}]}})");
}

TEST(CrdDefaults, MatchReference4Spec) {
  Json crd = gadgetCrd();
  applyCrdDefaults(crd);
  EXPECT_EQ(crd["spec"]["names"]["listKind"], "GadgetList");
  EXPECT_EQ(crd["spec"]["conversion"], Json::parse(R"({"strategy": "None"})"));
  Json noSingular = gadgetCrd();
  noSingular["spec"]["names"].erase("singular");
  applyCrdDefaults(noSingular);
  EXPECT_EQ(noSingular["spec"]["names"]["singular"], "gadget");
}

TEST(CrdValidate, AcceptsReferenceCrd) {
  Json crd = gadgetCrd();
  applyCrdDefaults(crd);
  EXPECT_TRUE(validateCrd(crd).ok());
}

struct CrdCase {
  const char* name;
  std::function<void(Json&)> mutate;
  std::vector<Cause> expected;
};

TEST(CrdValidate, RejectsWithCauses) {
  const std::vector<CrdCase> cases = {
      {"name mismatch",
       [](Json& c) { c["metadata"]["name"] = "widgets.example.test"; },
       {{"FieldValueInvalid",
         "Invalid value: \"widgets.example.test\": must be spec.names.plural+\".\"+spec.group",
         "metadata.name"}}},
      {"bad scope",
       [](Json& c) { c["spec"]["scope"] = "Global"; },
       {{"FieldValueNotSupported",
         "Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\"",
         "spec.scope"}}},
      {"two storage versions",
       [](Json& c) {
         Json v2 = c["spec"]["versions"][0];
         v2["name"] = "v2";
         c["spec"]["versions"].push_back(v2);
       },
       {{"FieldValueInvalid",
         "Invalid value: 2: must have exactly one version marked as storage version",
         "spec.versions"}}},
      {"no schema",
       [](Json& c) { c["spec"]["versions"][0].erase("schema"); },
       {{"FieldValueRequired", "Required value: schemas are required",
         "spec.versions[0].schema.openAPIV3Schema"}}},
      {"untyped property",
       [](Json& c) {
         c["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
          ["size"]
              .erase("type");
       },
       {{"FieldValueRequired", "Required value: must not be empty for specified object fields",
         "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].type"}}},
      {"missing kind",
       [](Json& c) { c["spec"]["names"].erase("kind"); },
       {{"FieldValueRequired", "Required value", "spec.names.kind"}}},
      {"served as string is not served",
       [](Json& c) { c["spec"]["versions"][0]["served"] = "yes"; },
       {{"FieldValueInvalid", "Invalid value: 0: must have at least one version marked as served",
         "spec.versions"}}},
  };
  for (const auto& c : cases) {
    Json crd = gadgetCrd();
    c.mutate(crd);
    auto r = validateCrd(crd);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, 422) << c.name;
    EXPECT_EQ(r.error().detailsKind, "CustomResourceDefinition") << c.name;
    EXPECT_EQ(r.error().detailsGroup, "apiextensions.k8s.io") << c.name;
    EXPECT_EQ(r.error().causes, c.expected) << c.name;
  }
}

TEST(CrdValidate, GarbageInputDoesNotThrow) {
  for (const char* text :
       {R"(null)", R"([])", R"({"spec": 3})", R"({"spec": {"versions": [1, "x"]}})",
        R"({"spec": {"names": [], "versions": {}}})"}) {
    Json crd = Json::parse(text);
    applyCrdDefaults(crd);
    EXPECT_FALSE(validateCrd(crd).ok()) << text;
    EXPECT_TRUE(kindsFromCrd(crd).empty()) << text;
  }
}

TEST(CrdKinds, BuildsKindInfoFromReferenceCrd) {
  Json crd = gadgetCrd();
  applyCrdDefaults(crd);
  const auto kinds = kindsFromCrd(crd);
  ASSERT_EQ(kinds.size(), 1u);
  const KindInfo& k = kinds[0];
  EXPECT_EQ(k.group, "example.test");
  EXPECT_EQ(k.version, "v1");
  EXPECT_EQ(k.kind, "Gadget");
  EXPECT_EQ(k.listKind, "GadgetList");
  EXPECT_EQ(k.plural, "gadgets");
  EXPECT_EQ(k.singular, "gadget");
  EXPECT_EQ(k.shortNames, std::vector<std::string>{"gd"});
  EXPECT_TRUE(k.namespaced);
  EXPECT_TRUE(k.hasStatus);
  EXPECT_FALSE(k.hasScale);
  EXPECT_TRUE(k.isCustom);
  EXPECT_FALSE(k.strategicMerge);
  EXPECT_EQ(k.crdName, "gadgets.example.test");
  ASSERT_EQ(k.printerColumns.size(), 3u);
  EXPECT_EQ(k.printerColumns[0].jsonPath, ".spec.size");
  // The wrapped schema knows apiVersion/kind/metadata, so only real unknowns are reported.
  const Json obj = Json::parse(R"({"apiVersion":"example.test/v1","kind":"Gadget",
     "metadata":{"name":"g","labels":{"a":"b"},"bogus":1},"spec":{"size":1,"x":2}})");
  EXPECT_EQ(unknownFields(obj, k.schema), (std::vector<std::string>{"metadata.bogus", "spec.x"}));
}

TEST(CrdKinds, ServedVersionsInPriorityOrder) {
  Json crd = gadgetCrd();
  Json v = crd["spec"]["versions"][0];
  crd["spec"]["versions"] = Json::array();
  for (const char* name : {"v1alpha1", "v1", "v2beta1", "v1beta1"}) {
    v["name"] = name;
    v["storage"] = std::string(name) == "v1";
    crd["spec"]["versions"].push_back(v);
  }
  crd["spec"]["versions"][0]["served"] = false;
  std::vector<std::string> order;
  for (const auto& k : kindsFromCrd(crd)) order.push_back(k.version);
  EXPECT_EQ(order, (std::vector<std::string>{"v1", "v2beta1", "v1beta1"}));
  EXPECT_TRUE(versionPrecedes("v2", "v1"));
  EXPECT_TRUE(versionPrecedes("v1", "v10beta1"));
  EXPECT_TRUE(versionPrecedes("v1alpha1", "foo"));
}

TEST(CrdStatus, MatchesReference5) {
  Json crd = gadgetCrd();
  applyCrdDefaults(crd);
  const Json status = crdStatus(crd, "2026-11-21T05:39:21Z");
  const Json expected = Json::parse(R"({
  "conditions": [
   {"type": "NamesAccepted", "status": "True", "lastTransitionTime": "2026-11-21T05:39:21Z",
    "reason": "NoConflicts", "message": "no conflicts found"},
   {"type": "Established", "status": "True", "lastTransitionTime": "2026-11-21T05:39:21Z",
    "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"}],
  "acceptedNames": {"plural": "gadgets", "singular": "gadget", "shortNames": ["gd"],
                    "kind": "Gadget", "listKind": "GadgetList"},
  "storedVersions": ["v1"]})");
  EXPECT_EQ(status, expected);
  // Recomputing later keeps the transition times of unchanged conditions.
  crd["status"] = status;
  EXPECT_EQ(crdStatus(crd, "2030-01-01T00:00:00Z"), expected);
}

TEST(CrdStatus, ConflictWithAnotherCrd) {
  KindRegistry registry;
  Json first = gadgetCrd();
  applyCrdDefaults(first);
  registry.addCustom(kindsFromCrd(first));
  Json second = gadgetCrd();
  second["metadata"]["name"] = "gizmos.example.test";
  second["spec"]["names"] = {{"plural", "gizmos"}, {"kind", "Gizmo"}, {"shortNames", {"gd"}}};
  applyCrdDefaults(second);
  EXPECT_FALSE(findNameConflict(first, registry).has_value());
  const auto conflict = findNameConflict(second, registry);
  ASSERT_TRUE(conflict.has_value());
  EXPECT_EQ(conflict->reason, "ShortNamesConflict");
  EXPECT_EQ(conflict->message, "\"gd\" is already in use");
  const Json status = crdStatus(second, "2026-11-21T05:39:21Z", conflict);
  EXPECT_EQ(status["conditions"][0]["status"], "False");
  EXPECT_EQ(status["conditions"][0]["reason"], "ShortNamesConflict");
  EXPECT_EQ(status["conditions"][1]["reason"], "NotAccepted");
  EXPECT_EQ(status["acceptedNames"], Json::parse(R"({"plural": "", "kind": ""})"));
}

TEST(CrdStatus, StoredVersionsAccumulate) {
  Json crd = gadgetCrd();
  crd["status"] = {{"storedVersions", {"v1beta1"}}};
  EXPECT_EQ(crdStatus(crd, "t")["storedVersions"], Json::parse(R"(["v1beta1", "v1"])"));
}

}  // namespace
}  // namespace kubesim::schema
