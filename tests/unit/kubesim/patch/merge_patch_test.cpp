#include "kubesim/patch/merge_patch.h"

#include <gtest/gtest.h>

namespace kubesim::patch {
namespace {

struct MergeCase {
  const char* doc;
  const char* patch;
  const char* want;
};

class MergePatchTest : public ::testing::TestWithParam<MergeCase> {};

TEST_P(MergePatchTest, MatchesRfc7386) {
  const auto& c = GetParam();
  EXPECT_EQ(applyMergePatch(Json::parse(c.doc), Json::parse(c.patch)), Json::parse(c.want));
}

// RFC 7386 Appendix A, in order.
INSTANTIATE_TEST_SUITE_P(
    AppendixA, MergePatchTest,
    ::testing::Values(MergeCase{R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
                      MergeCase{R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
                      MergeCase{R"({"a":"b"})", R"({"a":null})", R"({})"},
                      MergeCase{R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
                      MergeCase{R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
                      MergeCase{R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
                      MergeCase{R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})",
                                R"({"a":{"b":"d"}})"},
                      MergeCase{R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
                      MergeCase{R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
                      MergeCase{R"({"a":"b"})", R"(["c"])", R"(["c"])"},
                      MergeCase{R"({"a":"foo"})", "null", "null"},
                      MergeCase{R"({"a":"foo"})", R"("bar")", R"("bar")"},
                      MergeCase{R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
                      MergeCase{R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
                      MergeCase{R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"}));

TEST(MergePatch, SpecChangeLeavesTheRestAlone) {
  const Json doc = Json::parse(R"({"metadata":{"name":"g"},"spec":{"size":1,"color":"blue"}})");
  EXPECT_EQ(applyMergePatch(doc, Json::parse(R"({"spec":{"size":2}})")),
            Json::parse(R"({"metadata":{"name":"g"},"spec":{"size":2,"color":"blue"}})"));
}

}  // namespace
}  // namespace kubesim::patch
