#include "kubesim/patch/strategic_merge.h"

#include <gtest/gtest.h>

#include "tests/unit/kubesim/patch/reference_fixtures.h"

namespace kubesim::patch {
namespace {

const PatchMeta& deploymentMeta() {
  static const PatchMeta meta = builtinPatchMeta("apps/v1", "Deployment");
  return meta;
}

Json mustPatch(const Json& doc, const char* patch, const PatchMeta& meta = deploymentMeta()) {
  auto got = applyStrategicMergePatch(doc, Json::parse(patch), meta);
  EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().message);
  return got.ok() ? *got : Json();
}

// The Deployment of reference §29 before kubectl set env added FOO.
Json section29Before() {
  Json d = Json::parse(fixtures::kSection29Response);
  auto& env = d["spec"]["template"]["spec"]["containers"][0]["env"];
  env.erase(1);
  return d;
}

TEST(StrategicMerge, KubectlSetEnvWithSetElementOrder) {
  const Json got = mustPatch(section29Before(), R"({"spec": {"template": {"spec": {
      "$setElementOrder/containers": [{"name": "app"}, {"name": "side"}],
      "containers": [{"$setElementOrder/env": [{"name": "KEEP"}, {"name": "FOO"}],
                      "env": [{"name": "FOO", "value": "bar"}], "name": "app"}]}}}})");
  const Json want = Json::parse(fixtures::kSection29Response);
  EXPECT_EQ(got["spec"], want["spec"]);
  EXPECT_EQ(got["metadata"]["labels"], want["metadata"]["labels"]);
}

TEST(StrategicMerge, DeleteContainerByMergeKey) {
  const Json got = mustPatch(Json::parse(fixtures::kSection29Response),
                             R"({"spec": {"template": {"spec": {"containers":
                                 [{"name": "side", "$patch": "delete"}]}}}})");
  EXPECT_EQ(got["spec"], Json::parse(fixtures::kSection30Response)["spec"]);
}

struct SmpCase {
  const char* name;
  const char* doc;
  const char* patch;
  const char* want;
};

class SmpTable : public ::testing::TestWithParam<SmpCase> {};

TEST_P(SmpTable, Merges) {
  const auto& c = GetParam();
  EXPECT_EQ(mustPatch(Json::parse(c.doc), c.patch), Json::parse(c.want));
}

INSTANTIATE_TEST_SUITE_P(
    Directives, SmpTable,
    ::testing::Values(
        SmpCase{"null_deletes_map_key", R"({"metadata":{"labels":{"a":"1","b":"2"}}})",
                R"({"metadata":{"labels":{"a":null}}})", R"({"metadata":{"labels":{"b":"2"}}})"},
        SmpCase{"map_merge_adds", R"({"metadata":{"labels":{"a":"1"}}})",
                R"({"metadata":{"labels":{"b":"2"}}})",
                R"({"metadata":{"labels":{"a":"1","b":"2"}}})"},
        SmpCase{"patch_replace_map", R"({"spec":{"selector":{"matchLabels":{"a":"1"}}}})",
                R"({"spec":{"selector":{"matchLabels":{"b":"2","$patch":"replace"}}}})",
                R"({"spec":{"selector":{"matchLabels":{"b":"2"}}}})"},
        SmpCase{"patch_delete_map", R"({"spec":{"strategy":{"type":"Recreate"},"replicas":1}})",
                R"({"spec":{"strategy":{"$patch":"delete"}}})", R"({"spec":{"replicas":1}})"},
        SmpCase{"keyed_merge_keeps_order_appends_new",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x"},
                    {"name":"b","image":"y"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"c","image":"z"},
                    {"name":"a","image":"x2"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","image":"x2"},
                    {"name":"b","image":"y"},{"name":"c","image":"z"}]}}}})"},
        SmpCase{"set_element_order_reorders",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}})",
                R"({"spec":{"template":{"spec":{"$setElementOrder/containers":
                    [{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"i"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"b"},
                    {"name":"a","image":"i"}]}}}})"},
        SmpCase{"list_patch_replace",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},
                    {"name":"c"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"c"}]}}}})"},
        SmpCase{"env_merge_by_name",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","env":[
                    {"name":"X","value":"1"},{"name":"Y","value":"2"}]}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","env":[
                    {"name":"Y","value":"3"},{"name":"X","$patch":"delete"}]}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","env":[
                    {"name":"Y","value":"3"}]}]}}}})"},
        SmpCase{"ports_by_container_port",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[
                    {"containerPort":80,"name":"http"}]}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[
                    {"containerPort":80,"name":"web"},{"containerPort":9090}]}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[
                    {"containerPort":80,"name":"web"},{"containerPort":9090}]}]}}}})"},
        SmpCase{"volume_mounts_by_mount_path",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","volumeMounts":[
                    {"mountPath":"/a","name":"v1"}]}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","volumeMounts":[
                    {"mountPath":"/a","name":"v2"},{"mountPath":"/b","name":"v3"}]}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","volumeMounts":[
                    {"mountPath":"/a","name":"v2"},{"mountPath":"/b","name":"v3"}]}]}}}})"},
        SmpCase{"atomic_list_replaced",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","args":["1","2"]}],
                    "tolerations":[{"key":"k"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","args":["3"]}],
                    "tolerations":[{"key":"j"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a","args":["3"]}],
                    "tolerations":[{"key":"j"}]}}}})"},
        SmpCase{"finalizers_merge_as_set", R"({"metadata":{"finalizers":["a","b"]}})",
                R"({"metadata":{"finalizers":["b","c"]}})",
                R"({"metadata":{"finalizers":["a","b","c"]}})"},
        SmpCase{"delete_from_primitive_list", R"({"metadata":{"finalizers":["a","b","c"]}})",
                R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}})",
                R"({"metadata":{"finalizers":["a","c"]}})"},
        SmpCase{"primitive_set_element_order", R"({"metadata":{"finalizers":["a","b"]}})",
                R"({"metadata":{"$setElementOrder/finalizers":["c","b","a"],
                    "finalizers":["c"]}})",
                R"({"metadata":{"finalizers":["c","b","a"]}})"},
        SmpCase{"retain_keys_clears_others",
                R"({"spec":{"strategy":{"type":"RollingUpdate",
                    "rollingUpdate":{"maxSurge":"25%"}}}})",
                R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
                R"({"spec":{"strategy":{"type":"Recreate"}}})"},
        SmpCase{"owner_references_by_uid",
                R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a"}]}})",
                R"({"metadata":{"ownerReferences":[{"uid":"2","name":"b"}]}})",
                R"({"metadata":{"ownerReferences":[{"uid":"1","name":"a"},
                    {"uid":"2","name":"b"}]}})"},
        SmpCase{"conditions_by_type",
                R"({"status":{"conditions":[{"type":"Available","status":"False"},
                    {"type":"Progressing","status":"True"}]}})",
                R"({"status":{"conditions":[{"type":"Available","status":"True"}]}})",
                R"({"status":{"conditions":[{"type":"Available","status":"True"},
                    {"type":"Progressing","status":"True"}]}})"},
        SmpCase{"new_list_drops_directives", R"({})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a"},
                    {"name":"b","$patch":"delete"}]}}}})",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"a"}]}}}})"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(StrategicMerge, ServicePortsMergeByPort) {
  const PatchMeta meta = builtinPatchMeta("v1", "Service");
  const Json got = mustPatch(Json::parse(R"({"spec":{"ports":[{"port":80,"targetPort":8080}]}})"),
                             R"({"spec":{"ports":[{"port":80,"targetPort":9090}]}})", meta);
  EXPECT_EQ(got, Json::parse(R"({"spec":{"ports":[{"port":80,"targetPort":9090}]}})"));
}

TEST(StrategicMerge, MissingMergeKeyIsAnError) {
  auto got = applyStrategicMergePatch(
      Json::object(),
      Json::parse(R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})"),
      deploymentMeta());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 400);
}

TEST(StrategicMerge, NonObjectPatchIsBadRequest) {
  auto got = applyStrategicMergePatch(Json::object(), Json::parse("[1]"), deploymentMeta());
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().reason, "BadRequest");
}

TEST(StrategicMerge, UnknownPatchDirectiveIsAnError) {
  auto got = applyStrategicMergePatch(Json::object(), Json::parse(R"({"spec":{"$patch":"zap"}})"),
                                      deploymentMeta());
  EXPECT_FALSE(got.ok());
}

}  // namespace
}  // namespace kubesim::patch
