#include "kubesim/patch/field_set.h"

#include <gtest/gtest.h>

namespace kubesim::patch {
namespace {

TEST(FieldSet, RoundTripsFieldsV1WithDotForOwnedParents) {
  const Json v1 = Json::parse(R"({
    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
    "f:spec": {"f:containers": {"k:{\"name\":\"app\"}": {".": {}, "f:image": {}}}},
    "f:finalizers": {"v:\"x\"": {}}})");
  auto set = FieldSet::fromFieldsV1(v1);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 5u);
  EXPECT_TRUE(set->contains({"f:metadata", "f:labels"}));
  EXPECT_FALSE(set->contains({"f:metadata"}));
  EXPECT_EQ(set->toFieldsV1(), v1);
}

TEST(FieldSet, RejectsMalformedFieldsV1) {
  EXPECT_FALSE(FieldSet::fromFieldsV1(Json::parse(R"({"spec": {}})")).ok());
  EXPECT_FALSE(FieldSet::fromFieldsV1(Json::parse(R"({"f:spec": 1})")).ok());
}

TEST(FieldSet, SetAlgebra) {
  FieldSet a;
  a.insert({"f:a"});
  a.insert({"f:b", "f:c"});
  FieldSet b;
  b.insert({"f:b", "f:c"});
  b.insert({"f:d"});
  EXPECT_EQ(a.unionWith(b).size(), 3u);
  EXPECT_EQ(a.intersect(b).paths(), (std::set<FieldPath>{{"f:b", "f:c"}}));
  EXPECT_EQ(a.minus(b).paths(), (std::set<FieldPath>{{"f:a"}}));
  EXPECT_TRUE(a.hasPrefix({"f:b"}));
  EXPECT_FALSE(a.hasPrefix({"f:c"}));
}

struct PathCase {
  FieldPath path;
  const char* want;
};

class FieldPathStringTest : public ::testing::TestWithParam<PathCase> {};

TEST_P(FieldPathStringTest, FormatsLikeConflictCauses) {
  EXPECT_EQ(fieldPathString(GetParam().path), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Table, FieldPathStringTest,
    ::testing::Values(
        PathCase{{"f:spec", "f:size"}, ".spec.size"},
        PathCase{{"f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"app\"}", "f:env",
                  "k:{\"name\":\"FEATURE_OTEL\"}", "f:value"},
                 ".spec.template.spec.containers[name=\"app\"].env[name=\"FEATURE_OTEL\"].value"},
        PathCase{{"f:ports", "k:{\"containerPort\":80,\"protocol\":\"TCP\"}"},
                 ".ports[containerPort=80,protocol=\"TCP\"]"},
        PathCase{{"f:metadata", "f:finalizers", "v:\"a\""}, ".metadata.finalizers[=\"a\"]"}));

}  // namespace
}  // namespace kubesim::patch
