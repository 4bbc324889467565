#pragma once
// The operator fleet benchmark's output: the settings, a table per case with its targets
// (targets.h) as MET / MISSED / NOT MEASURED / NOT APPLICABLE and its errors, and one
// machine-readable line "BENCH_JSON {...}" for the whole run.

#include <ostream>
#include <vector>

#include "bench/operator_fleet/figures.h"
#include "bench/operator_fleet/options.h"

namespace tro::bench {

void printSettings(std::ostream& out, const FleetBenchOptions& options);
void printCase(std::ostream& out, const CaseFigures& figures, const FleetBenchOptions& options);
void printJson(std::ostream& out, const FleetBenchOptions& options,
               const std::vector<CaseFigures>& cases);

}  // namespace tro::bench
