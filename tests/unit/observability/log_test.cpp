#include "operator/base/log.h"

#include <gtest/gtest.h>

#include <sstream>

#include "operator/base/simulated_clock.h"

namespace tro::base {
namespace {

using namespace std::chrono;

TimePoint fixedTime() {
  return sys_days{year{2026} / 1 / 2} + hours(3) + minutes(4) + seconds(5) + milliseconds(678);
}

TEST(LoggerTest, JsonLineHasFixedKeysThenBoundThenCallFields) {
  SimulatedClock clock(fixedTime());
  std::ostringstream out;
  Logger log(clock, out, {.level = LogLevel::Info, .format = LogFormat::Json});
  auto child = log.withName("controller").withName("rollout").withValues({{"worker", 2}});
  child.info("reconciled", {{"rollout", "default/web"}, {"ok", true}, {"ratio", 0.25}});
  EXPECT_EQ(out.str(),
            R"({"ts":"2026-01-02T03:04:05.678Z","level":"info","logger":"controller.rollout",)"
            R"("msg":"reconciled","worker":2,"rollout":"default/web","ok":true,"ratio":0.25})"
            "\n");
}

TEST(LoggerTest, JsonEscapesStringsAndOmitsEmptyLoggerName) {
  SimulatedClock clock(fixedTime());
  std::ostringstream out;
  Logger log(clock, out);
  log.error("bad \"thing\"\n", {{"path", "C:\\x"}, {"ctl", std::string("\x01")}});
  EXPECT_EQ(out.str(),
            R"({"ts":"2026-01-02T03:04:05.678Z","level":"error","msg":"bad \"thing\"\n",)"
            R"("path":"C:\\x","ctl":"\u0001"})"
            "\n");
}

TEST(LoggerTest, TextIsLogfmtAndQuotesOnlyWhenNeeded) {
  SimulatedClock clock(fixedTime());
  std::ostringstream out;
  Logger log(clock, out, {.level = LogLevel::Debug, .format = LogFormat::Text});
  log.withName("queue").debug(
      "added key",
      {{"key", "ns/a"}, {"reason", "spec changed"}, {"n", -3}, {"empty", ""}, {"eq", "a=b"}});
  EXPECT_EQ(out.str(),
            "ts=2026-01-02T03:04:05.678Z level=debug logger=queue msg=\"added key\" key=ns/a "
            "reason=\"spec changed\" n=-3 empty=\"\" eq=\"a=b\"\n");
}

TEST(LoggerTest, LinesBelowTheLevelAreDropped) {
  SimulatedClock clock(fixedTime());
  std::ostringstream out;
  Logger log(clock, out, {.level = LogLevel::Warn, .format = LogFormat::Text});
  log.debug("d");
  log.info("i");
  EXPECT_EQ(out.str(), "");
  EXPECT_FALSE(log.enabled(LogLevel::Info));
  EXPECT_TRUE(log.enabled(LogLevel::Error));
  log.warn("w");
  EXPECT_EQ(out.str(), "ts=2026-01-02T03:04:05.678Z level=warn msg=w\n");
}

TEST(LoggerTest, ChildrenDoNotChangeTheirParent) {
  SimulatedClock clock(fixedTime());
  std::ostringstream out;
  Logger log(clock, out, {.format = LogFormat::Text});
  auto child = log.withName("a").withValues({{"k", "v"}});
  log.info("parent");
  child.info("child");
  EXPECT_EQ(out.str(),
            "ts=2026-01-02T03:04:05.678Z level=info msg=parent\n"
            "ts=2026-01-02T03:04:05.678Z level=info logger=a msg=child k=v\n");
}

TEST(LoggerTest, TimestampFollowsTheClock) {
  SimulatedClock clock(fixedTime());
  std::ostringstream out;
  Logger log(clock, out, {.format = LogFormat::Text});
  clock.advance(milliseconds(400));
  log.info("x");
  EXPECT_EQ(out.str(), "ts=2026-01-02T03:04:06.078Z level=info msg=x\n");
}

TEST(LoggerTest, ParseLevelAndFormat) {
  struct Case {
    std::string in;
    bool ok;
    LogLevel want;
  };
  for (const auto& c : std::vector<Case>{{"debug", true, LogLevel::Debug},
                                         {"info", true, LogLevel::Info},
                                         {"warn", true, LogLevel::Warn},
                                         {"error", true, LogLevel::Error},
                                         {"INFO", false, {}},
                                         {"", false, {}}}) {
    auto r = parseLogLevel(c.in);
    ASSERT_EQ(r.ok(), c.ok) << c.in;
    if (c.ok) {
      EXPECT_EQ(*r, c.want) << c.in;
    }
  }
  EXPECT_EQ(*parseLogFormat("json"), LogFormat::Json);
  EXPECT_EQ(*parseLogFormat("text"), LogFormat::Text);
  auto bad = parseLogFormat("yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("yaml"), std::string::npos);
}

}  // namespace
}  // namespace tro::base
