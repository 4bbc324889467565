#include "operator/base/duration.h"

#include <gtest/gtest.h>

namespace tro::base {
namespace {

using namespace std::chrono_literals;

struct ParseCase {
  const char* text;
  std::chrono::nanoseconds want;
};

TEST(DurationTest, ParsesGoStyleDurations) {
  const ParseCase cases[] = {
      {"0", 0ns},
      {"30s", 30s},
      {"1h30m", 90min},
      {"72h", 72h},
      {"300ms", 300ms},
      {"1.5s", 1500ms},
      {"2h45m30s", 2h + 45min + 30s},
      {"10us", 10us},
      {"7ns", 7ns},
      {"0.5h", 30min},
      {"1m0s", 1min},
      // Nine fraction digits of an hour: the product with the unit exceeds 64 bits unless split.
      {"1.123456789h", 3600s + 444'444'440'400ns},
      {"2562047h47m16.854775807s", std::chrono::nanoseconds(INT64_MAX)},
      {"0.9999999999999s", 999'999'999ns},
  };
  for (const auto& c : cases) {
    auto got = parseDuration(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(DurationTest, RejectsMalformedInputWithTheInputInTheMessage) {
  const char* cases[] = {"",
                         "30",
                         "h",
                         "1x",
                         "-5s",
                         "1h 30m",
                         "s30",
                         ".s",
                         "99999999999999h",
                         "2562047h47m16.854775808s",
                         "2562047.9999999999h"};
  for (const char* text : cases) {
    auto got = parseDuration(text);
    ASSERT_FALSE(got.ok()) << "accepted: \"" << text << "\"";
    EXPECT_NE(got.error().message.find(std::string("\"") + text + "\""), std::string::npos)
        << got.error().message;
  }
}

TEST(DurationTest, FormatsShortestForm) {
  EXPECT_EQ(formatDuration(0s), "0s");
  EXPECT_EQ(formatDuration(90s), "1m30s");
  EXPECT_EQ(formatDuration(72h), "72h0m0s");
  EXPECT_EQ(formatDuration(1500ms), "1.5s");
  EXPECT_EQ(formatDuration(250ms), "250ms");
}

TEST(DurationTest, FormatThenParseRoundTrips) {
  for (std::chrono::nanoseconds d : {1ns, 999000ns, 1000000000ns, 61000000000ns}) {
    auto back = parseDuration(formatDuration(d));
    ASSERT_TRUE(back.ok()) << formatDuration(d);
    EXPECT_EQ(*back, d);
  }
}

}  // namespace
}  // namespace tro::base
