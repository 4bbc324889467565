#include "operator/base/rfc3339.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace tro::base {
namespace {

using namespace std::chrono_literals;
using std::chrono::seconds;

TimePoint at(const char* text) { return *parseRfc3339(text); }

TEST(Rfc3339, FormatsUtcWholeSeconds) {
  TimePoint epoch{};
  struct Case {
    TimePoint t;
    const char* want;
  };
  for (const Case& c : std::vector<Case>{
           {epoch, "1970-01-01T00:00:00Z"},
           {epoch + 86399s, "1970-01-01T23:59:59Z"},
           {epoch + 1'700'000'000s + 999ms, "2023-11-14T22:13:20Z"},
           {epoch + 951'782'400s, "2000-02-29T00:00:00Z"},
           {epoch - 1s, "1969-12-31T23:59:59Z"},
       }) {
    EXPECT_EQ(formatRfc3339(c.t), c.want);
  }
}

TEST(Rfc3339, ParsesOffsetsAndFractions) {
  TimePoint epoch{};
  struct Case {
    const char* text;
    std::optional<TimePoint> want;
  };
  for (const Case& c : std::vector<Case>{
           {"1970-01-01T00:00:00Z", epoch},
           {"2023-11-14T22:13:20Z", epoch + 1'700'000'000s},
           {"2023-11-14t22:13:20z", epoch + 1'700'000'000s},
           {"2023-11-14T22:13:20.5Z", epoch + 1'700'000'000s + 500ms},
           {"2023-11-14T22:13:20.123456Z", epoch + 1'700'000'000s + 123456us},
           {"2023-11-14T22:13:20.1234567891234Z", epoch + 1'700'000'000s + 123456789ns},
           {"2023-11-15T00:13:20+02:00", epoch + 1'700'000'000s},
           {"2023-11-14T21:43:20-00:30", epoch + 1'700'000'000s},
           {"2000-02-29T00:00:00Z", epoch + 951'782'400s},
           {"2001-02-29T00:00:00Z", std::nullopt},
           {"2023-13-01T00:00:00Z", std::nullopt},
           {"2023-11-14T24:00:00Z", std::nullopt},
           {"2023-11-14T22:13:20", std::nullopt},
           {"2023-11-14 22:13:20Z", std::nullopt},
           {"2023-11-14T22:13:20.Z", std::nullopt},
           {"2023-11-14T22:13:20Zjunk", std::nullopt},
           {"2023-11-14T22:13:20+24:00", std::nullopt},
           {"2023-11-14T22:13:20+02", std::nullopt},
           {"-023-11-14T22:13:20Z", std::nullopt},
           {"2026-11-21", std::nullopt},
           {"", std::nullopt},
       }) {
    EXPECT_EQ(parseRfc3339(c.text), c.want) << c.text;
  }
}

// The clock counts nanoseconds in 64 bits: about 1677-09-21 to 2262-04-11. Dates outside it are
// refused, not wrapped around ("9999-12-31T23:59:59Z" used to overflow the conversion).
TEST(Rfc3339, RefusesInstantsTheClockCannotHold) {
  for (const char* bad : {"9999-12-31T23:59:59Z", "2262-04-12T00:00:00Z", "0000-01-01T00:00:00Z",
                          "1677-09-21T00:00:00Z", "2262-04-11T23:59:59.999999999-23:59"}) {
    EXPECT_FALSE(parseRfc3339(bad).has_value()) << bad;
  }
  for (const char* good :
       {"2262-04-10T00:00:00Z", "1677-09-22T00:00:00Z", "2261-12-31T23:59:59Z"}) {
    auto t = parseRfc3339(good);
    ASSERT_TRUE(t.has_value()) << good;
    EXPECT_EQ(formatRfc3339(*t), good);
  }
}

TEST(Rfc3339, TruncateRoundTrips) {
  TimePoint t = at("2026-11-21T06:30:00Z") + 750ms;
  EXPECT_EQ(truncateToSeconds(t), at("2026-11-21T06:30:00Z"));
  EXPECT_EQ(parseRfc3339(formatRfc3339(truncateToSeconds(t))), truncateToSeconds(t));
  EXPECT_EQ(truncateToSeconds(TimePoint{} - 1ms), TimePoint{} - 1s);
}

const TimePoint kMicroT0 = *parseRfc3339("2026-11-21T05:00:00.000000Z");

TEST(Rfc3339, MicroTimeFormatsLikeTheApiServer) {
  EXPECT_EQ(formatRfc3339Micro(kMicroT0), "2026-11-21T05:00:00.000000Z");
  EXPECT_EQ(formatRfc3339Micro(kMicroT0 + std::chrono::microseconds(123456) + seconds(180)),
            "2026-11-21T05:03:00.123456Z");
  EXPECT_EQ(formatRfc3339Micro(kMicroT0 + std::chrono::nanoseconds(999)),
            "2026-11-21T05:00:00.000000Z");
}

TEST(Rfc3339, ParsesMicroTime) {
  struct Case {
    std::string text;
    std::optional<Duration> sinceT0;
  } cases[] = {
      {"2026-11-21T05:00:00.000000Z", seconds(0)},
      {"2026-11-21T05:03:00.123456Z", seconds(180) + std::chrono::microseconds(123456)},
      {"2026-11-21T05:03:00Z", seconds(180)},
      {"2026-11-21T05:03:00.5Z", seconds(180) + std::chrono::milliseconds(500)},
      {"2026-11-22T00:00:00.000001Z", std::chrono::hours(19) + std::chrono::microseconds(1)},
      {"2026-11-21T05:03:00.123456", std::nullopt},
      {"2026-11-21T05:03:00.Z", std::nullopt},
      {"2026-13-21T05:03:00Z", std::nullopt},
      {"2026-11-21 05:03:00Z", std::nullopt},
      {"", std::nullopt},
      {"garbage", std::nullopt},
  };
  for (const auto& c : cases) {
    auto parsed = parseRfc3339(c.text);
    ASSERT_EQ(parsed.has_value(), c.sinceT0.has_value()) << c.text;
    if (parsed) {
      EXPECT_EQ(*parsed - kMicroT0, *c.sinceT0) << c.text;
    }
  }
}

}  // namespace
}  // namespace tro::base
