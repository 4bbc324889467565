// SafeRegex (safe_regex.h): alert matchLabels regexes written by tenants, matched against label
// values from Prometheus, through the matcher API criteria.h uses. Input: the pattern, then (after
// the first newline or NUL) the subject. A regex that compiles must match in bounded time (a
// hang is a finding: -timeout). Invariants: the program stays within kMaxStates; "=~" and "!~"
// disagree on every subject; escapeRegex(subject), when it compiles, matches the subject.

#include <string>

#include "controllers/analysis/criteria.h"
#include "controllers/analysis/promql.h"
#include "controllers/analysis/safe_regex.h"
#include "tests/fuzz/fuzz_util.h"

using namespace tro::controllers::analysis;
using tro::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const auto [pattern, subject] = tro::fuzz::splitAt(tro::fuzz::asText(data, size), "\n");
  const auto regex = SafeRegex::compile(pattern);
  if (regex.ok()) {
    require(regex->stateCount() <= SafeRegex::kMaxStates);
    const bool hit = regex->fullMatch(subject);
    const Labels labels = {{"namespace", std::string(subject)}};
    require(matches(parseMatcher("namespace", "=~" + std::string(pattern)), labels) == hit);
    require(matches(parseMatcher("namespace", "!~" + std::string(pattern)), labels) == !hit);
  }
  const auto literal = SafeRegex::compile(escapeRegex(subject));
  if (literal.ok()) require(literal->fullMatch(subject));
  return 0;
}
