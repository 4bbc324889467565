#pragma once
// A benchmark's targets as it judged them: each a name (the measure and its limit), a verdict and
// a detail (the figure against the limit, or why there is none), printed the same way by every
// program that judges one run's figures (kubesim_throughput --fleet, operator_fleet).

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace tro::bench {

// MET: the figure is within the limit. MISSED: it is not (or its phase failed). NOT MEASURED:
// there is no figure. NOT APPLICABLE: the target is not for this configuration.
enum class Verdict { Met, Missed, NotMeasured, NotApplicable };
const char* toString(Verdict verdict);  // "MET", "MISSED", "NOT MEASURED", "NOT APPLICABLE"

struct JudgedTarget {
  std::string name;  // measure and limit, e.g. "kubesim peak RSS (VmHWM) over the run < 600 MiB"
  Verdict verdict = Verdict::NotMeasured;
  std::string detail{};
};

// "Targets:" then "  <n>. <VERDICT>: <name>" and the detail indented below, per target.
void printTargets(std::ostream& out, const std::vector<JudgedTarget>& targets);
// [{"target", "status", "detail"}, ...] for the BENCH_JSON line.
nlohmann::json targetsJson(const std::vector<JudgedTarget>& targets);

}  // namespace tro::bench
