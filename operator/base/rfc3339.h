#pragma once
// RFC 3339 timestamps, the one parser and formatter for the whole project: status and conditions
// (metav1.Time: UTC, whole seconds, "2026-11-21T06:30:00Z"), Prometheus' activeAt, Alertmanager's
// startsAt and kubesim's own objects. Text from a server or a tenant is untrusted: parsing is
// strict and never overflows, whatever the input.

#include <optional>
#include <string>
#include <string_view>

#include "operator/base/clock.h"

namespace tro::base {

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|z|+hh:mm|-hh:mm)" (also 't' as the separator). The
// fraction is kept to the clock's precision; digits beyond it are read and dropped. nullopt when
// malformed, when the date does not exist, or when the instant lies outside what TimePoint can
// hold (about the years 1678 to 2261).
std::optional<TimePoint> parseRfc3339(std::string_view text);

// "YYYY-MM-DDTHH:MM:SSZ", UTC, fraction dropped.
std::string formatRfc3339(TimePoint t);

// "YYYY-MM-DDTHH:MM:SS.ffffffZ", UTC, exactly six fraction digits (metav1.MicroTime, as a Lease's
// acquireTime and renewTime carry it); finer parts dropped.
std::string formatRfc3339Micro(TimePoint t);

// Whole seconds, rounded down (also for times before the epoch). The planner stamps times
// truncated so that a value read back from status equals the one that was written: a restarted
// operator computes the same window ends as before the restart.
TimePoint truncateToSeconds(TimePoint t);

}  // namespace tro::base
