#include "kubesim/http/flags.h"

#include <gtest/gtest.h>

namespace kubesim::http {
namespace {

TEST(Flags, DefaultsWhenNoneGiven) {
  auto f = parseFlags({});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->port, 0);
  EXPECT_EQ(f->bind, "127.0.0.1");
  EXPECT_EQ(f->token, "");
  EXPECT_EQ(f->watchHistory, 1000u);
  EXPECT_FALSE(f->plainHttp);
  EXPECT_EQ(f->logLevel, LogLevel::Info);
}

TEST(Flags, AllFlagsBothSyntaxes) {
  auto f = parseFlags({"--port", "6443", "--bind=::1", "--token", "abc", "--kubeconfig-out=/tmp/k",
                       "--watch-history", "5", "--plain-http", "--log-level=debug",
                       "--audit-log-path", "/tmp/audit.log"});
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(f->port, 6443);
  EXPECT_EQ(f->bind, "::1");
  EXPECT_EQ(f->token, "abc");
  EXPECT_EQ(f->kubeconfigOut, "/tmp/k");
  EXPECT_EQ(f->watchHistory, 5u);
  EXPECT_TRUE(f->plainHttp);
  EXPECT_EQ(f->logLevel, LogLevel::Debug);
  EXPECT_EQ(f->auditLogPath, "/tmp/audit.log");
}

TEST(Flags, RejectsBadInputNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  const Case cases[] = {
      {{"--port", "65536"}, "--port"},
      {{"--audit-log-path="}, "--audit-log-path"},
      {{"--port", "-1"}, "--port"},
      {{"--port", "80x"}, "--port"},
      {{"--port"}, "--port"},
      {{"--watch-history", "0"}, "--watch-history"},
      {{"--log-level", "loud"}, "--log-level"},
      {{"--token="}, "--token"},
      {{"--frobnicate", "1"}, "--frobnicate"},
      {{"--pod-ready-delay", "soon"}, "--pod-ready-delay"},
      {{"--pod-start-delay", "5"}, "--pod-start-delay"},
      {{"--metrics-port", "70000"}, "--metrics-port"},
      {{"--fault-error-share", "lots"}, "--fault-error-share"},
      {{"--fault-error-share", "1.5"}, "errorShare"},
      {{"--fault-error-code", "404"}, "errorCode"},
      {{"--fault-latency", "3x"}, "--fault-latency"},
  };
  for (const auto& c : cases) {
    auto f = parseFlags(c.args);
    ASSERT_FALSE(f.ok()) << c.args[0];
    EXPECT_NE(f.error().find(c.mentions), std::string::npos) << f.error();
  }
}

TEST(Flags, WorldAndFaultFlags) {
  auto f = parseFlags({"--no-controllers",
                       "--pod-ready-delay",
                       "1.5s",
                       "--pod-start-delay=20ms",
                       "--metrics-port",
                       "9100",
                       "--metrics-port-file=/tmp/m",
                       "--fault-seed",
                       "7",
                       "--fault-error-share",
                       "0.25",
                       "--fault-error-code",
                       "429",
                       "--fault-retry-after",
                       "2",
                       "--fault-conflict-share",
                       "0.5",
                       "--fault-verbs",
                       "get,list",
                       "--fault-resources=deployments.apps",
                       "--fault-latency",
                       "100ms",
                       "--fault-watch-cut-share",
                       "1",
                       "--fault-watch-cut-after",
                       "1m"});
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_TRUE(f->noControllers);
  EXPECT_EQ(f->podReadyDelay, std::chrono::milliseconds(1500));
  EXPECT_EQ(f->podStartDelay, std::chrono::milliseconds(20));
  EXPECT_EQ(f->metricsPort, 9100);
  EXPECT_EQ(f->metricsPortFile, "/tmp/m");
  EXPECT_EQ(f->faults.seed, 7u);
  EXPECT_EQ(f->faults.errorShare, 0.25);
  EXPECT_EQ(f->faults.errorCode, 429);
  EXPECT_EQ(f->faults.retryAfterSeconds, 2);
  EXPECT_EQ(f->faults.conflictShare, 0.5);
  EXPECT_EQ(f->faults.verbs, (std::vector<std::string>{"get", "list"}));
  EXPECT_EQ(f->faults.resources, (std::vector<std::string>{"deployments.apps"}));
  EXPECT_EQ(f->faults.latency, std::chrono::milliseconds(100));
  EXPECT_EQ(f->faults.watchCutShare, 1.0);
  EXPECT_EQ(f->faults.watchCutAfter, std::chrono::milliseconds(60000));
}

TEST(Flags, WorldDefaults) {
  auto f = parseFlags({});
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->noControllers);
  EXPECT_EQ(f->podReadyDelay, std::chrono::milliseconds(200));
  EXPECT_EQ(f->metricsPort, 0);
  EXPECT_EQ(f->faults, FaultSettings{});
}

TEST(Flags, GoDurations) {
  struct Case {
    std::string text;
    std::optional<std::int64_t> ms;
  };
  const Case cases[] = {
      {"0", 0},
      {"200ms", 200},
      {"1s", 1000},
      {"1.5s", 1500},
      {"2m", 120000},
      {"1h", 3600000},
      {"1m30s", 90000},
      {"1500us", 2},
      {"", std::nullopt},
      {"5", std::nullopt},
      {"ms", std::nullopt},
      {"1d", std::nullopt},
      {"-1s", std::nullopt},
  };
  for (const auto& c : cases) {
    auto d = parseDuration(c.text);
    ASSERT_EQ(d.has_value(), c.ms.has_value()) << c.text;
    if (d) {
      EXPECT_EQ(d->count(), *c.ms) << c.text;
    }
  }
}

}  // namespace
}  // namespace kubesim::http
