#pragma once
// Issue 14's four targets, judged from one run's results by medians over the repetitions
// (nearest-rank, bench/common/stats.h). Pure: the report prints what evaluateTargets() returns.
//
// A target is made of parts, one per comparison (per operator method, per N). It is MISSED when
// any part is, NOT MEASURED when no part is missed but some part lacks a figure (its method or N
// was not run, every such case failed, or the operator logged no write trace), MET otherwise.
// Targets about "the operator" have a part for each operator method that ran (operator polls,
// operator-push is pushed to), so both configurations have to meet them.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench/detection_to_flag_off/rollback_bench.h"

namespace tro::bench {

enum class TargetStatus { Met, Missed, NotMeasured };
const char* toString(TargetStatus status);  // "MET", "MISSED", "NOT MEASURED"

struct TargetPart {
  std::string label;  // what is compared, e.g. "operator-push, N=10"
  TargetStatus status = TargetStatus::NotMeasured;
  std::string detail{};  // the figures and the verdict's reason, or why nothing was measured
};

struct Target {
  std::string name;  // the wording
  std::vector<TargetPart> parts{};
  TargetStatus status() const;
};

struct TargetLimits {
  double pushedVerdictSeconds = 0.100;  // alert activeAt -> verdict, pushed
  double pollPeriodSeconds = 1.0;       // ... polled: one poll period (the operator's default)
  double writeRatio = 1.2;              // verdict -> last off, over the plain client's at N=100
  double speedup = 2.0;                 // kubectl-selector / operator at N=10 and N=100
};

struct Median {
  double value = 0;
  std::size_t samples = 0;
};
using Figure = std::function<std::optional<double>(const CaseResult&)>;
// The median of `figure` over the completed cases of (method, n) that have it; nullopt if none.
std::optional<Median> medianOf(const std::vector<CaseResult>& results, Method method, int n,
                               const Figure& figure);

std::vector<Target> evaluateTargets(const std::vector<CaseResult>& results,
                                    const TargetLimits& limits = {});

}  // namespace tro::bench
