// kubectl-telemetry's command line: every verb and flag, in any order, and one-line errors.

#include "plugin/cli_args.h"

#include <gtest/gtest.h>

namespace tro::plugin {
namespace {

using namespace std::chrono_literals;

struct ParseCase {
  const char* name;
  std::vector<std::string> args;
  std::function<void(const CliArgs&)> check;
};

TEST(PluginCliArgs, ParsesVerbsNamesAndFlagsInAnyOrder) {
  const std::vector<ParseCase> cases = {
      {"get",
       {"get", "otel"},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::Get);
         EXPECT_EQ(a.name, "otel");
         EXPECT_FALSE(a.ns);
         EXPECT_FALSE(a.watch);
       }},
      {"flags before the verb",
       {"-n", "shop", "--context=prod", "get", "otel", "-w"},
       [](const CliArgs& a) {
         EXPECT_EQ(a.ns, "shop");
         EXPECT_EQ(a.context, "prod");
         EXPECT_TRUE(a.watch);
       }},
      {"--watch=false",
       {"get", "otel", "--watch=false"},
       [](const CliArgs& a) { EXPECT_FALSE(a.watch); }},
      {"--cluster",
       {"--cluster", "promote", "staging", "--wait"},
       [](const CliArgs& a) {
         EXPECT_TRUE(a.cluster);
         EXPECT_EQ(a.verb, Verb::Promote);
         EXPECT_EQ(a.name, "staging");
         EXPECT_FALSE(a.ns);
       }},
      {"list -A",
       {"list", "-A"},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::List);
         EXPECT_TRUE(a.allNamespaces);
       }},
      {"promote --wait --timeout",
       {"promote", "otel", "--wait", "--timeout", "90s"},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::Promote);
         EXPECT_TRUE(a.wait);
         EXPECT_EQ(a.timeout, 90s);
       }},
      {"fractional timeout rounds up",
       {"abort", "x", "--timeout=1500ms"},
       [](const CliArgs& a) { EXPECT_EQ(a.timeout, 2s); }},
      {"kubeconfig and token",
       {"--kubeconfig", "/k", "--token=t", "resume", "x"},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::Resume);
         EXPECT_EQ(a.kubeconfig, "/k");
         EXPECT_EQ(a.token, "t");
       }},
      {"no arguments is help",
       {},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::Help);
         EXPECT_EQ(a.helpFor, Verb::Help);
       }},
      {"verb help",
       {"pause", "--help"},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::Help);
         EXPECT_EQ(a.helpFor, Verb::Pause);
       }},
      {"help verb", {"help", "retry"}, [](const CliArgs& a) { EXPECT_EQ(a.helpFor, Verb::Retry); }},
      {"completion",
       {"completion", "zsh"},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::Completion);
         EXPECT_EQ(a.shell, "zsh");
       }},
      {"__complete keeps every word, flags too",
       {"__complete", "-n", "shop", "get", ""},
       [](const CliArgs& a) {
         EXPECT_EQ(a.verb, Verb::Complete);
         EXPECT_EQ(a.words, (std::vector<std::string>{"-n", "shop", "get", ""}));
       }},
  };
  for (const auto& c : cases) {
    auto parsed = parseCliArgs(c.args);
    ASSERT_TRUE(parsed.ok()) << c.name << ": " << parsed.error();
    c.check(*parsed);
  }
}

TEST(PluginCliArgs, RefusesWithOneLineThatSaysWhy) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"frob"}, "unknown command \"frob\""},
      {{"get"}, "get takes one TelemetryRollout name"},
      {{"get", "a", "b"}, "get takes one TelemetryRollout name"},
      {{"list", "x"}, "list takes no name"},
      {{"get", "x", "--wat"}, "unknown flag --wat"},
      {{"get", "x", "-n"}, "flag -n needs a value"},
      {{"abort", "x", "--timeout", "soon"}, "flag --timeout takes a positive duration"},
      {{"abort", "x", "--timeout", "0s"}, "flag --timeout takes a positive duration"},
      {{"get", "x", "--wait"}, "--wait is a flag of promote"},
      {{"list", "-w"}, "--watch is a flag of get"},
      {{"get", "x", "-A"}, "-A is a flag of list"},
      {{"get", "x", "--cluster", "-n", "shop"}, "--cluster takes no namespace"},
      {{"list", "--cluster", "-A"}, "--cluster takes no namespace"},
      {{"get", "x", "--watch=maybe"}, "takes true or false"},
      {{"completion", "fish"}, "completion takes one shell: bash or zsh"},
  };
  for (const auto& [args, want] : cases) {
    auto parsed = parseCliArgs(args);
    ASSERT_FALSE(parsed.ok()) << want;
    EXPECT_NE(parsed.error().find(want), std::string::npos) << parsed.error();
    EXPECT_EQ(parsed.error().find('\n'), std::string::npos);
  }
}

TEST(PluginCliArgs, EveryVerbHasHelp) {
  for (Verb v : {Verb::Get, Verb::List, Verb::Promote, Verb::Abort, Verb::Retry, Verb::Pause,
                 Verb::Resume, Verb::Completion}) {
    const std::string help = helpText(v);
    EXPECT_NE(help.find(std::string("kubectl telemetry ") + verbName(v)), std::string::npos)
        << verbName(v) << ":\n"
        << help;
  }
  EXPECT_NE(helpText(Verb::Help).find("Exit codes: 0 done, 1 error, 2 usage, 3 not found"),
            std::string::npos);
}

}  // namespace
}  // namespace tro::plugin
