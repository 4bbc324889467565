#pragma once
// The start condition of the rollback benchmarks: a Prometheus alert turning firing. Polls
// /api/v1/alerts (the same answer the operator's analysis reads) and reports when this program
// first saw a matching alert firing, and the alert's own activeAt (when the rule evaluation that
// made it active ran; with `for: 0s` that evaluation also made it firing).

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "operator/base/clock.h"
#include "tests/support/prometheus_process.h"

namespace tro::bench {

struct FiringAlert {
  base::TimePoint firstSeen;                // by `clock`, when the poll that saw it returned
  std::optional<base::TimePoint> activeAt;  // the earliest activeAt among the matching alerts
  int matching = 0;                         // how many matching alerts were firing then
};

// Polls every `every` until an alert named `name` whose labels include all of `labels` is firing,
// or `timeout` (real time) passes (nullopt).
std::optional<FiringAlert> waitFiring(
    const testing::Prometheus& prometheus, const base::Clock& clock, const std::string& name,
    const std::map<std::string, std::string>& labels, std::chrono::milliseconds timeout,
    std::chrono::milliseconds every = std::chrono::milliseconds(10));

}  // namespace tro::bench
