#include "bench/detection_to_flag_off/report.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "bench/common/stats.h"

namespace tro::bench {
namespace {

std::string cell(std::optional<double> seconds) {
  if (!seconds) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", *seconds);
  return text;
}

std::string row(const std::vector<std::string>& cells) {
  static const int widths[] = {17, 5, 4, 11, 11, 15, 12, 12, 13};
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    char text[64];
    std::snprintf(text, sizeof text, i == 0 ? "%-*s" : "%*s", widths[i], cells[i].c_str());
    out += text;
    out += ' ';
  }
  return out;
}

// Median of fromFiringSeen over the completed repetitions of (method, n).
std::optional<double> medianSeen(const std::vector<CaseResult>& results, Method method, int n) {
  std::vector<double> samples;
  for (const CaseResult& r : results) {
    if (r.ok() && r.method == method && r.deployments == n) samples.push_back(r.fromFiringSeen);
  }
  if (samples.empty()) return std::nullopt;
  return summarize(samples).median;
}

}  // namespace

void printTable(std::ostream& out, const std::vector<CaseResult>& results) {
  out << "Seconds until the LAST Deployment's FEATURE_OTEL is \"false\" in the API:\n"
      << row({"method", "N", "rep", "activeAt->", "seen->", "decision(1s)->", "first->last",
              "op. metric", "kubectl cmds"})
      << "\n";
  for (const CaseResult& r : results) {
    if (!r.ok()) {
      out << row({toString(r.method), std::to_string(r.deployments), std::to_string(r.repetition)})
          << "FAILED: " << r.error << "\n";
      continue;
    }
    out << row({toString(r.method), std::to_string(r.deployments), std::to_string(r.repetition),
                cell(r.fromActiveAt), cell(r.fromFiringSeen), cell(r.fromDecision),
                cell(r.firstToLastOff), cell(r.operatorMetric), cell(r.commandSeconds)})
        << "\n";
  }
}

void printRatios(std::ostream& out, const std::vector<CaseResult>& results) {
  std::set<int> sizes;
  for (const CaseResult& r : results) sizes.insert(r.deployments);
  out << "Manual way / operator, median of alert-seen -> last flag off:\n";
  for (int n : sizes) {
    const auto op = medianSeen(results, Method::Operator, n);
    for (Method m : {Method::KubectlLoop, Method::KubectlSelector}) {
      const auto manual = medianSeen(results, m, n);
      if (!op || !manual || *op <= 0) continue;
      char text[160];
      std::snprintf(text, sizeof text, "  N=%-4d %-17s %8.3f s vs operator %7.3f s: %6.1fx\n", n,
                    toString(m), *manual, *op, *manual / *op);
      out << text;
    }
  }
}

void printJson(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& settings,
               const std::vector<CaseResult>& results) {
  nlohmann::json j = {{"benchmark", "detection_to_flag_off"}};
  for (const auto& [key, value] : settings) j["settings"][key] = value;
  j["results"] = nlohmann::json::array();
  for (const CaseResult& r : results) {
    nlohmann::json c = {{"method", toString(r.method)},
                        {"deployments", r.deployments},
                        {"repetition", r.repetition},
                        {"ok", r.ok()}};
    if (!r.ok()) {
      c["error"] = r.error;
    } else {
      c["activeAtToLastOffSeconds"] = r.fromActiveAt;
      c["firingSeenToLastOffSeconds"] = r.fromFiringSeen;
      c["firstToLastOffSeconds"] = r.firstToLastOff;
      c["firingAlerts"] = r.firingAlerts;
      if (r.fromDecision) c["decisionToLastOffSeconds"] = *r.fromDecision;
      if (r.operatorMetric) c["operatorRollbackLatencySeconds"] = *r.operatorMetric;
      if (r.commandSeconds) c["kubectlCommandSeconds"] = *r.commandSeconds;
    }
    j["results"].push_back(std::move(c));
  }
  out << "BENCH_JSON " << j.dump() << "\n";
}

}  // namespace tro::bench
