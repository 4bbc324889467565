#include "kubesim/patch/json_patch.h"

#include <gtest/gtest.h>

namespace kubesim::patch {
namespace {

struct JsonPatchCase {
  const char* name;
  const char* doc;
  const char* ops;
  const char* want;  // nullptr when an error is expected
  int wantCode;
};

class JsonPatchTest : public ::testing::TestWithParam<JsonPatchCase> {};

TEST_P(JsonPatchTest, Applies) {
  const auto& c = GetParam();
  auto got = applyJsonPatch(Json::parse(c.doc), Json::parse(c.ops));
  if (c.want != nullptr) {
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(*got, Json::parse(c.want));
  } else {
    ASSERT_FALSE(got.ok()) << got->dump();
    EXPECT_EQ(got.error().code, c.wantCode);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rfc6902, JsonPatchTest,
    ::testing::Values(
        JsonPatchCase{"add_member", R"({"a":1})", R"([{"op":"add","path":"/b","value":2}])",
                      R"({"a":1,"b":2})", 0},
        JsonPatchCase{"add_replaces_member", R"({"a":1})",
                      R"([{"op":"add","path":"/a","value":[1]}])", R"({"a":[1]})", 0},
        JsonPatchCase{"add_array_insert", R"({"a":[1,3]})",
                      R"([{"op":"add","path":"/a/1","value":2}])", R"({"a":[1,2,3]})", 0},
        JsonPatchCase{"add_array_dash", R"({"a":[1]})", R"([{"op":"add","path":"/a/-","value":2}])",
                      R"({"a":[1,2]})", 0},
        JsonPatchCase{"add_array_at_end_index", R"({"a":[1]})",
                      R"([{"op":"add","path":"/a/1","value":2}])", R"({"a":[1,2]})", 0},
        JsonPatchCase{"add_array_out_of_bounds", R"({"a":[1]})",
                      R"([{"op":"add","path":"/a/5","value":2}])", nullptr, 422},
        JsonPatchCase{"add_missing_parent", R"({})", R"([{"op":"add","path":"/x/y","value":2}])",
                      nullptr, 422},
        JsonPatchCase{"add_root", R"({"a":1})", R"([{"op":"add","path":"","value":[1]}])", "[1]",
                      0},
        JsonPatchCase{"escapes", R"({"a/b":1,"m~n":2})",
                      R"([{"op":"replace","path":"/a~1b","value":3},
                          {"op":"remove","path":"/m~0n"}])",
                      R"({"a/b":3})", 0},
        JsonPatchCase{"remove_member", R"({"a":1,"b":2})", R"([{"op":"remove","path":"/a"}])",
                      R"({"b":2})", 0},
        JsonPatchCase{"remove_array_item", R"({"a":[1,2,3]})", R"([{"op":"remove","path":"/a/1"}])",
                      R"({"a":[1,3]})", 0},
        JsonPatchCase{"remove_missing", R"({"a":1})", R"([{"op":"remove","path":"/b"}])", nullptr,
                      422},
        JsonPatchCase{"remove_dash_invalid", R"({"a":[1]})", R"([{"op":"remove","path":"/a/-"}])",
                      nullptr, 422},
        JsonPatchCase{"replace_nested", R"({"spec":{"replicas":1}})",
                      R"([{"op":"replace","path":"/spec/replicas","value":3}])",
                      R"({"spec":{"replicas":3}})", 0},
        JsonPatchCase{"replace_missing", R"({})", R"([{"op":"replace","path":"/a","value":1}])",
                      nullptr, 422},
        JsonPatchCase{"move", R"({"a":{"b":1},"c":{}})",
                      R"([{"op":"move","from":"/a/b","path":"/c/d"}])", R"({"a":{},"c":{"d":1}})",
                      0},
        JsonPatchCase{"move_array", R"({"a":[1,2,3]})",
                      R"([{"op":"move","from":"/a/0","path":"/a/-"}])", R"({"a":[2,3,1]})", 0},
        JsonPatchCase{"move_into_own_child", R"({"a":{"b":1}})",
                      R"([{"op":"move","from":"/a","path":"/a/b/c"}])", nullptr, 422},
        JsonPatchCase{"copy", R"({"a":{"b":1}})", R"([{"op":"copy","from":"/a","path":"/c"}])",
                      R"({"a":{"b":1},"c":{"b":1}})", 0},
        JsonPatchCase{"copy_missing_from", R"({})", R"([{"op":"copy","from":"/x","path":"/c"}])",
                      nullptr, 422},
        JsonPatchCase{"test_passes", R"({"a":[1,{"b":"c"}]})",
                      R"([{"op":"test","path":"/a","value":[1,{"b":"c"}]},
                          {"op":"add","path":"/d","value":true}])",
                      R"({"a":[1,{"b":"c"}],"d":true})", 0},
        JsonPatchCase{"test_fails_changes_nothing", R"({"spec":{"replicas":2}})",
                      R"([{"op":"test","path":"/spec/replicas","value":9},
                          {"op":"replace","path":"/spec/replicas","value":3}])",
                      nullptr, 422},
        JsonPatchCase{"test_number_vs_string", R"({"a":1})",
                      R"([{"op":"test","path":"/a","value":"1"}])", nullptr, 422},
        JsonPatchCase{"unknown_op", R"({})", R"([{"op":"frob","path":"/a"}])", nullptr, 422},
        JsonPatchCase{"missing_value", R"({})", R"([{"op":"add","path":"/a"}])", nullptr, 422},
        JsonPatchCase{"bad_pointer", R"({})", R"([{"op":"add","path":"a","value":1}])", nullptr,
                      422},
        JsonPatchCase{"leading_zero_index", R"({"a":[1,2]})",
                      R"([{"op":"replace","path":"/a/01","value":5}])", nullptr, 422},
        JsonPatchCase{"not_an_array", R"({})", R"({"op":"add"})", nullptr, 400}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(JsonPatch, FailedTestOpIsTheRealServersStatus) {
  // reference §32
  auto got = applyJsonPatch(Json::parse(R"({"spec":{"replicas":2}})"),
                            Json::parse(R"([{"op":"test","path":"/spec/replicas","value":9}])"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 422);
  EXPECT_EQ(got.error().reason, "Invalid");
  EXPECT_EQ(got.error().message, "the server rejected our request due to an error in our request");
  EXPECT_TRUE(got.error().causes.empty());
}

TEST(JsonPatch, MalformedPatchIsBadRequest) {
  auto got = applyJsonPatch(Json::object(), Json::parse(R"({"op":"add"})"));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().reason, "BadRequest");
  EXPECT_EQ(got.error().message,
            "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
}

// A few copy operations of the whole document double it each time: 40 of them would ask for
// 2^40 times the object. The real server stops copies at 3 MiB in all (JSONPatchMaxCopyBytes).
TEST(JsonPatch, CopiesStopAtTheServersCopyBudget) {
  Json doc = {{"spec", {{"blob", std::string(100'000, 'x')}}}};
  Json ops = Json::array();
  for (int i = 0; i < 40; ++i) {
    ops.push_back({{"op", "copy"}, {"from", "/spec"}, {"path", "/spec/c" + std::to_string(i)}});
  }
  auto got = applyJsonPatch(doc, ops);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 422);
  EXPECT_EQ(got.error().reason, "Invalid");

  // Within the budget copies still apply: 20 copies of a 100 kB value are about 2 MB.
  Json small = Json::array();
  for (int i = 0; i < 20; ++i) {
    small.push_back(
        {{"op", "copy"}, {"from", "/spec/blob"}, {"path", "/spec/c" + std::to_string(i)}});
  }
  auto fits = applyJsonPatch(doc, small);
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ((*fits)["spec"]["c19"], doc["spec"]["blob"]);
}

TEST(JsonPatch, MoreThanTenThousandOperationsIsTooLarge) {
  Json ops = Json::array();
  for (int i = 0; i <= 10'000; ++i) ops.push_back({{"op", "test"}, {"path", ""}, {"value", 1}});
  auto got = applyJsonPatch(Json::object(), ops);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, 413);
  EXPECT_EQ(got.error().reason, "RequestEntityTooLarge");
  EXPECT_EQ(got.error().message,
            "The allowed maximum operations in a JSON patch is 10000, got 10001");
}

}  // namespace
}  // namespace kubesim::patch
