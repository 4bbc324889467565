#pragma once
// RFC 3339 timestamps as status and conditions carry them (metav1.Time: UTC, whole seconds,
// "2026-11-21T06:30:00Z"). The planner stamps times truncated to whole seconds so that a value
// read back from status equals the one that was written: a restarted operator computes the same
// window ends as before the restart.

#include <optional>
#include <string>

#include "operator/base/clock.h"

namespace tro::controllers {

// Whole seconds, rounded down (also for times before the epoch).
base::TimePoint truncateToSeconds(base::TimePoint t);

// "YYYY-MM-DDTHH:MM:SSZ", UTC, fraction dropped.
std::string formatRfc3339(base::TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|z|+hh:mm|-hh:mm)" (also 't' as the separator);
// nullopt when malformed or out of range. The fraction is kept to the clock's precision.
std::optional<base::TimePoint> parseRfc3339(const std::string& text);

}  // namespace tro::controllers
