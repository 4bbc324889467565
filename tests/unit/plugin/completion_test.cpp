// Completion candidates in cobra's format (one per line, then ":4"), as kubectl's plugin
// completion expects them.

#include "plugin/completion.h"

#include <gtest/gtest.h>

namespace tro::plugin {
namespace {

TEST(PluginCompletion, OffersVerbsThenRolloutNamesThenNothing) {
  const std::vector<std::string> names = {"enable-otel", "payments-otel"};
  struct Case {
    std::vector<std::string> words;
    std::string want;
  };
  const std::vector<Case> cases = {
      {{""}, "get\nlist\npromote\nabort\nretry\npause\nresume\ncompletion\n:4\n"},
      {{"p"}, "promote\npause\n:4\n"},
      {{"get", ""}, "enable-otel\npayments-otel\n:4\n"},
      {{"-n", "shop", "abort", "pay"}, "payments-otel\n:4\n"},
      {{"get", "enable-otel", ""}, ":4\n"},
      {{"list", ""}, ":4\n"},
      {{"get", "-n", ""}, ":4\n"},  // a flag's value: no names from another namespace
      {{"completion", ""}, "bash\nzsh\n:4\n"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(completionCandidates(c.words, names), c.want) << ::testing::PrintToString(c.words);
  }
  EXPECT_TRUE(completionWantsRolloutName({"promote", ""}));
  EXPECT_FALSE(completionWantsRolloutName({"list", ""}));
  EXPECT_FALSE(completionWantsRolloutName({"promote", "-n", ""}));
}

TEST(PluginCompletion, ScriptsCallThePluginForCandidates) {
  EXPECT_NE(completionScript("bash").find("kubectl-telemetry __complete"), std::string::npos);
  const std::string zsh = completionScript("zsh");
  EXPECT_EQ(zsh.rfind("# kubectl-telemetry completion (zsh", 0), 0u);
  EXPECT_NE(zsh.find("bashcompinit"), std::string::npos);
}

}  // namespace
}  // namespace tro::plugin
