#pragma once
// What analysis checks, compiled from the validated spec into the form evaluate() judges.
//
// makeCriteria() turns spec.analysis (controllers/rollout/spec.h) plus the fields that spec.h
// does not know yet (AnalysisExtensions, parsed here from the resource JSON) into Criteria:
//  - alert matchLabels values are matchers: "v" equality, "=~re" regex, "!=v", "!~re"
//    (regexes fully anchored, like Prometheus; the RE2 subset of safe_regex.h, compiled once
//    here and matched in linear time, since both pattern and label value are untrusted);
//  - built-in telemetry checks become ordinary threshold or baseline checks with fixed PromQL;
//  - every query template is test-expanded so an unknown variable is a spec problem, not a
//    runtime surprise.
// Check names are unique and prefixed by kind: "alert/<name>", "query/<name>",
// "baseline/<name>", "builtin/<name>" (and "rollout/<deployment>" for failed rollouts).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controllers/analysis/prometheus_types.h"
#include "controllers/analysis/safe_regex.h"
#include "controllers/api/spec_types.h"

namespace tro::controllers::analysis {

struct LabelMatcher {
  enum class Op { Equal, NotEqual, Regex, NotRegex };
  // The compiled form of `value` for the regex ops. Derived from `value`, so it takes no part in
  // equality: two matchers are equal when their text is.
  struct Compiled {
    std::optional<SafeRegex> regex;
    bool operator==(const Compiled&) const { return true; }
  };
  std::string label;
  Op op = Op::Equal;
  std::string value;    // the literal, or the regex source
  Compiled compiled{};  // set by makeCriteria(); when absent, matches() compiles `value` itself
  bool operator==(const LabelMatcher&) const = default;
};

// "=~shop-.*" -> {Regex, "shop-.*"}; "shop" -> {Equal, "shop"}. Does not compile the regex.
LabelMatcher parseMatcher(const std::string& label, const std::string& spec);
// Prometheus semantics: a missing label is the empty string. Invalid regexes never match (for
// "!~" too).
bool matches(const LabelMatcher& matcher, const Labels& labels);

struct AlertGate {
  std::string check;  // "alert/HighErrorRate"
  std::string alertName;
  std::vector<LabelMatcher> matchers;
  std::optional<std::chrono::nanoseconds> firingFor;  // measured from the alert's activeAt
  bool operator==(const AlertGate&) const = default;
};

// A query judged against fixed bounds. A template using {{deployment}} runs once per enabled
// target; otherwise once, and a vector answer whose samples all carry a "deployment" label is
// judged per Deployment.
struct ThresholdCheck {
  std::string check;  // "query/error-rate", "builtin/collector-export-failure-ratio"
  std::string query;  // template (promql.h)
  std::optional<double> min;
  std::optional<double> max;
  NoDataPolicy onNoData = NoDataPolicy::Inconclusive;
  bool perTarget() const;
  bool operator==(const ThresholdCheck&) const = default;
};

// The enabled cohort judged relative to the not-yet-enabled one: the template (using {{cohort}})
// runs once per cohort; each run must give one value. Breach when the enabled value is worse than
// baseline by more than |baseline| * relativeMargin + absoluteMargin. Skipped (Successful) while
// either cohort is empty, e.g. at weight 100.
struct BaselineCheck {
  enum class Direction { HigherIsWorse, LowerIsWorse };
  std::string check;  // "baseline/p95-latency", "builtin/cpu-overhead"
  std::string query;
  Direction direction = Direction::HigherIsWorse;
  double relativeMargin = 0;  // 0.1 = 10 %
  double absoluteMargin = 0;
  NoDataPolicy onNoData = NoDataPolicy::Inconclusive;
  bool operator==(const BaselineCheck&) const = default;
};

// Fields of spec.analysis that spec.h leaves to this file (all in the CRD schema).
//   baseline: [{name, query, direction: HigherIsWorse|LowerIsWorse, relativeMargin,
//               absoluteMargin, onNoData}]
//   builtins: [{name: collector-export-failure-ratio|collector-queue-saturation|cpu-overhead|
//               memory-overhead, max, onNoData}]   max: ratio bound, or relative margin
//   inconclusiveLimit: consecutive Inconclusive verdicts Pause tolerates before rolling back
//                      (0: hold forever)
struct BuiltinSpec {
  std::string name;
  std::optional<double> max;
  NoDataPolicy onNoData = NoDataPolicy::Inconclusive;
  bool operator==(const BuiltinSpec&) const = default;
};

struct AnalysisExtensions {
  std::vector<BaselineCheck> baselines;  // check = "baseline/<name>"
  std::vector<BuiltinSpec> builtins;
  int inconclusiveLimit = 0;
  bool operator==(const AnalysisExtensions&) const = default;
};

struct ParsedExtensions {
  AnalysisExtensions extensions;
  std::vector<SpecProblem> problems;  // fields named like parseSpec() does
};
// `spec` is the resource's spec object; absent fields give the defaults.
ParsedExtensions parseAnalysisExtensions(const Json& spec);

// The names built-ins accept, and their defaults.
inline constexpr double kDefaultExportFailureRatioMax = 0.05;
inline constexpr double kDefaultQueueSaturationMax = 0.8;
inline constexpr double kDefaultOverheadMargin = 0.25;
// Built-ins rate() over max(interval, this): a shorter range holds fewer than the two samples
// rate() needs at common scrape intervals, so the check would never have data.
inline constexpr std::chrono::nanoseconds kMinBuiltinRateWindow = std::chrono::minutes(1);

struct Criteria {
  std::vector<AlertGate> alerts;
  std::vector<ThresholdCheck> thresholds;
  std::vector<BaselineCheck> baselines;
  int failureLimit = 0;
  InconclusivePolicy onInconclusive = InconclusivePolicy::Pause;
  int inconclusiveLimit = 0;
  std::chrono::nanoseconds interval{std::chrono::minutes(1)};
  bool operator==(const Criteria&) const = default;
};

struct CompiledCriteria {
  Criteria criteria;                  // meaningful only when problems is empty
  std::vector<SpecProblem> problems;  // bad regexes, bad template variables, unknown built-ins
};
CompiledCriteria makeCriteria(const AnalysisSpec& spec, const AnalysisExtensions& extensions);

}  // namespace tro::controllers::analysis
