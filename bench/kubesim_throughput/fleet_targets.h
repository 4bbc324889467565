#pragma once
// The fleet benchmark's targets, judged from one run's FleetResult. Pure: the report prints what
// judgeFleet() returns. A target is MET when its figure is within the limit and its phase had no
// errors, MISSED when the figure is outside the limit or the phase failed (a request error, a
// wrong count, a timeout), NOT MEASURED when its phase did not run (an earlier phase failed) or
// /proc could not be read.

#include <string>
#include <vector>

#include "bench/common/verdict.h"
#include "bench/kubesim_throughput/fleet.h"

namespace tro::bench {

struct FleetLimits {
  double rssMiB = 600;             // peak RSS (VmHWM) after the rollout
  double idleCpuPercent = 10;      // of one core
  double getP99Ms = 10;            // GET one Deployment
  double listSeconds = 1;          // every page of all N, the slowest repetition
  double patchesPerSecond = 1000;  // successful merge PATCHes
  double createSeconds = 30;       // N creates
  double rolloutSeconds = 60;      // last create -> all rolled out
  double deleteSeconds = 2;        // 100 Deployments -> their ReplicaSets and pods gone
  double watchLagSeconds = 1;      // the worst watcher's largest lag
};

using FleetTarget = JudgedTarget;  // never NOT APPLICABLE here

std::vector<FleetTarget> judgeFleet(const FleetResult& result, const FleetLimits& limits = {});

}  // namespace tro::bench
