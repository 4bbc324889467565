// The operator-wide default webhook flag: parsed, scheme-checked, listed in --help.

#include <gtest/gtest.h>

#include "operator/app/options.h"

namespace tro::app {
namespace {

TEST(NotificationWebhookFlag, DefaultsToNoneAndTakesAnHttpOrHttpsUrl) {
  auto none = parseOptions({});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->notificationWebhookUrl, "");
  for (const char* url : {"http://hooks.example/x", "https://hooks.example"}) {
    auto parsed = parseOptions({std::string("--notification-webhook-url=") + url});
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->notificationWebhookUrl, url);
  }
  auto spaced = parseOptions({"--notification-webhook-url", "http://h/"});
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(spaced->notificationWebhookUrl, "http://h/");
}

TEST(NotificationWebhookFlag, RejectsOtherSchemes) {
  for (const char* url : {"", "hooks.example", "ftp://hooks.example"}) {
    auto parsed = parseOptions({std::string("--notification-webhook-url=") + url});
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_NE(parsed.error().message.find("must be an http:// or https:// URL"), std::string::npos)
        << parsed.error().message;
  }
  EXPECT_NE(usage().find("--notification-webhook-url URL"), std::string::npos);
}

}  // namespace
}  // namespace tro::app
