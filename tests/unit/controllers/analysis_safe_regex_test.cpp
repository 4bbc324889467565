#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/safe_regex.h"

namespace tro::controllers::analysis {
namespace {

// Whether `pattern` compiles and fully matches `text`; a compile error fails the test.
bool fullMatch(std::string_view pattern, std::string_view text) {
  auto re = SafeRegex::compile(pattern);
  EXPECT_TRUE(re.ok()) << pattern << ": " << (re.ok() ? "" : re.error());
  return re.ok() && re->fullMatch(text);
}

std::string compileError(std::string_view pattern) {
  auto re = SafeRegex::compile(pattern);
  return re.ok() ? std::string() : re.error();
}

// Expected answers are RE2 / Go regexp ones for ^(?s:pattern)$, as Prometheus matches labels.
TEST(AnalysisSafeRegexTest, MatchesLikeRe2FullyAnchored) {
  struct Case {
    std::string pattern;
    std::string text;
    bool want;
  };
  const Case cases[] = {
      // Anchoring: the whole value must match.
      {"crit", "crit", true},
      {"crit", "critical", false},
      {"crit", "CRIT", false},
      {"crit.*", "critical", true},
      {"crit.*", "crit", true},
      {".*crit", "supercrit", true},
      {"", "", true},
      {"", "a", false},
      {"^crit$", "crit", true},
      {"^crit", "critical", false},
      {"a^b", "ab", false},
      {"(?:^a|b)", "a", true},
      {"a$b", "ab", false},
      // Alternation, groups.
      {"a|b", "b", true},
      {"a|b", "ab", false},
      {"shop|blog", "blog", true},
      {"a|", "", true},
      {"()", "", true},
      {"(?:cart|checkout)-[a-z0-9]+", "checkout-7f9c", true},
      {"(cart|checkout)-v[0-9]", "cart-v1", true},
      {"(cart|checkout)-v[0-9]", "cart-v10", false},
      {"x(a|bc)*y", "xabcay", true},
      {"x(a|bc)*y", "xaby", false},
      {"(?P<sev>crit|page)", "page", true},
      {"(?<sev>crit)", "crit", true},
      {"(?:cart)-[a-z0-9]+-[a-z0-9]+", "cart-7d9f8-abcde", true},
      {"(.+)-[a-z0-9]+-[a-z0-9]+", "web-abc-12345", true},
      {"(.+)-[a-z0-9]+-[a-z0-9]+", "web-12345", false},
      // Quantifiers.
      {"a?", "", true},
      {"a?", "aa", false},
      {"a+", "", false},
      {"a+", "aaa", true},
      {"a*", "", true},
      {"a{3}", "aaa", true},
      {"a{3}", "aa", false},
      {"a{3}", "aaaa", false},
      {"a{2,}", "a", false},
      {"a{2,}", "aaaaa", true},
      {"a{2,4}", "aaaa", true},
      {"a{2,4}", "aaaaa", false},
      {"a{2,4}", "a", false},
      {"a{0,1}b", "b", true},
      {"(ab){2}", "abab", true},
      {"(ab){2}", "ab", false},
      {"a{0}", "", true},
      {"a{0}", "a", false},
      {"a*?", "aaa", true},
      {"a+?b", "aab", true},
      {"a{1,2}?", "aa", true},
      {"a??", "a", true},
      {"(a*)*b", "aab", true},
      {"(a|a)*b", "ab", true},
      {"(a?){3}a{3}", "aaa", true},
      // '{' that does not start a repetition is a literal, as in Go.
      {"{", "{", true},
      {"a{", "a{", true},
      {"a{,2}", "a{,2}", true},
      {"x{2}y", "xxy", true},
      {R"(\{\})", "{}", true},
      // Classes.
      {"[abc]+", "cab", true},
      {"[abc]+", "cad", false},
      {"[a-z0-9_]+", "web_01", true},
      {"[a-z0-9_]+", "Web", false},
      {"[^abc]", "d", true},
      {"[^abc]", "a", false},
      {"[^abc]", "", false},
      {"[]a]+", "]a]", true},
      {"[^]a]", "b", true},
      {"[a-]+", "-a", true},
      {"[-a]", "-", true},
      {R"([\d-z]+)", "1-z", true},
      {R"([\]\\]+)", "]\\", true},
      {R"([\s\d]+)", " 1\t2", true},
      {R"([^\d])", "1", false},
      {R"([\D])", "x", true},
      {"[[:digit:]]+", "123", true},
      {"[[:alpha:]_]+", "ab_C", true},
      {"[[:^digit:]]", "a", true},
      {"[[:^digit:]]", "1", false},
      {"[[:d]", "d", true},  // no ":]": the '[' is a member
      // Escapes.
      {"5..", "503", true},
      {R"(5\.\.)", "503", false},
      {R"(5\.\.)", "5..", true},
      {R"(a\\b)", "a\\b", true},
      {R"(a\-b)", "a-b", true},
      {R"(\d+)", "123", true},
      {R"(\d+)", "12a", false},
      {R"(\w+)", "ab_9", true},
      {R"(\w)", "-", false},
      {R"(\s)", " ", true},
      {R"(\s)", "\t", true},
      {R"(\s)", "\v", false},
      {R"(\S+)", "ab", true},
      {R"(\D)", "a", true},
      {R"(\D)", "1", false},
      {R"(\W)", "-", true},
      {R"(\W)", "a", false},
      {R"(\x41)", "A", true},
      {R"(\x{41})", "A", true},
      {R"(\t)", "\t", true},
      {R"(\n)", "\n", true},
      // Word boundaries.
      {R"(\bfoo\b)", "foo", true},
      {R"(a\bb)", "ab", false},
      {R"(a\Bb)", "ab", true},
      {R"(a\b-)", "a-", true},
      // Flags.
      {"(?i)crit", "CRIT", true},
      {"(?i)crit.*", "Critical", true},
      {"(?i)[a-c]+", "AbC", true},
      {"(?i)[^a]", "A", false},
      {"(?i:a)b", "Ab", true},
      {"(?i:a)b", "AB", false},
      {"a(?i)b", "aB", true},
      {"a(?i)b", "AB", false},
      {"(?i)a|b", "B", true},
      {"(?i)a(?-i)b", "Ab", true},
      {"(?i)a(?-i)b", "AB", false},
      {"(?U)a+", "aa", true},
      // Newlines: `.` matches one, as in Prometheus; (?-s) and (?m) as in RE2.
      {".", "\n", true},
      {"(?-s).", "\n", false},
      {"(?s).", "\n", true},
      {"a.c", "a\nc", true},
      {"[^a]", "\n", true},
      {R"(a$\nb)", "a\nb", false},
      {R"((?m)a$\n^b)", "a\nb", true},
      // UTF-8: `.` and negated classes take one whole character.
      {".", "é", true},
      {"caf.", "café", true},
      {"..", "é", false},
      {".{2}", "日本", true},
      {"é+", "éé", true},
      {"[^a]", "é", true},
      {R"(\W)", "é", true},
      {R"(\x{e9})", "é", true},
      {".", "\xff", true},  // a byte that starts no character counts as one
      {"[^a]+", "a\xff", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(fullMatch(c.pattern, c.text), c.want) << c.pattern << " ~ " << c.text;
  }
}

TEST(AnalysisSafeRegexTest, RejectsUnsupportedAndInvalidPatterns) {
  struct Case {
    std::string pattern;
    std::string inError;
  };
  const Case cases[] = {
      {"(", "missing closing )"},
      {"(a|b", "missing closing )"},
      {"a)", "unexpected )"},
      {"[a", "missing closing ]"},
      {"[]", "missing closing ]"},
      {"*a", "missing argument to repetition operator"},
      {"a|*", "missing argument to repetition operator"},
      {"(*)", "missing argument to repetition operator"},
      {"(?i)*", "missing argument to repetition operator"},
      {"{2}", "missing argument to repetition operator"},
      {"a**", "invalid nested repetition operator"},
      {"a+*", "invalid nested repetition operator"},
      {"a???", "invalid nested repetition operator"},
      {"a{2}{3}", "invalid nested repetition operator"},
      {"a{1001}", "repeat count above 1000"},
      {"a{1,1001}", "repeat count above 1000"},
      {"a{99999999999999999999}", "repeat count above 1000"},
      {"a{3,2}", "invalid repeat count"},
      {R"((a)\1)", "backreferences"},
      {R"(\0)", "octal"},
      {"(?P<n>a)(?P=n)", "backreferences"},
      {"a(?=b)", "lookahead"},
      {"a(?!b)", "lookahead"},
      {"(?<=a)b", "lookbehind"},
      {"(?<!a)b", "lookbehind"},
      {"(?<>a)", "invalid named capture group"},
      {"(?P<n", "invalid named capture group"},
      {"(?x)a", "invalid or unsupported group syntax"},
      {"(?)a", "invalid or unsupported group syntax"},
      {"(?i-)a", "invalid or unsupported group syntax"},
      {"(?#comment)a", "invalid or unsupported group syntax"},
      {R"(\p{L})", "Unicode classes"},
      {R"(\PL)", "Unicode classes"},
      {R"(\Qa.b\E)", R"(\Q...\E)"},
      {R"(\C)", R"(invalid escape sequence \C)"},
      {R"(\Z)", R"(invalid escape sequence \Z)"},
      {R"(a\)", "trailing backslash"},
      {R"(\xZ1)", R"(invalid \x escape)"},
      {R"(\x{110000})", R"(invalid \x escape)"},
      {R"(\x{})", R"(invalid \x escape)"},
      {"[z-a]", "invalid character class range"},
      {R"([a-\d])", "invalid character class range"},
      {"[é]", "non-ASCII characters inside [...]"},
      {R"([\x{e9}])", "escape not allowed inside [...]"},
      {R"([\b])", "escape not allowed inside [...]"},
      {"[[:foo:]]", "invalid POSIX class"},
      {"a\xff", "invalid UTF-8 at offset 1"},
  };
  for (const auto& c : cases) {
    EXPECT_NE(compileError(c.pattern).find(c.inError), std::string::npos)
        << c.pattern << " gave: \"" << compileError(c.pattern) << "\"";
  }
}

// Patterns and texts that hang or crash a backtracking, recursive engine (std::regex) must
// give the right answer here. Not timed: a regression shows as a test that never ends.
TEST(AnalysisSafeRegexTest, HostileInputsFinish) {
  const std::string manyA(100'000, 'a');
  EXPECT_FALSE(fullMatch("(a|a)*b", manyA));
  EXPECT_FALSE(fullMatch("(a*)*b", manyA));
  EXPECT_FALSE(fullMatch("(a+)+b", manyA));
  EXPECT_TRUE(fullMatch("(a|a)*", manyA));
  EXPECT_TRUE(fullMatch("(?:a|aa)+", manyA));

  const std::string tenMegabytes(10u << 20, 'x');
  EXPECT_TRUE(fullMatch(".*", tenMegabytes));
  EXPECT_FALSE(fullMatch("(?:cart|checkout)-[a-z0-9]+-[a-z0-9]+", tenMegabytes));
}

TEST(AnalysisSafeRegexTest, BoundsCompileCost) {
  EXPECT_TRUE(SafeRegex::compile(std::string(1024, 'a')).ok());
  EXPECT_NE(compileError(std::string(1025, 'a')).find("longer than 1024 bytes"), std::string::npos);

  auto nested = [](int depth) { return std::string(depth, '(') + "a" + std::string(depth, ')'); };
  EXPECT_TRUE(fullMatch(nested(32), "a"));
  EXPECT_NE(compileError(nested(33)).find("nested deeper than 32"), std::string::npos);
  EXPECT_NE(compileError(nested(100)).find("nested deeper than 32"), std::string::npos);
  EXPECT_NE(compileError(std::string(1024, '(')).find("nested deeper than 32"), std::string::npos);

  EXPECT_TRUE(fullMatch("a{1000}", std::string(1000, 'a')));
  EXPECT_FALSE(fullMatch("a{1000}", std::string(999, 'a')));
  EXPECT_FALSE(compileError("a{1000}{1000}").empty());  // nested repetition, as Go
  EXPECT_NE(compileError("(?:a{1000}){1000}").find("too large"), std::string::npos);
  EXPECT_NE(compileError("((a{100}){100}){100}").find("too large"), std::string::npos);
  EXPECT_NE(compileError("(?:a{1000}){1000}").find("10000 states"), std::string::npos);
  // Repeating nothing costs nothing, however deeply.
  EXPECT_TRUE(fullMatch("(?:(?:(?:){1000}){1000}){1000}", ""));

  auto re = SafeRegex::compile("(?:[a-z]{1,100}\\.){9}");
  ASSERT_TRUE(re.ok()) << re.error();
  EXPECT_LE(re->stateCount(), SafeRegex::kMaxStates);
}

// matchers built by hand (no makeCriteria) compile on use; the behaviour is the same.
TEST(AnalysisSafeRegexTest, LabelMatchersUseIt) {
  const Labels longValue{{"pod", std::string(1'000'000, 'a')}};
  EXPECT_FALSE(matches(parseMatcher("pod", "=~(a|a)*b"), longValue));
  EXPECT_TRUE(matches(parseMatcher("pod", "!~(a|a)*b"), longValue));
  EXPECT_TRUE(matches(parseMatcher("pod", "=~a+"), longValue));
  EXPECT_FALSE(matches(parseMatcher("pod", "=~a+("), longValue));  // invalid: never matches
  EXPECT_FALSE(matches(parseMatcher("pod", "!~a+("), longValue));
}

}  // namespace
}  // namespace tro::controllers::analysis
