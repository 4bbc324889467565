// resource.Quantity parsing, canonical printing, comparison and JSON decoding, against what
// k8s.io/apimachinery/pkg/api/resource does with the same input.

#include "kubesim/schema/quantity.h"

#include <gtest/gtest.h>

namespace kubesim::schema {
namespace {

struct ParseCase {
  const char* input;
  const char* canonical;  // nullptr: the parse fails with `error`
  const char* error = nullptr;
};

TEST(QuantityTest, ParsesAndPrintsLikeTheRealServer) {
  const ParseCase cases[] = {
      {"1", "1"},
      {"0", "0"},
      {"-0", "0"},
      {"2000m", "2"},
      {"1.5", "1500m"},
      {"0.1", "100m"},
      {".5", "500m"},
      {"100m", "100m"},
      {"1000", "1k"},
      {"1k", "1k"},
      {"1M", "1M"},
      {"1E", "1E"},
      {"1e3", "1e3"},     // canonical input is printed as written
      {"1.5e3", "1500"},  // DecimalExponent with exponent 0 has no suffix
      {"1e-3", "1e-3"},
      {"+1", "+1"},
      {"-1", "-1"},
      {"-1500m", "-1500m"},
      {"1Ki", "1Ki"},
      {"1Gi", "1Gi"},
      {"1024Mi", "1Gi"},
      {"1536Mi", "1536Mi"},
      {"1.5Gi", "1536Mi"},
      {"0.5Ki", "512"},
      {"16Ei", "9223372036854775807"},  // binary values are capped at 2^63-1
      {"0.0000000001", "1n"},           // rounded up to nano precision
      {"12345678901234567890", "12345678901234567890"},
      {"", nullptr, kQuantityFormatError},
      {"abc", nullptr, kQuantityFormatError},
      {"1x", nullptr, kQuantityFormatError},
      {"1Gx", nullptr, kQuantityFormatError},
      {"1.5.5", nullptr, kQuantityFormatError},
      {"1KiB", nullptr, kQuantityFormatError},
      {"1 Gi", nullptr, kQuantityFormatError},
      {"1kk", nullptr, kQuantitySuffixError},
      {"1K", nullptr, kQuantitySuffixError},
      {"1iK", nullptr, kQuantitySuffixError},
      {"1e", nullptr, kQuantitySuffixError},
      {"1m-3", nullptr, kQuantitySuffixError},
  };
  for (const auto& c : cases) {
    auto q = parseQuantity(c.input);
    if (c.canonical == nullptr) {
      ASSERT_FALSE(q.ok()) << c.input;
      EXPECT_EQ(q.error(), c.error) << c.input;
    } else {
      ASSERT_TRUE(q.ok()) << c.input << ": " << q.error();
      EXPECT_EQ(canonicalQuantity(*q), c.canonical) << c.input;
    }
  }
}

TEST(QuantityTest, ComparesExactly) {
  struct Case {
    const char* a;
    const char* b;
    int want;
  };
  const Case cases[] = {
      {"1", "1000m", 0},     {"1Gi", "1024Mi", 0}, {"100m", "0.1", 0}, {"1e3", "1k", 0},
      {"2", "1", 1},         {"1", "2", -1},       {"-1", "0", -1},    {"0", "-1", 1},
      {"-2", "-1", -1},      {"1Ki", "1k", 1},     {"999m", "1", -1},  {"1.0001", "1", 1},
      {"0.5Gi", "512Mi", 0}, {"1n", "0", 1},
  };
  for (const auto& c : cases) {
    auto a = parseQuantity(c.a);
    auto b = parseQuantity(c.b);
    ASSERT_TRUE(a.ok() && b.ok()) << c.a << " " << c.b;
    EXPECT_EQ(compareQuantity(*a, *b), c.want) << c.a << " vs " << c.b;
  }
}

TEST(QuantityTest, DecodesJsonValuesLikeUnmarshalJSON) {
  struct Case {
    Json value;
    const char* error;  // nullptr: decodes
  };
  const Case cases[] = {
      {Json(2), nullptr},
      {Json(1.5), nullptr},
      {Json(-3), nullptr},
      {Json(1e300), nullptr},
      {Json(nullptr), nullptr},
      {Json("500m"), nullptr},
      {Json(" 1Gi "), nullptr},
      {Json("abc"), kQuantityFormatError},
      {Json(""), kQuantityFormatError},
      {Json("1kk"), kQuantitySuffixError},
      {Json(true), kQuantityFormatError},
      {Json::object(), kQuantityFormatError},
      {Json::array(), kQuantityFormatError},
  };
  for (const auto& c : cases) {
    auto q = decodeQuantity(c.value);
    if (c.error == nullptr) {
      EXPECT_TRUE(q.ok()) << c.value.dump() << ": " << q.error();
    } else {
      ASSERT_FALSE(q.ok()) << c.value.dump();
      EXPECT_EQ(q.error(), c.error) << c.value.dump();
    }
  }
  auto number = decodeQuantity(Json(1.5));
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(canonicalQuantity(*number), "1500m");
}

}  // namespace
}  // namespace kubesim::schema
