#include "operator/base/untrusted_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>

namespace tro::base {
namespace {

using namespace std::string_literals;

struct ExcerptCase {
  std::string text;
  size_t maxBytes;
  std::string want;
};

TEST(UntrustedTextTest, QuoteExcerptCleansQuotesAndCuts) {
  const ExcerptCase cases[] = {
      {"hello", kExcerptBytes, R"("hello")"},
      {"", kExcerptBytes, R"("")"},
      // Cut at maxBytes; the total size goes after the closing quote.
      {"abcdef", 3, R"("abc"... (6 bytes))"},
      {"abc", 3, R"("abc")"},
      {"abcd", 0, R"(""... (4 bytes))"},
      // Control characters become '?'; newline and tab a space.
      {"a\x01"s + "b", kExcerptBytes, R"("a?b")"},
      {"a\0b"s, kExcerptBytes, R"("a?b")"},
      {"a\rb", kExcerptBytes, R"("a?b")"},
      {"\x7f", kExcerptBytes, R"("?")"},
      {"\x1b[31mred", kExcerptBytes, R"("?[31mred")"},
      {"a\nb\tc", kExcerptBytes, R"("a b c")"},
      // Quotes and backslashes are escaped.
      {R"(say "hi")", kExcerptBytes, R"("say \"hi\"")"},
      {R"(C:\path)", kExcerptBytes, R"("C:\\path")"},
      // Escaping applies to the kept bytes, after the cut.
      {R"("""")", 2, R"("\"\""... (4 bytes))"},
      // Invalid UTF-8 becomes '?', byte by byte.
      {"\xff", kExcerptBytes, R"("?")"},
      {"\x80", kExcerptBytes, R"("?")"},
      {"a\xc3", kExcerptBytes, R"("a?")"},
      {"\xc3(", kExcerptBytes, R"("?(")"},
      {"\xc0\xaf", kExcerptBytes, R"("??")"},
      {"\xf5\x80\x80\x80", kExcerptBytes, R"("????")"},
      {"\xe2\x82", kExcerptBytes, R"("??")"},
      // Well-formed only: a UTF-16 surrogate, a 3-byte overlong and a code point past U+10FFFF
      // passed as "valid" before, and a JSON serialiser refuses them (status writes threw).
      {"\xed\xa0\x80", kExcerptBytes, R"("???")"},
      {"\xe0\x80\xaf", kExcerptBytes, R"("???")"},
      {"\xf4\x90\x80\x80", kExcerptBytes, R"("????")"},
      // Valid multi-byte UTF-8 is kept.
      {"h\xc3\xa9llo", kExcerptBytes, "\"h\xc3\xa9llo\""},
      {"\xe2\x82\xac 5", kExcerptBytes, "\"\xe2\x82\xac 5\""},
      {"\xf0\x9f\x98\x80", kExcerptBytes, "\"\xf0\x9f\x98\x80\""},
      // A character that does not fit is not split.
      {"ab\xe2\x82\xac", 5, "\"ab\xe2\x82\xac\""},
      {"ab\xe2\x82\xac", 4, R"("ab?"... (5 bytes))"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(quoteExcerpt(c.text, c.maxBytes), c.want)
        << "\"" << c.text << "\" max " << c.maxBytes;
    EXPECT_NO_THROW((void)nlohmann::json(cleanExcerpt(c.text, c.maxBytes)).dump())
        << "\"" << c.text << "\"";
  }
}

TEST(UntrustedTextTest, CleanExcerptCleansAndCutsWithoutQuoting) {
  const ExcerptCase cases[] = {
      {"hello", kExcerptBytes, "hello"},
      {"abcdef", 3, "abc... (6 bytes)"},
      {R"(say "hi" \)", kExcerptBytes, R"(say "hi" \)"},
      {"a\nb\x01"s + "c", kExcerptBytes, "a b?c"},
      {"\xff"s + "ok", kExcerptBytes, "?ok"},
      {"h\xc3\xa9", kExcerptBytes, "h\xc3\xa9"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cleanExcerpt(c.text, c.maxBytes), c.want) << "\"" << c.text << "\"";
  }
}

TEST(UntrustedTextTest, DefaultLimitIsKExcerptBytes) {
  const std::string text(kExcerptBytes + 1, 'y');
  EXPECT_EQ(quoteExcerpt(text), "\"" + std::string(kExcerptBytes, 'y') + "\"... (" +
                                    std::to_string(kExcerptBytes + 1) + " bytes)");
  EXPECT_EQ(cleanExcerpt(std::string(kExcerptBytes, 'y')), std::string(kExcerptBytes, 'y'));
}

TEST(UntrustedTextTest, KeptTextNeverExceedsMaxBytes) {
  std::string euros;
  for (int i = 0; i < 5; ++i) euros += "\xe2\x82\xac";  // 15 bytes, 5 characters
  for (size_t max = 0; max < euros.size(); ++max) {
    const std::string got = cleanExcerpt(euros, max);
    const size_t cut = got.find("... (15 bytes)");
    ASSERT_NE(cut, std::string::npos) << "max " << max << ": " << got;
    EXPECT_LE(cut, max) << "max " << max << ": " << got;
  }
  EXPECT_EQ(cleanExcerpt(euros, euros.size()), euros);
}

TEST(UntrustedTextTest, HugeInputGivesAShortResult) {
  const std::string huge(50'000'000, 'x');
  const std::string quoted = quoteExcerpt(huge);
  EXPECT_LT(quoted.size(), 400u);
  EXPECT_EQ(quoted, "\"" + std::string(kExcerptBytes, 'x') + "\"... (50000000 bytes)");
  const std::string cleaned = cleanExcerpt(huge);
  EXPECT_LT(cleaned.size(), 400u);
  EXPECT_EQ(cleaned, std::string(kExcerptBytes, 'x') + "... (50000000 bytes)");
}

}  // namespace
}  // namespace tro::base
