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
  EXPECT_EQ(f->logLevel, LogLevel::kInfo);
}

TEST(Flags, AllFlagsBothSyntaxes) {
  auto f = parseFlags({"--port", "6443", "--bind=::1", "--token", "abc", "--kubeconfig-out=/tmp/k",
                       "--watch-history", "5", "--plain-http", "--log-level=debug"});
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(f->port, 6443);
  EXPECT_EQ(f->bind, "::1");
  EXPECT_EQ(f->token, "abc");
  EXPECT_EQ(f->kubeconfigOut, "/tmp/k");
  EXPECT_EQ(f->watchHistory, 5u);
  EXPECT_TRUE(f->plainHttp);
  EXPECT_EQ(f->logLevel, LogLevel::kDebug);
}

TEST(Flags, RejectsBadInputNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string mentions;
  };
  const Case cases[] = {
      {{"--port", "65536"}, "--port"},
      {{"--port", "-1"}, "--port"},
      {{"--port", "80x"}, "--port"},
      {{"--port"}, "--port"},
      {{"--watch-history", "0"}, "--watch-history"},
      {{"--log-level", "loud"}, "--log-level"},
      {{"--token="}, "--token"},
      {{"--frobnicate", "1"}, "--frobnicate"},
  };
  for (const auto& c : cases) {
    auto f = parseFlags(c.args);
    ASSERT_FALSE(f.ok()) << c.args[0];
    EXPECT_NE(f.error().find(c.mentions), std::string::npos) << f.error();
  }
}

}  // namespace
}  // namespace kubesim::http
