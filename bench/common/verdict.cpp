#include "bench/common/verdict.h"

namespace tro::bench {

const char* toString(Verdict verdict) {
  switch (verdict) {
    case Verdict::Met:
      return "MET";
    case Verdict::Missed:
      return "MISSED";
    case Verdict::NotMeasured:
      return "NOT MEASURED";
    case Verdict::NotApplicable:
      return "NOT APPLICABLE";
  }
  return "unknown";
}

void printTargets(std::ostream& out, const std::vector<JudgedTarget>& targets) {
  out << "Targets:\n";
  int number = 0;
  for (const JudgedTarget& t : targets) {
    out << "  " << ++number << ". " << toString(t.verdict) << ": " << t.name << "\n"
        << "       " << t.detail << "\n";
  }
}

nlohmann::json targetsJson(const std::vector<JudgedTarget>& targets) {
  nlohmann::json out = nlohmann::json::array();
  for (const JudgedTarget& t : targets) {
    out.push_back({{"target", t.name}, {"status", toString(t.verdict)}, {"detail", t.detail}});
  }
  return out;
}

}  // namespace tro::bench
