#include "bench/operator_fleet/report.h"

#include <nlohmann/json.hpp>
#include <string>

#include "bench/common/fleet_manifest.h"
#include "bench/common/format.h"
#include "bench/operator_fleet/fleet_case.h"
#include "bench/operator_fleet/rollout_manifest.h"
#include "bench/operator_fleet/targets.h"

namespace tro::bench {
namespace {

std::string seconds(const std::optional<double>& s) { return s ? format("%.3f s", *s) : "-"; }

std::string millis(const std::optional<double>& s) { return s ? format("%.1f ms", *s * 1e3) : "-"; }

std::string processText(const std::optional<ProcessFigures>& p) {
  if (!p) return "not read";
  return format("VmRSS %.1f MiB", p->memory.rssMiB) +
         format(", VmHWM %.1f MiB", p->memory.peakRssMiB) +
         format(", RssAnon %.1f MiB, ", p->rssAnonMiB) + std::to_string(p->threads) + " threads";
}

void row(std::ostream& out, const std::string& measure, const std::string& figure) {
  std::string label = "  " + measure;
  if (label.size() < 52) label.resize(52, ' ');
  out << label << ' ' << figure << "\n";
}

double per(std::uint64_t requests, int count) {
  return count > 0 ? static_cast<double>(requests) / count : 0;
}

void printKinds(std::ostream& out, const RequestTally& tally) {
  for (const auto& [kind, count] : tally.byKind) row(out, "    " + kind, std::to_string(count));
}

void printWave(std::ostream& out, const CaseFigures& f) {
  row(out, "create " + std::to_string(f.spec.rollouts) + " rollouts",
      seconds(f.rolloutCreateSeconds));
  const Summary& r = f.perRolloutWaveSeconds;
  row(out, "first create -> every first wave injected",
      seconds(f.waveSeconds) + " (" + std::to_string(f.injected) + " of " +
          std::to_string(f.expectedInjected) + " Deployments; per rollout p50 " +
          format("%.3f s", r.median) + format(", p99 %.3f s", r.p99) +
          format(", max %.3f s", r.max) +
          "; other Deployments with the flag on: " + std::to_string(f.otherInjected) +
          "; watch resyncs: " + std::to_string(f.watchResyncs) + ")");
  row(out, "first create -> every rollout in its window",
      seconds(f.holdSeconds) + " (" + std::to_string(f.holding) + " of " +
          std::to_string(f.spec.rollouts) + ", LIST every 1 s)");
  if (f.reconcile) {
    row(out, "reconcile time, controller telemetryrollout",
        "p50 " + millis(f.reconcile->p50Seconds) + ", p99 " + millis(f.reconcile->p99Seconds) +
            ", mean " + millis(f.reconcile->meanSeconds) +
            format(" over %.0f reconciles", f.reconcile->reconciles));
  }
  if (!f.waveRequests) return row(out, "operator requests in the wave", "not read");
  const RequestTally& w = *f.waveRequests;
  row(out, std::string("operator requests in the wave") + (f.settled ? "" : " (not quiet)"),
      std::to_string(w.total) +
          (f.holdSeconds ? format(" (%.1f/s to the window)", w.total / *f.holdSeconds) : "") +
          format(": %.2f per injected Deployment", per(w.total, f.injected)) +
          format(", %.2f per transition", per(w.total, f.transitions())) + "; 409s " +
          std::to_string(w.conflicts) + "; Deployment writes " +
          std::to_string(w.deploymentWrites) + ", status writes " + std::to_string(w.statusWrites) +
          ", Events " + std::to_string(w.eventWrites));
  printKinds(out, w);
}

void printSteady(std::ostream& out, const CaseFigures& f) {
  if (!f.steadyRequests) return row(out, "operator requests, steady window", "not measured");
  const RequestTally& s = *f.steadyRequests;
  row(out, "operator requests, steady window " + format("%.1f s", f.steadySeconds),
      std::to_string(s.beyondWatches()) + " beyond watches" +
          format(" (%.1f/min); ", f.steadyPerMinute().value_or(0)) + std::to_string(s.watches) +
          " watches opened");
  printKinds(out, s);
}

void printRestart(std::ostream& out, const CaseFigures& f) {
  if (!f.restartReadySeconds) return row(out, "restart", "not measured");
  const auto ratio = f.restartReadyOverList();
  row(out, "raw paged LIST again, before the restart", seconds(f.restartListSeconds));
  row(out, "restarted operator -> /readyz",
      seconds(f.restartReadySeconds) + (ratio ? format(" (%.2fx the raw LIST)", *ratio) : ""));
  row(out, "restarted operator at /readyz", processText(f.restartAtReady));
  if (f.restartRequests) {
    const RequestTally& r = *f.restartRequests;
    row(out, "restarted operator's requests until quiet",
        std::to_string(r.total) + "; Deployment writes " + std::to_string(r.deploymentWrites) +
            ", status writes " + std::to_string(r.statusWrites) + ", Events " +
            std::to_string(r.eventWrites) + "; 409s " + std::to_string(r.conflicts));
    printKinds(out, r);
  }
  row(out, "restarted operator at the end", processText(f.restartAtEnd));
}

void printFigures(std::ostream& out, const CaseFigures& f, const FleetBenchOptions& o) {
  row(out,
      "create " + std::to_string(f.spec.deployments) + " Deployments, " +
          std::to_string(o.threads) + " threads",
      seconds(f.createSeconds));
  row(out, "last create -> every Deployment rolled out", seconds(f.rolledOutSeconds));
  row(out, "raw paged LIST of them, limit " + std::to_string(o.listLimit),
      seconds(f.rawListSeconds) + " (" + std::to_string(f.rawListPages) + " pages, " +
          std::to_string(f.rawListBytesPerItem) + " bytes of JSON per Deployment)");
  const auto ratio = f.readyOverList();
  row(out, "operator start -> /readyz",
      seconds(f.readySeconds) + (ratio ? format(" (%.2fx the raw LIST)", *ratio) : ""));
  row(out, "operator at /readyz (no rollout yet)", processText(f.atReady));
  if (f.readySeconds) printWave(out, f);  // the operator started: the wave ran
  printSteady(out, f);
  row(out, "operator before the restart", processText(f.atEnd));
  printRestart(out, f);
}

nlohmann::json orNull(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json processJson(const std::optional<ProcessFigures>& p) {
  if (!p) return nullptr;
  return {{"rssMiB", p->memory.rssMiB},
          {"peakRssMiB", p->memory.peakRssMiB},
          {"rssAnonMiB", p->rssAnonMiB},
          {"threads", p->threads}};
}

nlohmann::json tallyJson(const std::optional<RequestTally>& t) {
  if (!t) return nullptr;
  return {{"total", t->total},
          {"watches", t->watches},
          {"beyondWatches", t->beyondWatches()},
          {"conflicts", t->conflicts},
          {"nonResource", t->nonResource},
          {"deploymentWrites", t->deploymentWrites},
          {"statusWrites", t->statusWrites},
          {"eventWrites", t->eventWrites},
          {"byKind", t->byKind}};
}

nlohmann::json waveJson(const CaseFigures& f) {
  const Summary& r = f.perRolloutWaveSeconds;
  nlohmann::json j = {
      {"rolloutCreateSeconds", orNull(f.rolloutCreateSeconds)},
      {"expectedInjected", f.expectedInjected},
      {"injected", f.injected},
      {"otherInjected", f.otherInjected},
      {"seconds", orNull(f.waveSeconds)},
      {"perRolloutSeconds", {{"p50", r.median}, {"p99", r.p99}, {"max", r.max}, {"n", r.count}}},
      {"watchResyncs", f.watchResyncs},
      {"holdSeconds", orNull(f.holdSeconds)},
      {"holding", f.holding},
      {"settled", f.settled},
      {"requests", tallyJson(f.waveRequests)},
      {"transitions", f.transitions()}};
  j["reconcile"] = nullptr;
  if (f.reconcile) {
    j["reconcile"] = {{"reconciles", f.reconcile->reconciles},
                      {"meanSeconds", f.reconcile->meanSeconds},
                      {"p50Seconds", orNull(f.reconcile->p50Seconds)},
                      {"p99Seconds", orNull(f.reconcile->p99Seconds)}};
  }
  return j;
}

nlohmann::json caseJson(const CaseFigures& f) {
  nlohmann::json j = {{"case", toString(f.spec)},
                      {"deployments", f.spec.deployments},
                      {"rollouts", f.spec.rollouts},
                      {"createSeconds", orNull(f.createSeconds)},
                      {"rolledOutSeconds", orNull(f.rolledOutSeconds)},
                      {"rawListSeconds", orNull(f.rawListSeconds)},
                      {"rawListPages", f.rawListPages},
                      {"rawListBytesPerItem", f.rawListBytesPerItem},
                      {"readySeconds", orNull(f.readySeconds)},
                      {"readyOverList", orNull(f.readyOverList())},
                      {"operatorPid", f.operatorPid},
                      {"operatorAtReady", processJson(f.atReady)},
                      {"wave", waveJson(f)},
                      {"steady",
                       {{"seconds", f.steadySeconds},
                        {"requests", tallyJson(f.steadyRequests)},
                        {"perMinuteBeyondWatches", orNull(f.steadyPerMinute())}}},
                      {"operatorAtEnd", processJson(f.atEnd)},
                      {"restart",
                       {{"rawListSeconds", orNull(f.restartListSeconds)},
                        {"readySeconds", orNull(f.restartReadySeconds)},
                        {"readyOverList", orNull(f.restartReadyOverList())},
                        {"atReady", processJson(f.restartAtReady)},
                        {"requests", tallyJson(f.restartRequests)},
                        {"atEnd", processJson(f.restartAtEnd)}}}};
  j["targets"] = targetsJson(judgeCase(f));
  j["errors"] = nlohmann::json::array();
  for (const CaseError& e : f.errors) {
    j["errors"].push_back({{"phase", e.phase}, {"message", e.message}});
  }
  return j;
}

std::string operatorFlagsText(const FleetBenchOptions& o) {
  std::string text;
  for (const std::string& flag : operatorFlags(o)) text += " " + flag;
  return text.empty() ? "its defaults (--kube-api-qps 20, --kube-api-burst 30, --workers 4)"
                      : text.substr(1) + " (the rest: its defaults)";
}

}  // namespace

void printSettings(std::ostream& out, const FleetBenchOptions& o) {
  out << "Settings:\n"
      << "  operator flags: " << operatorFlagsText(o)
      << "; the fixture's --log-format text and loopback metrics/health ports\n"
      << "  kubesim: a fresh one per case, default pod delays and --watch-history\n"
      << "  fleet: " << kFleetNamespaces << " namespaces, 2 replicas per Deployment, created from "
      << o.threads << " client threads (the operator's client stack, no rate limit)\n"
      << "  rollouts: each selects " << kTargetsPerRollout << " Deployments by " << kFleetGroupLabel
      << " in one namespace; steps setWeight " << kFirstWaveWeight << " (first wave "
      << firstWaveSize() << "), pause " << kWindow << ", setWeight 100; no analysis\n"
      << "  steady window: " << o.steadyWindow.count() << " s; wave timeout "
      << o.waveTimeout.count() << " s\n";
}

void printCase(std::ostream& out, const CaseFigures& f, const FleetBenchOptions& o) {
  out << "\nCase " << toString(f.spec) << ": " << f.spec.deployments << " Deployments, "
      << f.spec.rollouts << " TelemetryRollouts; operator pid " << f.operatorPid << "\n";
  printFigures(out, f, o);
  printTargets(out, judgeCase(f));
  if (!f.errors.empty()) out << "Errors:\n";
  for (const CaseError& e : f.errors) out << "  " << e.phase << ": " << e.message << "\n";
}

void printJson(std::ostream& out, const FleetBenchOptions& o,
               const std::vector<CaseFigures>& cases) {
  nlohmann::json j = {{"benchmark", "operator_fleet"},
                      {"threads", o.threads},
                      {"steadyWindowSeconds", o.steadyWindow.count()},
                      {"waveTimeoutSeconds", o.waveTimeout.count()},
                      {"listLimit", o.listLimit},
                      {"operatorFlags", operatorFlags(o)},
                      {"namespaces", kFleetNamespaces},
                      {"targetsPerRollout", kTargetsPerRollout},
                      {"firstWave", firstWaveSize()}};
  j["cases"] = nlohmann::json::array();
  for (const CaseFigures& f : cases) j["cases"].push_back(caseJson(f));
  out << "BENCH_JSON " << j.dump() << "\n";
}

}  // namespace tro::bench
