#include "bench/detection_to_flag_off/report.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "bench/detection_to_flag_off/targets.h"

namespace tro::bench {
namespace {

constexpr Method kAllMethods[] = {Method::Operator, Method::OperatorPush, Method::KubectlLoop,
                                  Method::KubectlSelector, Method::PlainClient};

std::string cell(std::optional<double> seconds) {
  if (!seconds) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", *seconds);
  return text;
}

// Negative: the operator had no such time (it logs -1 when no write was sent).
std::string millis(std::int64_t micros) {
  if (micros < 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(micros) / 1000.0);
  return text;
}

// Cells left-aligned in the first column, right-aligned after it, each `widths[i]` wide.
std::string row(const std::vector<std::string>& cells, const std::vector<int>& widths) {
  std::string out;
  for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
    char text[96];
    std::snprintf(text, sizeof text, i == 0 ? "%-*s" : "%*s", widths[i], cells[i].c_str());
    out += text;
    out += ' ';
  }
  return out;
}

const std::vector<int> kTableWidths = {17, 5, 4, 11, 11, 15, 12, 12, 11, 14};
const std::vector<int> kTraceWidths = {17, 5, 4, 13, 14, 12, 12, 13, 11, 7, 10};

std::vector<std::string> caseCells(const CaseResult& r) {
  return {toString(r.method), std::to_string(r.deployments), std::to_string(r.repetition)};
}

std::optional<double> seen(const CaseResult& r) { return r.fromFiringSeen; }

std::set<int> sizesOf(const std::vector<CaseResult>& results) {
  std::set<int> sizes;
  for (const CaseResult& r : results) sizes.insert(r.deployments);
  return sizes;
}

void printRatioLine(std::ostream& out, int n, const std::string& what, double mine,
                    const std::string& versus, double theirs) {
  char text[200];
  std::snprintf(text, sizeof text, "  N=%-4d %-29s %8.3f s vs %-28s %7.3f s: %6.2fx\n", n,
                what.c_str(), mine, versus.c_str(), theirs, mine / theirs);
  out << text;
}

nlohmann::json traceJson(const WriteTrace& t) {
  return {
      {"writes", t.writes},
      {"verdictUnixMicros",
       std::chrono::duration_cast<std::chrono::microseconds>(t.verdict.time_since_epoch()).count()},
      {"analysisMicros", t.analysisMicros},
      {"firstSentMicros", t.firstSentMicros},
      {"lastAnsweredMicros", t.lastAnsweredMicros},
      {"slowestRequestMicros", t.slowestRequestMicros},
      {"inFlightLimit", t.inFlightLimit}};
}

nlohmann::json caseJson(const CaseResult& r) {
  nlohmann::json c = {{"method", toString(r.method)},
                      {"deployments", r.deployments},
                      {"repetition", r.repetition},
                      {"ok", r.ok()}};
  if (!r.ok()) {
    c["error"] = r.error;
    return c;
  }
  c["activeAtToLastOffSeconds"] = r.fromActiveAt;
  c["firingSeenToLastOffSeconds"] = r.fromFiringSeen;
  c["firstToLastOffSeconds"] = r.firstToLastOff;
  c["firingAlerts"] = r.firingAlerts;
  if (r.fromDecision) c["decisionToLastOffSeconds"] = *r.fromDecision;
  if (r.operatorMetric) c["operatorRollbackLatencySeconds"] = *r.operatorMetric;
  if (r.commandSeconds) c["commandSeconds"] = *r.commandSeconds;
  if (r.commandSeconds && r.method != Method::PlainClient) {
    c["kubectlCommandSeconds"] = *r.commandSeconds;  // the name issue 6's readers know
  }
  if (r.commandToLastOff) c["commandStartToLastOffSeconds"] = *r.commandToLastOff;
  if (r.activeAtToVerdict) c["activeAtToVerdictSeconds"] = *r.activeAtToVerdict;
  if (r.verdictToLastOff) c["verdictToLastOffSeconds"] = *r.verdictToLastOff;
  if (r.writeTrace) c["writeTrace"] = traceJson(*r.writeTrace);
  if (!r.operatorRequests.empty()) c["operatorRequests"] = r.operatorRequests;
  return c;
}

nlohmann::json targetsJson(const std::vector<Target>& targets) {
  nlohmann::json out = nlohmann::json::array();
  for (const Target& t : targets) {
    nlohmann::json parts = nlohmann::json::array();
    for (const TargetPart& p : t.parts) {
      parts.push_back({{"part", p.label}, {"status", toString(p.status)}, {"detail", p.detail}});
    }
    out.push_back({{"target", t.name}, {"status", toString(t.status())}, {"parts", parts}});
  }
  return out;
}

}  // namespace

void printTable(std::ostream& out, const std::vector<CaseResult>& results) {
  out << "Seconds until the LAST Deployment's FEATURE_OTEL is \"false\" in the API:\n"
      << row({"method", "N", "rep", "activeAt->", "seen->", "decision(1s)->", "first->last",
              "op. metric", "commands", "cmd->last off"},
             kTableWidths)
      << "\n";
  for (const CaseResult& r : results) {
    if (!r.ok()) {
      out << row(caseCells(r), kTableWidths) << "FAILED: " << r.error << "\n";
      continue;
    }
    std::vector<std::string> cells = caseCells(r);
    for (auto value :
         {std::optional<double>(r.fromActiveAt), std::optional<double>(r.fromFiringSeen),
          r.fromDecision, std::optional<double>(r.firstToLastOff), r.operatorMetric,
          r.commandSeconds, r.commandToLastOff}) {
      cells.push_back(cell(value));
    }
    out << row(cells, kTableWidths) << "\n";
  }
}

void printTraces(std::ostream& out, const std::vector<CaseResult>& results) {
  out << "The operator's write path (its \"rollback write trace\" line; s, then ms after the "
         "verdict):\n"
      << row({"method", "N", "rep", "act->verdict", "verdict->last", "analysis ms", "1st sent ms",
              "last answ. ms", "slowest ms", "writes", "in-flight"},
             kTraceWidths)
      << "\n";
  for (const CaseResult& r : results) {
    if (!isOperator(r.method) || !r.ok()) continue;
    if (!r.writeTrace) {
      out << row(caseCells(r), kTraceWidths) << "no \"rollback write trace\" line logged\n";
      continue;
    }
    const WriteTrace& t = *r.writeTrace;
    std::vector<std::string> cells = caseCells(r);
    cells.insert(cells.end(), {cell(r.activeAtToVerdict), cell(r.verdictToLastOff),
                               millis(t.analysisMicros), millis(t.firstSentMicros),
                               millis(t.lastAnsweredMicros), millis(t.slowestRequestMicros),
                               std::to_string(t.writes), std::to_string(t.inFlightLimit)});
    out << row(cells, kTraceWidths) << "\n";
    if (!r.operatorRequests.empty()) {
      out << "      operator requests meanwhile:";
      for (const auto& [series, count] : r.operatorRequests) {
        out << " " << series << " x" << static_cast<long>(count);
      }
      out << "\n";
    }
  }
}

void printRatios(std::ostream& out, const std::vector<CaseResult>& results) {
  out << "Manual way / operator, median of alert-seen -> last flag off:\n";
  for (int n : sizesOf(results)) {
    const auto op = medianOf(results, Method::Operator, n, seen);
    for (Method m : {Method::KubectlLoop, Method::KubectlSelector}) {
      const auto manual = medianOf(results, m, n, seen);
      if (!op || !manual || op->value <= 0) continue;
      char text[160];
      std::snprintf(text, sizeof text, "  N=%-4d %-17s %8.3f s vs operator %7.3f s: %6.1fx\n", n,
                    toString(m), manual->value, op->value, manual->value / op->value);
      out << text;
    }
  }
}

void printReferenceRatios(std::ostream& out, const std::vector<CaseResult>& results) {
  out << "Method / plain client (the physical limit, same run), medians; 1.0x = as fast as it:\n";
  for (int n : sizesOf(results)) {
    const auto plainSeen = medianOf(results, Method::PlainClient, n, seen);
    const auto plainStart = medianOf(results, Method::PlainClient, n,
                                     [](const CaseResult& r) { return r.commandToLastOff; });
    if (!plainSeen || plainSeen->value <= 0) continue;
    for (Method m : kAllMethods) {
      const auto mine = medianOf(results, m, n, seen);
      if (m == Method::PlainClient || !mine) continue;
      printRatioLine(out, n, std::string(toString(m)) + " seen->last off", mine->value,
                     "plain-client seen->last off", plainSeen->value);
    }
    for (Method m : {Method::Operator, Method::OperatorPush}) {
      const auto writes =
          medianOf(results, m, n, [](const CaseResult& r) { return r.verdictToLastOff; });
      if (!writes || !plainStart || plainStart->value <= 0) continue;
      printRatioLine(out, n, std::string(toString(m)) + " verdict->last off", writes->value,
                     "plain-client start->last off", plainStart->value);
    }
  }
}

void printTargets(std::ostream& out, const std::vector<CaseResult>& results) {
  out << "Targets (issue 14; medians over the repetitions of this run):\n";
  int number = 0;
  for (const Target& t : evaluateTargets(results)) {
    out << "  " << ++number << ". " << toString(t.status()) << ": " << t.name << "\n";
    for (const TargetPart& p : t.parts) {
      out << "       " << toString(p.status) << "  " << p.label << ": " << p.detail << "\n";
    }
  }
}

void printJson(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& settings,
               const std::vector<CaseResult>& results) {
  nlohmann::json j = {{"benchmark", "detection_to_flag_off"}};
  for (const auto& [key, value] : settings) j["settings"][key] = value;
  j["results"] = nlohmann::json::array();
  for (const CaseResult& r : results) j["results"].push_back(caseJson(r));
  j["targets"] = targetsJson(evaluateTargets(results));
  out << "BENCH_JSON " << j.dump() << "\n";
}

}  // namespace tro::bench
