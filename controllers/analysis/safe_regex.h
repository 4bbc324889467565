#pragma once
// SafeRegex: a linear-time matcher for regexes written by tenants (alert matchLabels), run
// against text from Prometheus. std::regex backtracks (`(a|a)*b` takes exponential time) and
// recurses per input character (a long label value overflows the stack); this engine does
// neither.
//
// Semantics: the RE2 / Go regexp syntax Prometheus uses, fully anchored (fullMatch only), and
// like Prometheus (3.x) with `.` matching a newline too unless the pattern says (?-s).
//  - literals, `.`, `[...]`, `[^...]`, `[[:alpha:]]` (POSIX names), `\d \w \s \D \W \S`,
//    escapes `\.` `\\` `\-` (any ASCII punctuation), `\t \n \r \f \v \a`, `\x7F`, `\x{E9}`;
//  - groups `(...)`, `(?:...)`, `(?P<name>...)`, `(?<name>...)`; alternation `|`;
//  - quantifiers `* + ?`, `{n}`, `{n,}`, `{n,m}` (counts at most 1000), each optionally lazy
//    (`*?`: the same as greedy for a full match);
//  - anchors `^ $ \A \z \b \B`; flags `(?i)`, `(?s)`, `(?m)`, `(?U)`, `(?-i)`, `(?i:...)`.
//  Rejected with a message: backreferences and octal escapes, lookaround, `\p{..}` Unicode
//  classes, `\Q..\E`, `\C`, nested quantifiers (`a**`, `a{2}{3}`), unbalanced `(` `)` `[`,
//  a quantifier with nothing to repeat, invalid UTF-8 in the pattern.
// Text is matched byte by byte, UTF-8 aware: `.` and negated classes consume one whole UTF-8
// character (a stray byte that cannot start one counts as one character). Caveats: `(?i)` folds
// ASCII letters only; non-ASCII characters are allowed as literals but not inside `[...]`; a
// truncated UTF-8 sequence in the text is not matched by `.`.
//
// Cost: compile() is bounded by kMaxPatternBytes, kMaxNesting and kMaxStates; fullMatch() is
// O(text length x states) time and O(states) memory, with no recursion and no backtracking.

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "operator/base/result.h"

namespace tro::controllers::analysis {

class SafeRegex {
 public:
  static constexpr size_t kMaxPatternBytes = 1024;
  static constexpr int kMaxNesting = 32;       // groups inside groups
  static constexpr int kMaxRepeat = 1000;      // n and m of {n,m}, as Go's regexp
  static constexpr size_t kMaxStates = 10000;  // compiled program size, after {n,m} expansion

  // The error is a short reason ("missing closing ) at byte 3"); it never quotes the pattern.
  static base::Result<SafeRegex, std::string> compile(std::string_view pattern);

  // True when the whole of `text` matches (as Prometheus' ^(?:pattern)$).
  bool fullMatch(std::string_view text) const;

  size_t stateCount() const { return program_.size(); }

  // Public so that the compiler in safe_regex.cpp can build it; not part of the contract.
  enum class Op : uint8_t { Byte, Class, Split, Jump, Assert, Match };
  enum class Assertion : uint8_t { BeginText, EndText, BeginLine, EndLine, WordBoundary, NotWord };
  struct Inst {
    Op op = Op::Match;
    uint32_t arg = 0;  // Byte: the byte; Class: index in classes_; Assert: an Assertion
    uint32_t x = 0;    // next state (Split: preferred branch)
    uint32_t y = 0;    // Split: other branch
  };

 private:
  SafeRegex(std::vector<Inst> program, std::vector<std::bitset<256>> classes)
      : program_(std::move(program)), classes_(std::move(classes)) {}

  std::vector<Inst> program_;  // starts at 0
  std::vector<std::bitset<256>> classes_;
};

}  // namespace tro::controllers::analysis
