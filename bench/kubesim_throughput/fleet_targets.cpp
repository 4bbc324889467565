#include "bench/kubesim_throughput/fleet_targets.h"

#include <algorithm>
#include <iomanip>
#include <optional>
#include <sstream>

namespace tro::bench {
namespace {

std::string number(double value, int decimals) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(decimals) << value;
  return text.str();
}

// One figure against its limit.
struct Check {
  std::string name;
  std::optional<double> value{};
  double limit = 0;
  bool atLeast = false;  // the figure must be >= limit; otherwise < limit
  std::string unit{};    // " ms", " s", "%", ...
  int decimals = 0;
  std::string failure{};  // the phase's error: MISSED whatever the figure
  std::string absent{};   // why there is no figure (NOT MEASURED)
  std::string note{};     // further figures for the detail
};

FleetTarget judge(const Check& c) {
  FleetTarget t{c.name};
  const auto show = [&](double v) { return number(v, c.decimals) + c.unit; };
  if (!c.failure.empty()) {
    t.verdict = Verdict::Missed;
    t.detail = (c.value ? show(*c.value) + "; " : std::string()) + c.failure;
  } else if (!c.value) {
    t.detail = c.absent;
  } else {
    const bool met = c.atLeast ? *c.value >= c.limit : *c.value < c.limit;
    t.verdict = met ? Verdict::Met : Verdict::Missed;
    const char* sign = c.atLeast ? (met ? " >= " : " < ") : (met ? " < " : " >= ");
    t.detail = show(*c.value) + sign + show(c.limit);
  }
  if (!c.note.empty()) t.detail += " (" + c.note + ")";
  return t;
}

// Why a later phase has no figure.
std::string notRun(const FleetResult& r) {
  const std::string created = r.errorOf("create");
  return created.empty() ? "no figure" : "not run: creating the fleet failed";
}

std::string orNotRun(const FleetResult& r, const std::string& phase) {
  const std::string e = r.errorOf(phase);
  return e.empty() ? notRun(r) : e;
}

FleetTarget memoryTarget(const FleetResult& r, const FleetLimits& l) {
  // The peak over the whole run (rollout, loads, fan-out, deletes), not only after the rollout.
  Check c{"kubesim peak RSS (VmHWM) over the run < " + number(l.rssMiB, 0) + " MiB"};
  c.limit = l.rssMiB;
  c.unit = " MiB";
  c.decimals = 1;
  c.absent = orNotRun(r, "memory");
  if (r.memoryEnd) {
    c.value = r.memoryEnd->peakRssMiB;
    if (r.memoryRolledOut) {
      c.note = "after the rollout: VmRSS " + number(r.memoryRolledOut->rssMiB, 1) + " MiB";
    }
  }
  return judge(c);
}

FleetTarget cpuTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"kubesim CPU while nothing changes < " + number(l.idleCpuPercent, 0) + "% of a core"};
  c.value = r.idleCpuPercent;
  c.limit = l.idleCpuPercent;
  c.unit = "%";
  c.decimals = 1;
  c.absent = orNotRun(r, "idle-cpu");
  return judge(c);
}

FleetTarget getTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"GET one Deployment, p99 < " + number(l.getP99Ms, 0) + " ms"};
  c.limit = l.getP99Ms;
  c.unit = " ms";
  c.decimals = 2;
  c.failure = r.errorOf("get");
  c.absent = notRun(r);
  if (r.get && r.get->succeeded > 0) {
    c.value = r.get->latencyMs.p99;
    c.note = "p50 " + number(r.get->latencyMs.median, 2) + " ms";
  }
  return judge(c);
}

FleetTarget listTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"paged LIST of all Deployments < " + number(l.listSeconds, 0) + " s"};
  c.limit = l.listSeconds;
  c.unit = " s";
  c.decimals = 3;
  c.failure = r.errorOf("list");
  c.absent = notRun(r);
  if (!r.listSeconds.empty()) {
    c.value = *std::max_element(r.listSeconds.begin(), r.listSeconds.end());
    c.note = "slowest of " + std::to_string(r.listSeconds.size());
  }
  return judge(c);
}

FleetTarget patchTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"merge PATCH >= " + number(l.patchesPerSecond, 0) + "/s"};
  c.limit = l.patchesPerSecond;
  c.atLeast = true;
  c.unit = "/s";
  c.failure = r.errorOf("patch");
  c.absent = notRun(r);
  if (r.patch && r.patch->seconds > 0) c.value = r.patch->succeeded / r.patch->seconds;
  return judge(c);
}

FleetTarget createTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"create " + std::to_string(r.options.shape.deployments) + " Deployments < " +
          number(l.createSeconds, 0) + " s"};
  c.limit = l.createSeconds;
  c.unit = " s";
  c.decimals = 2;
  c.failure = r.errorOf("create");
  c.absent = "no figure";
  if (r.create) {
    c.value = r.create->seconds;
    c.note = number(r.create->perSecond(), 0) + "/s";
  }
  return judge(c);
}

FleetTarget rolloutTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"last create -> all rolled out < " + number(l.rolloutSeconds, 0) + " s"};
  c.value = r.rollout.seconds;
  c.limit = l.rolloutSeconds;
  c.unit = " s";
  c.decimals = 2;
  c.failure = r.errorOf("rollout");
  c.absent = notRun(r);
  if (r.rollout.resyncs > 0) c.note = "the watch resynced " + std::to_string(r.rollout.resyncs);
  return judge(c);
}

FleetTarget deleteTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"delete 100 Deployments -> ReplicaSets and pods gone < " + number(l.deleteSeconds, 0) +
          " s"};
  c.value = r.deleteSeconds;
  c.limit = l.deleteSeconds;
  c.unit = " s";
  c.decimals = 3;
  c.failure = r.errorOf("delete");
  c.absent = notRun(r);
  return judge(c);
}

FleetTarget fanoutTarget(const FleetResult& r, const FleetLimits& l) {
  Check c{"watch fan-out: no watcher > " + number(l.watchLagSeconds, 0) + " s behind"};
  c.limit = l.watchLagSeconds;
  c.unit = " s";
  c.decimals = 3;
  c.failure = r.errorOf("fanout");
  c.absent = notRun(r);
  if (r.fanout) {
    for (const WatcherLag& w : r.fanout->watchers) {
      if (!w.maxLagMs) continue;
      c.value = std::max(c.value.value_or(*w.maxLagMs / 1000), *w.maxLagMs / 1000);
    }
    c.note = "max over " + std::to_string(r.fanout->watchers.size()) + " watchers";
  }
  return judge(c);
}

}  // namespace

std::vector<FleetTarget> judgeFleet(const FleetResult& r, const FleetLimits& l) {
  return {memoryTarget(r, l),  cpuTarget(r, l),    getTarget(r, l),
          listTarget(r, l),    patchTarget(r, l),  createTarget(r, l),
          rolloutTarget(r, l), deleteTarget(r, l), fanoutTarget(r, l)};
}

}  // namespace tro::bench
