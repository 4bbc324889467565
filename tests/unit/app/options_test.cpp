#include "operator/app/options.h"

#include <gtest/gtest.h>

namespace tro::app {
namespace {

using namespace std::chrono_literals;

Options mustParse(const std::vector<std::string>& args) {
  auto parsed = parseOptions(args);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().message);
  return parsed.ok() ? *parsed : Options{};
}

TEST(OptionsTest, DefaultsMatchOtherOperators) {
  Options o = mustParse({});
  EXPECT_FALSE(o.leaderElect);
  EXPECT_EQ(o.metricsBindAddress, ":8080");
  EXPECT_EQ(o.healthProbeBindAddress, ":8081");
  EXPECT_EQ(o.leaseDuration, 15s);
  EXPECT_EQ(o.renewDeadline, 10s);
  EXPECT_EQ(o.retryPeriod, 2s);
  EXPECT_EQ(o.logFormat, "json");
  EXPECT_TRUE(o.namespaces.empty());
}

TEST(OptionsTest, AcceptsBothValueForms) {
  Options o =
      mustParse({"--kubeconfig", "/tmp/kc", "--log-level=debug", "--namespace", "shop",
                 "--namespace=payments", "--leader-elect", "--kube-api-qps=50", "--kube-api-burst",
                 "100", "--leader-elect-lease-duration=30s", "--leader-elect-renew-deadline=20s"});
  EXPECT_EQ(o.kubeconfig, "/tmp/kc");
  EXPECT_EQ(o.logLevel, "debug");
  EXPECT_EQ(o.namespaces, (std::vector<std::string>{"shop", "payments"}));
  EXPECT_TRUE(o.leaderElect);
  EXPECT_DOUBLE_EQ(o.kubeApiQps, 50);
  EXPECT_EQ(o.kubeApiBurst, 100);
  EXPECT_EQ(o.leaseDuration, 30s);
  EXPECT_EQ(o.renewDeadline, 20s);
}

TEST(OptionsTest, BooleanFlagCanBeTurnedOff) {
  EXPECT_FALSE(mustParse({"--leader-elect=false"}).leaderElect);
}

struct BadCase {
  std::vector<std::string> args;
  std::string messagePart;
};

TEST(OptionsTest, RejectsBadInputWithAClearMessage) {
  const BadCase cases[] = {
      {{"--nope"}, "unknown flag --nope"},
      {{"positional"}, "unexpected argument \"positional\""},
      {{"--kubeconfig"}, "flag --kubeconfig needs a value"},
      {{"--log-level=loud"}, "must be one of debug, info, warn, error"},
      {{"--log-format", "xml"}, "must be one of json, text"},
      {{"--workers=0"}, "must be a positive integer"},
      {{"--kube-api-qps=fast"}, "must be a positive number"},
      {{"--leader-elect-lease-duration=15"}, "missing unit"},
      {{"--leader-elect=maybe"}, "must be true or false"},
      {{"--leader-elect-renew-deadline=20s"}, "renew-deadline must be shorter"},
      // 2.5 s is recorded as 2 in the Lease: no margin left over a 2 s renew deadline.
      {{"--leader-elect-lease-duration=2.5s", "--leader-elect-renew-deadline=2s",
        "--leader-elect-retry-period=500ms"},
       "in whole seconds"},
      {{"--namespace="}, "must not be empty"},
  };
  for (const auto& c : cases) {
    auto parsed = parseOptions(c.args);
    ASSERT_FALSE(parsed.ok()) << c.args[0];
    EXPECT_NE(parsed.error().message.find(c.messagePart), std::string::npos)
        << parsed.error().message;
  }
}

TEST(OptionsTest, UsageListsEveryFlag) {
  std::string text = usage();
  for (const char* flag : {"--kubeconfig", "--namespace", "--leader-elect",
                           "--metrics-bind-address", "--health-probe-bind-address", "--log-level",
                           "--log-format", "--kube-api-qps", "--kube-api-burst", "--workers"}) {
    EXPECT_NE(text.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
}  // namespace tro::app
