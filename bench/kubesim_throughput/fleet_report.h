#pragma once
// The fleet benchmark's output: the figures for people, the targets (fleet_targets.h) as MET /
// MISSED / NOT MEASURED, the phases' errors, and one machine-readable line "BENCH_JSON {...}".

#include <ostream>

#include "bench/kubesim_throughput/fleet.h"

namespace tro::bench {

void printFleet(std::ostream& out, const FleetResult& result);
void printFleetJson(std::ostream& out, const FleetResult& result);

}  // namespace tro::bench
