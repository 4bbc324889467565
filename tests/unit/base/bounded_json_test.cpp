#include "operator/base/bounded_json.h"

#include <gtest/gtest.h>

#include <string>

namespace tro::base {
namespace {

struct DepthCase {
  const char* text;
  int limit;
  int want;
};

TEST(BoundedJsonTest, MeasuresNestingOutsideStrings) {
  const DepthCase cases[] = {
      {"", 10, 0},
      {"42", 10, 0},
      {"[]", 10, 1},
      {"[[[]]]", 128, 3},
      {"[[[]]]", 3, 3},
      {"[[[]]]", 2, -1},
      {"[][][]", 1, 1},
      {R"({"a":[1,{}]})", 10, 3},
      {R"({"a":[1,{}]})", 2, -1},
      // Brackets inside strings do not count, also after escaped quotes.
      {R"("[[[[")", 1, 0},
      {R"(["a\"[[[", "b"])", 1, 1},
      // An escaped backslash does not escape the closing quote.
      {R"({"k\"{{": "v\\", "n": {"m": "]]]"}})", 2, 2},
      {R"({"k\"{{": "v\\", "n": {"m": "]]]"}})", 1, -1},
      {R"(["\\", [["\\\"[["]]])", 3, 3},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(jsonDepth(c.text, c.limit), c.want) << c.text << " limit " << c.limit;
  }
}

TEST(BoundedJsonTest, ParsesAnOrdinaryObject) {
  auto got = parseJsonBounded(
      R"({"kind":"Status","code":409,"details":{"causes":[{"field":"spec.size"}]},"ok":true})");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ((*got)["kind"].get<std::string>(), "Status");
  EXPECT_EQ((*got)["code"].get<int>(), 409);
  EXPECT_EQ((*got)["details"]["causes"][0]["field"].get<std::string>(), "spec.size");
  EXPECT_TRUE((*got)["ok"].get<bool>());

  auto scalar = parseJsonBounded("42");
  ASSERT_TRUE(scalar.ok()) << scalar.error();
  EXPECT_EQ(scalar->get<int>(), 42);
}

TEST(BoundedJsonTest, RefusesDeepNestingWithoutParsing) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_EQ(jsonDepth(deep, 128), -1);
  auto got = parseJsonBounded(deep);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), "JSON nests deeper than 128 levels");

  const std::string objects = std::string(100'000, '{') + std::string(100'000, '}');
  auto gotObjects = parseJsonBounded(objects);
  ASSERT_FALSE(gotObjects.ok());
  EXPECT_EQ(gotObjects.error(), "JSON nests deeper than 128 levels");
}

TEST(BoundedJsonTest, DepthLimitIsInclusive) {
  JsonLimits limits;
  limits.maxDepth = 3;
  auto atLimit = parseJsonBounded("[[[]]]", limits);
  ASSERT_TRUE(atLimit.ok()) << atLimit.error();
  EXPECT_EQ(atLimit->dump(), "[[[]]]");
  auto over = parseJsonBounded("[[[[]]]]", limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), "JSON nests deeper than 3 levels");
}

TEST(BoundedJsonTest, BracketsInAStringDoNotCountTowardsDepth) {
  const std::string text = "\"" + std::string(100'000, '[') + "\"";
  auto got = parseJsonBounded(text);
  ASSERT_TRUE(got.ok()) << got.error();
  ASSERT_TRUE(got->is_string());
  EXPECT_EQ(got->get<std::string>().size(), 100'000u);
}

TEST(BoundedJsonTest, RefusesTextOverMaxBytes) {
  JsonLimits limits;
  limits.maxBytes = 4;
  auto over = parseJsonBounded("[1,2,3]", limits);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error(), "JSON of 7 bytes exceeds the limit of 4 bytes");

  limits.maxBytes = 7;
  auto atLimit = parseJsonBounded("[1,2,3]", limits);
  ASSERT_TRUE(atLimit.ok()) << atLimit.error();
  EXPECT_EQ(atLimit->size(), 3u);
}

TEST(BoundedJsonTest, InvalidJsonQuotesOnlyAShortCleanExcerpt) {
  const std::string huge = "{" + std::string(1'000'000, 'a');
  auto got = parseJsonBounded(huge);
  ASSERT_FALSE(got.ok());
  EXPECT_LT(got.error().size(), 300u);
  EXPECT_EQ(got.error(), "not valid JSON: \"{" + std::string(63, 'a') + "\"... (1000001 bytes)");

  auto small = parseJsonBounded("{\"a\":\n\x01");
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error(), R"(not valid JSON: "{\"a\": ?")");

  // nlohmann alone would read '{"a":1}' and stop at the NUL, ignoring what follows.
  auto nul = parseJsonBounded(std::string("{\"a\":1}\0{\"b\"", 12));
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error(), "not valid JSON: a NUL byte at offset 7");

  auto empty = parseJsonBounded("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error(), R"(not valid JSON: "")");
}

}  // namespace
}  // namespace tro::base
