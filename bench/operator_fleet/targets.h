#pragma once
// Issue 11's targets that this benchmark measures, judged from one case's figures. Pure: the
// report prints what judgeCase() returns.
//   1. operator peak RSS (VmHWM at the end of the case) < 64 MiB with 5,000 Deployments and 500
//      rollouts (NOT APPLICABLE to smaller cases; the figure is still shown);
//   2. start -> /readyz within 1.2x of a raw paged LIST of the same Deployments, same run;
//   3. no 409 answered to the operator (the wave and the steady window; nobody else writes the
//      rollouts, so any 409 is one with its own earlier writes);
//   4. no request per minute beyond watches while every rollout holds in its window.
// MET: the figure is within the limit. MISSED: it is not. NOT MEASURED: its phase did not run
// or failed (the detail says which).

#include <cstdint>
#include <string>
#include <vector>

#include "bench/common/verdict.h"
#include "bench/operator_fleet/figures.h"

namespace tro::bench {

struct TargetLimits {
  double peakRssMiB = 64;
  int rssDeployments = 5000;  // the memory target applies from this fleet ...
  int rssRollouts = 500;      // ... and this many rollouts on
  double readyOverList = 1.2;
  std::uint64_t conflicts = 0;
  double steadyPerMinute = 0;
};

std::vector<JudgedTarget> judgeCase(const CaseFigures& figures, const TargetLimits& limits = {});

}  // namespace tro::bench
