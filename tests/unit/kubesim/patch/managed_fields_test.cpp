#include "kubesim/patch/managed_fields.h"

#include <gtest/gtest.h>

#include "tests/unit/kubesim/patch/reference_fixtures.h"

namespace kubesim::patch {
namespace {

constexpr const char* kTime = "2026-11-21T05:39:24Z";
const PatchMeta kCrMeta = objectMetaPatchMeta();

WriteContext ctx(const std::string& manager, const std::string& apiVersion = "example.test/v1") {
  return WriteContext{manager, apiVersion, kTime, ""};
}

Json gadget(const char* extra) {
  Json g = Json::parse(R"({"apiVersion":"example.test/v1","kind":"Gadget",
                           "metadata":{"name":"s1","namespace":"default"}})");
  g.update(Json::parse(extra), true);
  return g;
}

Json managedEntry(const char* manager, const char* fieldsV1, const char* op = "Apply") {
  return Json{{"apiVersion", "example.test/v1"},
              {"fieldsType", "FieldsV1"},
              {"fieldsV1", Json::parse(fieldsV1)},
              {"manager", manager},
              {"operation", op},
              {"time", kTime}};
}

// Reference §17-22 in sequence; `color: blue` stands for the schema default the caller adds.
class ServerSideApplySequence : public ::testing::Test {
 protected:
  Json apply(const char* manager, const char* body, bool force = false) {
    auto r = serverSideApply(live_ ? &*live_ : nullptr, gadget(body), force, kCrMeta, ctx(manager));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    if (!r.ok()) return Json();
    live_ = r->object;
    if (!(*live_)["spec"].contains("color")) (*live_)["spec"]["color"] = "blue";
    return *live_;
  }
  std::optional<Json> live_;
};

TEST_F(ServerSideApplySequence, CreateConflictForceShareAndStopApplying) {
  // §17: create.
  auto created =
      serverSideApply(nullptr, gadget(R"({"spec":{"size":1}})"), false, kCrMeta, ctx("alice"));
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->created);
  EXPECT_EQ(created->object["metadata"]["managedFields"],
            Json::array({managedEntry("alice", R"({"f:spec":{"f:size":{}}})")}));
  live_ = created->object;
  (*live_)["spec"]["color"] = "blue";

  // §18: bob applies a different value -> conflict, object untouched.
  auto conflict =
      serverSideApply(&*live_, gadget(R"({"spec":{"size":2}})"), false, kCrMeta, ctx("bob"));
  ASSERT_FALSE(conflict.ok());
  const Json status = conflict.error().toStatus();
  EXPECT_EQ(status, Json::parse(R"({"kind":"Status","apiVersion":"v1","metadata":{},
      "status":"Failure",
      "message":"Apply failed with 1 conflict: conflict with \"alice\": .spec.size",
      "reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict",
      "message":"conflict with \"alice\"","field":".spec.size"}]},"code":409})"));

  // §19: forced, ownership moves to bob.
  Json obj = apply("bob", R"({"spec":{"size":2}})", true);
  EXPECT_EQ(obj["spec"], Json::parse(R"({"size":2,"color":"blue"})"));
  EXPECT_EQ(obj["metadata"]["managedFields"],
            Json::array({managedEntry("bob", R"({"f:spec":{"f:size":{}}})")}));

  // §21: carol applies the same value plus a label -> shared ownership.
  obj = apply("carol", R"({"metadata":{"labels":{"owner":"carol"}},"spec":{"size":2}})");
  EXPECT_EQ(obj["metadata"]["labels"], Json::parse(R"({"owner":"carol"})"));
  EXPECT_EQ(obj["metadata"]["managedFields"],
            Json::array({managedEntry("bob", R"({"f:spec":{"f:size":{}}})"),
                         managedEntry("carol", R"({"f:metadata":{"f:labels":{"f:owner":{}}},
                                                   "f:spec":{"f:size":{}}})")}));

  // §22: carol stops applying her label -> removed.
  obj = apply("carol", R"({"spec":{"size":2}})");
  EXPECT_FALSE(obj["metadata"].contains("labels"));
  EXPECT_EQ(obj["metadata"]["managedFields"],
            Json::array({managedEntry("bob", R"({"f:spec":{"f:size":{}}})"),
                         managedEntry("carol", R"({"f:spec":{"f:size":{}}})")}));
  EXPECT_EQ(obj["metadata"]["name"], "s1");
}

TEST(ServerSideApply, MultipleConflictsListedPerManager) {
  Json live = gadget(R"({"spec":{"a":1,"b":1}})");
  live = updateManagedFields(nullptr, live, kCrMeta, ctx("alice"));
  auto r = serverSideApply(&live, gadget(R"({"spec":{"a":2,"b":2}})"), false, kCrMeta, ctx("bob"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "Apply failed with 2 conflicts: conflicts with \"alice\" using example.test/v1:\n"
            "- .spec.a\n- .spec.b");
  ASSERT_EQ(r.error().causes.size(), 2u);
  EXPECT_EQ(r.error().causes[1].field, ".spec.b");
}

TEST(ServerSideApply, ApplyingTheLiveValueOfAnUpdateManagerDoesNotConflict) {
  Json live = gadget(R"({"spec":{"a":1}})");
  live = updateManagedFields(nullptr, live, kCrMeta, ctx("alice"));
  auto r = serverSideApply(&live, gadget(R"({"spec":{"a":1}})"), false, kCrMeta, ctx("bob"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->object["metadata"]["managedFields"].size(), 2u);
}

TEST(ServerSideApply, SetListItemsAreOwnedByValue) {
  const FieldSet set =
      fieldsOf(gadget(R"({"metadata":{"finalizers":["a/b"]},"spec":{"list":[1,2]}})"), kCrMeta);
  EXPECT_EQ(set.toFieldsV1(), Json::parse(R"({"f:metadata":{"f:finalizers":{"v:\"a/b\"":{}}},
                                              "f:spec":{"f:list":{}}})"));
}

TEST(UpdateManagedFields, CreateOfCustomResourceOwnsEverythingSent) {
  // reference §7
  const Json obj = gadget(R"({"metadata":{"labels":{"tier":"a"}},
                              "spec":{"size":3,"color":"blue"}})");
  const Json got = updateManagedFields(nullptr, obj, kCrMeta, ctx("tester"));
  EXPECT_EQ(got["metadata"]["managedFields"],
            Json::array({managedEntry("tester", R"({"f:metadata":{"f:labels":{".":{},"f:tier":{}}},
                "f:spec":{".":{},"f:color":{},"f:size":{}}})",
                                      "Update")}));
}

TEST(UpdateManagedFields, StatusWritesRecordTheSubresource) {
  const Json old =
      updateManagedFields(nullptr, gadget(R"({"spec":{"size":1}})"), kCrMeta, ctx("tester"));
  Json next = old;
  next["status"] = {{"phase", "Ready"}};
  WriteContext c = ctx("ctrl");
  c.subresource = "status";
  const Json got = updateManagedFields(&old, next, kCrMeta, c);
  const Json& mf = got["metadata"]["managedFields"];
  ASSERT_EQ(mf.size(), 2u);
  // Same operation and time: ordered by manager name.
  EXPECT_EQ(mf[0].value("manager", ""), "ctrl");
  EXPECT_EQ(mf[0].value("subresource", ""), "status");
  EXPECT_EQ(mf[0].value("fieldsV1", Json()), Json::parse(R"({"f:status":{".":{},"f:phase":{}}})"));
  EXPECT_FALSE(mf[1].contains("subresource"));
}

TEST(UpdateManagedFields, WriterTakesChangedFieldsFromOthers) {
  const Json old =
      updateManagedFields(nullptr, gadget(R"({"spec":{"a":1,"b":1}})"), kCrMeta, ctx("alice"));
  Json next = old;
  next["spec"]["a"] = 2;
  const Json got = updateManagedFields(&old, next, kCrMeta, ctx("bob"));
  const Json& mf = got["metadata"]["managedFields"];
  ASSERT_EQ(mf.size(), 2u);
  EXPECT_EQ(mf[0]["fieldsV1"], Json::parse(R"({"f:spec":{".":{},"f:b":{}}})"));
  EXPECT_EQ(mf[1]["fieldsV1"], Json::parse(R"({"f:spec":{"f:a":{}}})"));
}

Json withoutManagedFields(Json obj) {
  obj["metadata"].erase("managedFields");
  return obj;
}

TEST(UpdateManagedFields, DeploymentCreateAndKubectlSetEnvMatchReference) {
  const PatchMeta meta = builtinPatchMeta("apps/v1", "Deployment");
  const Json after = Json::parse(fixtures::kSection29Response);
  const Json& wantManaged = after["metadata"]["managedFields"];
  Json before = withoutManagedFields(after);
  before["spec"]["template"]["spec"]["containers"][0]["env"].erase(1);

  const Json created = updateManagedFields(
      nullptr, before, meta, {"kubectl-client-side-apply", "apps/v1", "2026-11-21T05:39:28Z", ""});
  ASSERT_EQ(created["metadata"]["managedFields"].size(), 1u);
  EXPECT_EQ(created["metadata"]["managedFields"][0], wantManaged[0]);

  const Json updated = updateManagedFields(&created, withoutManagedFields(after), meta,
                                           {"kubectl-set", "apps/v1", "2026-11-21T05:39:29Z", ""});
  EXPECT_EQ(updated["metadata"]["managedFields"], wantManaged);

  // §30: deleting the side container by merge key removes it from its owner's set.
  const Json section30 = Json::parse(fixtures::kSection30Response);
  const Json deleted = updateManagedFields(&updated, withoutManagedFields(section30), meta,
                                           {"kubectl", "apps/v1", "2026-11-21T05:39:30Z", ""});
  EXPECT_EQ(deleted["metadata"]["managedFields"], section30["metadata"]["managedFields"]);
}

TEST(UpdateManagedFields, EmptyManagerKeepsEntries) {
  const Json old =
      updateManagedFields(nullptr, gadget(R"({"spec":{"a":1}})"), kCrMeta, ctx("alice"));
  Json next = old;
  next["spec"]["a"] = 5;
  EXPECT_EQ(updateManagedFields(&old, next, kCrMeta, ctx(""))["metadata"]["managedFields"],
            old["metadata"]["managedFields"]);
}

TEST(ServerSideApply, NoOpApplyLeavesTheObjectUnchanged) {
  auto first =
      serverSideApply(nullptr, gadget(R"({"spec":{"a":1}})"), false, kCrMeta, ctx("alice"));
  ASSERT_TRUE(first.ok());
  WriteContext later = ctx("alice");
  later.time = "2026-11-21T06:00:00Z";
  auto again =
      serverSideApply(&first->object, gadget(R"({"spec":{"a":1}})"), false, kCrMeta, later);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->object, first->object);
  // A change stamps the new time.
  auto changed =
      serverSideApply(&first->object, gadget(R"({"spec":{"a":2}})"), false, kCrMeta, later);
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->object["metadata"]["managedFields"][0]["time"], "2026-11-21T06:00:00Z");
}

TEST(ServerSideApply, RequiresAnObject) {
  auto r = serverSideApply(nullptr, Json::array(), false, kCrMeta, ctx("alice"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, 400);
}

TEST(ServerSideApply, CrdListMapKeysMergeItemsAndOwnThemByKey) {
  const PatchMeta meta = crdPatchMeta(Json::parse(R"({"type":"object","properties":{
      "spec":{"type":"object","properties":{
        "targets":{"type":"array","x-kubernetes-list-type":"map",
                   "x-kubernetes-list-map-keys":["name"],
                   "items":{"type":"object","properties":{"name":{"type":"string"},
                                                          "weight":{"type":"integer"}}}},
        "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
        "params":{"type":"object","additionalProperties":{"type":"string"}}}}}})"));
  auto a = serverSideApply(nullptr, gadget(R"({"spec":{"targets":[{"name":"x","weight":1}],
                                                        "tags":["t1"]}})"),
                           false, meta, ctx("alice"));
  ASSERT_TRUE(a.ok());
  auto b = serverSideApply(&a->object, gadget(R"({"spec":{"targets":[{"name":"y","weight":2}],
                                                         "tags":["t2"]}})"),
                           false, meta, ctx("bob"));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->object["spec"], Json::parse(R"({"targets":[{"name":"x","weight":1},
      {"name":"y","weight":2}],"tags":["t1","t2"]})"));
  EXPECT_EQ(b->object["metadata"]["managedFields"][1]["fieldsV1"],
            Json::parse(R"({"f:spec":{"f:tags":{"v:\"t2\"":{}},
                "f:targets":{"k:{\"name\":\"y\"}":{".":{},"f:name":{},"f:weight":{}}}}})"));
  EXPECT_TRUE(meta.freeFormMap("spec.params"));
  EXPECT_EQ(meta.list("spec.targets").keys, std::vector<std::string>{"name"});
}

TEST(UpdateManagedFields, WriteThatChangesNothingAddsNoManager) {
  const Json old =
      updateManagedFields(nullptr, gadget(R"({"spec":{"a":1}})"), kCrMeta, ctx("alice"));
  const Json got = updateManagedFields(&old, old, kCrMeta, ctx("bob"));
  EXPECT_EQ(got["metadata"]["managedFields"], old["metadata"]["managedFields"]);
}

TEST(UpdateManagedFields, RemovalTakesFieldsFromOwnersWithoutStampingTheWriter) {
  const Json old =
      updateManagedFields(nullptr, gadget(R"({"spec":{"a":1,"b":2}})"), kCrMeta, ctx("alice"));
  Json next = old;
  next["spec"].erase("b");
  const Json got = updateManagedFields(&old, next, kCrMeta, ctx("bob"));
  EXPECT_EQ(got["metadata"]["managedFields"],
            Json::array({managedEntry("alice", R"({"f:spec":{".":{},"f:a":{}}})", "Update")}));
}

// Stored objects keep fieldsV1 as compact text; unpacking gives back the tree byte for byte, and
// managers decode the same from either form.
TEST(ManagedFieldsStorage, PackedFieldsRoundTripAndDecodeLikeTheTree) {
  const Json tree = updateManagedFields(nullptr, gadget(R"({"spec":{"a":1,"b":{"c":2}}})"), kCrMeta,
                                        ctx("alice"));
  Json packed = tree;
  packManagedFields(packed);
  const Json& fields = packed["metadata"]["managedFields"][0]["fieldsV1"];
  ASSERT_TRUE(fields.is_string());
  EXPECT_EQ(fields, R"({"f:spec":{".":{},"f:a":{},"f:b":{".":{},"f:c":{}}}})");
  Json again = packed;
  packManagedFields(again);  // idempotent
  EXPECT_EQ(again, packed);

  Json unpacked = packed;
  unpackManagedFields(unpacked);
  EXPECT_EQ(unpacked, tree);
  unpackManagedFields(unpacked);  // idempotent
  EXPECT_EQ(unpacked, tree);

  Json next = tree;
  next["spec"]["a"] = 5;
  EXPECT_EQ(updateManagedFields(&packed, next, kCrMeta, ctx("bob")),
            updateManagedFields(&tree, next, kCrMeta, ctx("bob")));
}

TEST(ManagedFieldsStorage, MalformedEntriesAreLeftAsTheyAre) {
  Json odd = Json::parse(R"({"metadata":{"managedFields":[7, {"fieldsV1":"not json"},
                                                        {"fieldsV1":[1]}]}})");
  Json copy = odd;
  unpackManagedFields(copy);
  EXPECT_EQ(copy, odd);
  packManagedFields(copy);
  EXPECT_EQ(copy, odd);
  Json none = Json::parse(R"({"metadata":{"managedFields":"x"}})");
  packManagedFields(none);
  unpackManagedFields(none);
  EXPECT_EQ(none, Json::parse(R"({"metadata":{"managedFields":"x"}})"));
}

}  // namespace
}  // namespace kubesim::patch
