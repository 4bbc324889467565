#include <gtest/gtest.h>

#include <functional>

#include "controllers/analysis/promql.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;

struct EscapeCase {
  std::string in;
  std::string label;  // escapeLabelValue
  std::string regex;  // escapeRegex
};

TEST(AnalysisPromqlTest, EscapesLabelValuesAndRegexes) {
  const EscapeCase cases[] = {
      {"web", "web", "web"},
      {"", "", ""},
      {"a\"b", "a\\\"b", "a\"b"},
      {"back\\slash", "back\\\\slash", "back\\\\slash"},
      {"line\nbreak", "line\\nbreak", "line\nbreak"},
      {"cr\rtab\t", "cr\\rtab\\t", "cr\rtab\t"},
      {std::string("nul\0x", 5), "nul\\x00x", std::string("nul\0x", 5)},
      {"bell\x07", "bell\\x07", "bell\x07"},
      {"a.b*c+d?", "a.b*c+d?", "a\\.b\\*c\\+d\\?"},
      {"(x|y)[z]{2}^$", "(x|y)[z]{2}^$", "\\(x\\|y\\)\\[z\\]\\{2\\}\\^\\$"},
      {"caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93"},
      {"\"}) or vector(1) #", "\\\"}) or vector(1) #", "\"\\}\\) or vector\\(1\\) #"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(escapeLabelValue(c.in), c.label) << c.in;
    EXPECT_EQ(escapeRegex(c.in), c.regex) << c.in;
  }
}

TEST(AnalysisPromqlTest, RegexAlternationIsSortedEscapedAndQuotedSafe) {
  struct Case {
    std::vector<std::string> names;
    std::string want;
  };
  const Case cases[] = {
      {{"web"}, "(?:web)"},
      {{"web", "api", "web"}, "(?:api|web)"},
      {{"a.b", "c|d"}, "(?:a\\\\.b|c\\\\|d)"},  // \. and \| then string-escaped
      {{"q\"x"}, "(?:q\\\"x)"},
      {{}, "(?:[^\\\\x00-\\\\x{10FFFF}])"},  // matches nothing, unlike ""
  };
  for (const auto& c : cases) EXPECT_EQ(regexAlternation(c.names), c.want);
}

TEST(AnalysisPromqlTest, FormatsPromDurations) {
  struct Case {
    std::chrono::nanoseconds in;
    std::string want;
  };
  const Case cases[] = {{0s, "0s"},          {1min, "1m"},  {90s, "1m30s"},
                        {1500ms, "1s500ms"}, {2h, "2h"},    {72h, "72h"},
                        {1h + 1s, "1h1s"},   {10us, "1ms"}, {-5s, "0s"}};
  for (const auto& c : cases) EXPECT_EQ(promDuration(c.in), c.want) << c.in.count();
}

TemplateVars vars() {
  TemplateVars v;
  v.namespaceName = "shop";
  v.targets = {"web", "api"};
  v.baseline = {"cart"};
  v.interval = 5min;
  return v;
}

TEST(AnalysisPromqlTest, ExpandsTemplates) {
  struct Case {
    std::string name;
    std::string text;
    std::function<void(TemplateVars&)> adjust;
    std::string want;
  };
  const Case cases[] = {
      {"no variables", "up", nullptr, "up"},
      {"namespace and interval", "rate(x{namespace=\"{{namespace}}\"}[{{interval}}])", nullptr,
       "rate(x{namespace=\"shop\"}[5m])"},
      {"targets and baseline", "x{deployment=~\"{{targets}}\"} - x{deployment=~\"{{ baseline }}\"}",
       nullptr, "x{deployment=~\"(?:api|web)\"} - x{deployment=~\"(?:cart)\"}"},
      {"deployment", "x{deployment=\"{{deployment}}\"}",
       [](TemplateVars& v) { v.deployment = "web"; }, "x{deployment=\"web\"}"},
      {"cohort", "x{pod=~\"{{cohort}}-.*\"}",
       [](TemplateVars& v) {
         v.cohort = std::vector<std::string>{"b", "a"};
       },
       "x{pod=~\"(?:a|b)-.*\"}"},
      {"hostile namespace cannot close the string", "x{namespace=\"{{namespace}}\"}",
       [](TemplateVars& v) { v.namespaceName = "a\"} or up{b=\"\\\n"; },
       "x{namespace=\"a\\\"} or up{b=\\\"\\\\\\n\"}"},
      {"braces that are not a template stay", "x{a=\"}\"} {b}", nullptr, "x{a=\"}\"} {b}"},
  };
  for (const auto& c : cases) {
    TemplateVars v = vars();
    if (c.adjust) c.adjust(v);
    auto got = expandTemplate(c.text, v);
    ASSERT_TRUE(got.ok()) << c.name << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.name;
  }
}

TEST(AnalysisPromqlTest, RejectsUnknownUnavailableAndUnterminatedVariables) {
  struct Case {
    std::string text;
    std::string wantInError;
  };
  const Case cases[] = {
      {"x{d=\"{{target}}\"}", "{{target}} at offset 5 is unknown"},
      {"{{deployment}}", "only available in per-target queries"},
      {"{{cohort}}", "only available in baseline comparisons"},
      {"x{{namespace}", "unterminated \"{{\" at offset 1"},
      {"{{}}", "{{}} at offset 0 is unknown"},
  };
  for (const auto& c : cases) {
    auto got = expandTemplate(c.text, vars());
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_NE(got.error().message.find(c.wantInError), std::string::npos)
        << c.text << " -> " << got.error().message;
  }
}

TEST(AnalysisPromqlTest, ListsTemplateVariablesInOrderOfFirstUse) {
  EXPECT_EQ(templateVariables("{{ deployment }} {{targets}} {{deployment}}"),
            (std::vector<std::string>{"deployment", "targets"}));
  EXPECT_EQ(templateVariables("up"), std::vector<std::string>{});
}

}  // namespace
}  // namespace tro::controllers::analysis
