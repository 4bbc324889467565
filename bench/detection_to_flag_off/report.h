#pragma once
// The rollback benchmark's output: a table for people, ratios of the manual ways to the operator
// (by median over repetitions), and one machine-readable line starting with "BENCH_JSON ".

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "bench/detection_to_flag_off/rollback_bench.h"

namespace tro::bench {

void printTable(std::ostream& out, const std::vector<CaseResult>& results);
void printRatios(std::ostream& out, const std::vector<CaseResult>& results);
void printJson(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& settings,
               const std::vector<CaseResult>& results);

}  // namespace tro::bench
