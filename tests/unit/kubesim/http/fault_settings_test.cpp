#include "kubesim/http/fault_settings.h"

#include <gtest/gtest.h>

namespace kubesim::http {
namespace {

TEST(FaultSettings, MergeReplacesOnlyGivenFields) {
  FaultSettings base;
  base.latency = std::chrono::milliseconds(7);
  auto merged = mergeFaultSettings(
      base, Json{{"errorShare", 0.5}, {"errorCode", 429}, {"verbs", {"get", "list"}}, {"seed", 9}});
  ASSERT_TRUE(merged.ok()) << merged.error().message;
  EXPECT_EQ(merged->errorShare, 0.5);
  EXPECT_EQ(merged->errorCode, 429);
  EXPECT_EQ(merged->verbs, (std::vector<std::string>{"get", "list"}));
  EXPECT_EQ(merged->seed, 9u);
  EXPECT_EQ(merged->latency, std::chrono::milliseconds(7));  // untouched
}

TEST(FaultSettings, JsonRoundTrip) {
  FaultSettings s;
  s.seed = 42;
  s.conflictShare = 0.25;
  s.resources = {"deployments.apps"};
  s.latency = std::chrono::milliseconds(30);
  s.watchCutShare = 1;
  s.watchCutAfter = std::chrono::milliseconds(100);
  auto back = mergeFaultSettings(FaultSettings{}, faultSettingsToJson(s));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, s);
}

TEST(FaultSettings, RejectsBadInputAs400NamingTheField) {
  struct Case {
    Json patch;
    std::string mentions;
  };
  const Case cases[] = {
      {Json{{"errorShare", 1.5}}, "errorShare"},
      {Json{{"conflictShare", -0.1}}, "conflictShare"},
      {Json{{"watchCutShare", 2}}, "watchCutShare"},
      {Json{{"errorCode", 404}}, "errorCode"},
      {Json{{"latencyMs", -1}}, "latencyMs"},
      {Json{{"retryAfterSeconds", -3}}, "retryAfterSeconds"},
      {Json{{"errorShare", "high"}}, "invalid fault settings"},
      {Json{{"bogus", 1}}, "bogus"},
      {Json::array(), "JSON object"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.patch.dump());
    auto r = mergeFaultSettings(FaultSettings{}, c.patch);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, 400);
    EXPECT_EQ(r.error().reason, "BadRequest");
    EXPECT_NE(r.error().message.find(c.mentions), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace kubesim::http
