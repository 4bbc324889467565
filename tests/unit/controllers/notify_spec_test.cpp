// spec.notifications.webhook: parsed into RolloutSpec::webhook, defaults, and every invalid
// value named by its field (which makes the rollout InvalidSpec / Failed).

#include <gtest/gtest.h>

#include "controllers/rollout/spec.h"

namespace tro::controllers {
namespace {

using namespace std::chrono_literals;

Json specWith(const Json& notifications) {
  Json spec = Json::parse(R"json({
    "selector": {"matchLabels": {"app": "shop"}},
    "flag": {"name": "FEATURE_OTEL"},
    "strategy": {"steps": [{"setWeight": 100}]}
  })json");
  if (!notifications.is_null()) spec["notifications"] = notifications;
  return spec;
}

TEST(NotificationsSpec, AbsentMeansNoWebhook) {
  ParsedSpec p = parseSpec(specWith(nullptr));
  ASSERT_TRUE(p.spec) << p.summary();
  EXPECT_FALSE(p.spec->webhook);
  p = parseSpec(specWith(Json::object()));
  ASSERT_TRUE(p.spec) << p.summary();
  EXPECT_FALSE(p.spec->webhook);
}

TEST(NotificationsSpec, UrlAndTimeoutWithTheDefault) {
  ParsedSpec p = parseSpec(specWith({{"webhook", {{"url", "https://hooks.example.com/x"}}}}));
  ASSERT_TRUE(p.spec) << p.summary();
  ASSERT_TRUE(p.spec->webhook);
  EXPECT_EQ(p.spec->webhook->url, "https://hooks.example.com/x");
  EXPECT_EQ(p.spec->webhook->timeout, 5s);
  p = parseSpec(
      specWith({{"webhook", {{"url", "http://127.0.0.1:9000/hook"}, {"timeout", "1500ms"}}}}));
  ASSERT_TRUE(p.spec) << p.summary();
  EXPECT_EQ(p.spec->webhook, (WebhookSpec{"http://127.0.0.1:9000/hook", 1500ms}));
}

struct InvalidCase {
  const char* name;
  Json notifications;
  SpecProblem want;
};

TEST(NotificationsSpec, EveryInvalidValueNamesItsField) {
  const char* kUrl = "spec.notifications.webhook.url";
  const char* kTimeout = "spec.notifications.webhook.timeout";
  const std::vector<InvalidCase> cases = {
      {"scheme",
       {{"webhook", {{"url", "ftp://hooks.example.com"}}}},
       {kUrl, "\"ftp://hooks.example.com\" must be an http:// or https:// URL"}},
      {"no host", {{"webhook", {{"url", "http:///x"}}}}, {kUrl, "\"http:///x\" must name a host"}},
      {"credentials",
       {{"webhook", {{"url", "https://u:p@h/"}}}},
       {kUrl, "\"https://REDACTED@h/\" must not carry user info (user:password@)"}},
      {"empty", {{"webhook", {{"url", ""}}}}, {kUrl, "Required value"}},
      {"missing", {{"webhook", {{"timeout", "5s"}}}}, {kUrl, "Required value"}},
      {"not a string", {{"webhook", {{"url", 42}}}}, {kUrl, "must be of type string"}},
      {"webhook not an object",
       {{"webhook", "http://h/"}},
       {"spec.notifications.webhook", "must be of type object"}},
      {"notifications not an object",
       Json::array(),
       {"spec.notifications", "must be of type object"}},
      {"timeout syntax",
       {{"webhook", {{"url", "http://h/"}, {"timeout", "5"}}}},
       {kTimeout, "invalid duration \"5\": missing unit"}},
      {"timeout zero",
       {{"webhook", {{"url", "http://h/"}, {"timeout", "0s"}}}},
       {kTimeout, "must be positive"}},
      {"timeout too long",
       {{"webhook", {{"url", "http://h/"}, {"timeout", "2m"}}}},
       {kTimeout, "must be at most 1m"}},
  };
  for (const auto& c : cases) {
    ParsedSpec p = parseSpec(specWith(c.notifications));
    EXPECT_FALSE(p.spec) << c.name;
    ASSERT_EQ(p.problems.size(), 1u) << c.name << ": " << p.summary();
    EXPECT_EQ(p.problems[0].field, c.want.field) << c.name;
    if (c.want.field == kTimeout && std::string(c.name) == "timeout syntax") {
      EXPECT_NE(p.problems[0].message.find("invalid duration \"5\""), std::string::npos)
          << p.problems[0].message;
    } else {
      EXPECT_EQ(p.problems[0].message, c.want.message) << c.name;
    }
  }
}

TEST(NotificationsSpec, TheWebhookOfASpecInvalidElsewhereIsStillUsable) {
  Json spec = specWith({{"webhook", {{"url", "http://h/hook"}}}});
  spec.erase("flag");
  ParsedSpec p = parseSpec(spec);
  ASSERT_FALSE(p.spec);
  ParsedNotifications n = parseNotifications(spec);
  EXPECT_TRUE(n.problems.empty());
  ASSERT_TRUE(n.webhook);
  EXPECT_EQ(n.webhook->url, "http://h/hook");

  spec["notifications"]["webhook"]["url"] = "nope";
  n = parseNotifications(spec);
  EXPECT_FALSE(n.webhook);
  ASSERT_EQ(n.problems.size(), 1u);
  EXPECT_EQ(n.problems[0].field, "spec.notifications.webhook.url");
  EXPECT_FALSE(parseNotifications(Json()).webhook);
}

}  // namespace
}  // namespace tro::controllers
