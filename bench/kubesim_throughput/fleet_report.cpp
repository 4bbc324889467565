#include "bench/kubesim_throughput/fleet_report.h"

#include <nlohmann/json.hpp>
#include <string>

#include "bench/common/format.h"
#include "bench/kubesim_throughput/fleet_targets.h"

namespace tro::bench {
namespace {

std::string memoryText(const std::optional<MemoryUsage>& m) {
  if (!m) return "not read";
  return format("VmRSS %.1f MiB", m->rssMiB) + format(", VmHWM %.1f MiB", m->peakRssMiB);
}

std::string secondsText(const std::optional<double>& s) { return s ? format("%.3f s", *s) : "-"; }

std::string loadText(const std::optional<LoadResult>& l) {
  if (!l) return "not run";
  return format("%.0f req/s", l->requestsPerSecond) + format(", p50 %.2f ms", l->latencyMs.median) +
         format(", p99 %.2f ms", l->latencyMs.p99) + format(", max %.2f ms", l->latencyMs.max) +
         ", " + std::to_string(l->succeeded) + " ok, " + std::to_string(l->failed) + " errors";
}

void row(std::ostream& out, const std::string& measure, const std::string& figure) {
  std::string label = "  " + measure;
  if (label.size() < 47) label.resize(47, ' ');
  out << label << ' ' << figure << "\n";
}

void printFanout(std::ostream& out, const FleetResult& r) {
  if (!r.fanout) return row(out, "watch fan-out", "not run");
  const FanoutFigures& f = *r.fanout;
  row(out, "watch fan-out: changes patched",
      std::to_string(f.patches.succeeded) + " ok, " + std::to_string(f.patches.failed) +
          " errors in " + format("%.3f s", f.patches.seconds) +
          format(" (%.0f/s)", f.patches.perSecond()));
  for (std::size_t w = 0; w < f.watchers.size(); ++w) {
    const WatcherLag& lag = f.watchers[w];
    std::string figure = lag.maxLagMs ? format("max lag %.1f ms", *lag.maxLagMs) : "no change seen";
    figure += ", " + std::to_string(lag.received) + " received, " + std::to_string(lag.missing) +
              " missing, " + std::to_string(lag.resyncs) + " resyncs";
    if (!lag.error.empty()) figure += "; last watch error: " + lag.error;
    row(out, "  watcher " + std::to_string(w + 1), figure);
  }
}

void printFigures(std::ostream& out, const FleetResult& r) {
  const FleetOptions& o = r.options;
  row(out, "kubesim before the fleet (idle)", memoryText(r.memoryIdle));
  if (r.create) {
    row(out, "create " + std::to_string(o.shape.deployments) + " Deployments",
        format("%.3f s", r.create->seconds) + format(" (%.0f/s, ", r.create->perSecond()) +
            std::to_string(r.create->failed) + " errors)");
  }
  row(out, "last create -> all rolled out",
      secondsText(r.rollout.seconds) + " (" + std::to_string(r.rollout.rolledOut) + " of " +
          std::to_string(o.shape.deployments) + " rolled out, watch resyncs " +
          std::to_string(r.rollout.resyncs) + ")");
  row(out, "kubesim after the rollout", memoryText(r.memoryRolledOut));
  row(out, "simulated pods (LIST pods, all namespaces)", r.pods ? std::to_string(*r.pods) : "-");
  row(out, "kubesim CPU, nothing changing, " + format("%.0f s", o.idleWindow.count() / 1000.0),
      r.idleCpuPercent ? format("%.1f%% of one core", *r.idleCpuPercent) : "-");
  row(out, "GET one Deployment", loadText(r.get));
  std::string lists;
  for (double s : r.listSeconds) lists += (lists.empty() ? "" : ", ") + format("%.3f s", s);
  row(out, "paged LIST of all Deployments, limit " + std::to_string(o.listLimit),
      (lists.empty() ? "-" : lists) +
          (r.listPages ? " (" + std::to_string(*r.listPages) + " pages each)" : ""));
  row(out, "merge PATCH of an annotation", loadText(r.patch));
  printFanout(out, r);
  row(out, "delete 100 Deployments -> RS and pods gone", secondsText(r.deleteSeconds));
  row(out, "kubesim at the end", memoryText(r.memoryEnd));
}

nlohmann::json orNull(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json memoryJson(const std::optional<MemoryUsage>& m) {
  if (!m) return nullptr;
  return {{"rssMiB", m->rssMiB}, {"peakRssMiB", m->peakRssMiB}};
}

nlohmann::json loadJson(const std::optional<LoadResult>& l) {
  if (!l) return nullptr;
  return {{"threads", l->threads},
          {"seconds", l->seconds},
          {"succeeded", l->succeeded},
          {"failed", l->failed},
          {"requestsPerSecond", l->requestsPerSecond},
          {"latencyMsP50", l->latencyMs.median},
          {"latencyMsP99", l->latencyMs.p99},
          {"latencyMsMax", l->latencyMs.max}};
}

nlohmann::json parallelJson(const std::optional<ParallelResult>& p) {
  if (!p) return nullptr;
  return {{"seconds", p->seconds},
          {"succeeded", p->succeeded},
          {"failed", p->failed},
          {"perSecond", p->perSecond()}};
}

nlohmann::json fanoutJson(const FleetResult& r) {
  if (!r.fanout) return nullptr;
  nlohmann::json watchers = nlohmann::json::array();
  for (const WatcherLag& w : r.fanout->watchers) {
    watchers.push_back({{"maxLagMs", orNull(w.maxLagMs)},
                        {"received", w.received},
                        {"missing", w.missing},
                        {"resyncs", w.resyncs}});
  }
  return {{"watchers", watchers}, {"patches", parallelJson(r.fanout->patches)}};
}

}  // namespace

void printFleet(std::ostream& out, const FleetResult& r) {
  const FleetOptions& o = r.options;
  out << "kubesim with a fleet of " << o.shape.deployments << " Deployments x " << o.shape.replicas
      << " replicas in " << o.shape.namespaces << " namespaces, " << o.threads
      << " client threads over loopback HTTPS (operator client stack, no rate "
      << "limit); kubesim pid " << r.pid << " (" << r.processName << ")\n";
  printFigures(out, r);
  printTargets(out, judgeFleet(r));
  if (!r.errors.empty()) out << "Errors:\n";
  for (const PhaseError& e : r.errors) out << "  " << e.phase << ": " << e.message << "\n";
}

void printFleetJson(std::ostream& out, const FleetResult& r) {
  const FleetOptions& o = r.options;
  nlohmann::json j = {{"benchmark", "kubesim_throughput"},
                      {"mode", "fleet"},
                      {"deployments", o.shape.deployments},
                      {"namespaces", o.shape.namespaces},
                      {"replicas", o.shape.replicas},
                      {"threads", o.threads},
                      {"kubesimPid", r.pid},
                      {"kubesimProcess", r.processName}};
  j["memoryIdle"] = memoryJson(r.memoryIdle);
  j["create"] = parallelJson(r.create);
  j["rollout"] = {{"seconds", orNull(r.rollout.seconds)},
                  {"rolledOut", r.rollout.rolledOut},
                  {"resyncs", r.rollout.resyncs}};
  j["memoryRolledOut"] = memoryJson(r.memoryRolledOut);
  j["pods"] = r.pods ? nlohmann::json(*r.pods) : nlohmann::json(nullptr);
  j["idleCpu"] = {{"percentOfOneCore", orNull(r.idleCpuPercent)},
                  {"windowSeconds", o.idleWindow.count() / 1000.0}};
  j["get"] = loadJson(r.get);
  j["list"] = {{"limit", o.listLimit},
               {"seconds", r.listSeconds},
               {"pages", r.listPages ? nlohmann::json(*r.listPages) : nlohmann::json(nullptr)}};
  j["patch"] = loadJson(r.patch);
  j["fanout"] = fanoutJson(r);
  j["delete"] = {{"seconds", orNull(r.deleteSeconds)}, {"requests", parallelJson(r.deletes)}};
  j["memoryEnd"] = memoryJson(r.memoryEnd);
  j["targets"] = targetsJson(judgeFleet(r));
  j["errors"] = nlohmann::json::array();
  for (const PhaseError& e : r.errors)
    j["errors"].push_back({{"phase", e.phase}, {"message", e.message}});
  out << "BENCH_JSON " << j.dump() << "\n";
}

}  // namespace tro::bench
