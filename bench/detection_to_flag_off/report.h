#pragma once
// The rollback benchmark's output: a table for people, the operator's write trace per case,
// ratios of the manual ways to the operator and of every method to the plain client (by median
// over repetitions), issue 14's targets (targets.h), and one machine-readable line starting with
// "BENCH_JSON ".

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "bench/detection_to_flag_off/rollback_bench.h"

namespace tro::bench {

void printTable(std::ostream& out, const std::vector<CaseResult>& results);
// Operator methods only: the figures of their "rollback write trace" log line.
void printTraces(std::ostream& out, const std::vector<CaseResult>& results);
void printRatios(std::ostream& out, const std::vector<CaseResult>& results);
// Per N, every method over the plain client of the same run (the physical-limit reference).
void printReferenceRatios(std::ostream& out, const std::vector<CaseResult>& results);
void printTargets(std::ostream& out, const std::vector<CaseResult>& results);
void printJson(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& settings,
               const std::vector<CaseResult>& results);

}  // namespace tro::bench
