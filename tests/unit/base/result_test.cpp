#include "operator/base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace tro::base {
namespace {

struct TestError {
  std::string what;
};

Result<int, TestError> parsePositive(int v) {
  if (v <= 0) return fail(TestError{"not positive: " + std::to_string(v)});
  return v;
}

TEST(ResultTest, CarriesValueOrError) {
  auto good = parsePositive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  auto bad = parsePositive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().what, "not positive: -1");
}

TEST(ResultTest, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>, TestError> r(std::make_unique<int>(7));
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, VoidResult) {
  Result<void, TestError> ok;
  EXPECT_TRUE(ok.ok());
  Result<void, TestError> bad = fail(TestError{"boom"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().what, "boom");
}

}  // namespace
}  // namespace tro::base
