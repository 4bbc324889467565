#include "bench/operator_fleet/fleet_case.h"

#include <chrono>

#include "bench/common/crd.h"
#include "bench/common/fleet_create.h"
#include "bench/common/fleet_rollout.h"
#include "bench/common/paged_list.h"
#include "bench/common/proc_stats.h"
#include "bench/operator_fleet/case_servers.h"
#include "bench/operator_fleet/rollout_manifest.h"
#include "bench/operator_fleet/wave_phase.h"

namespace tro::bench {
namespace {

using Steady = std::chrono::steady_clock;

// 5,000 Deployments (10,000 pods) roll out in about a minute on this machine (docs/benchmarks.md).
constexpr std::chrono::seconds kFleetRolloutTimeout{300};

double since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

bool startKubesim(CaseServers& s, CaseFigures& f) {
  std::string error;
  s.kubesim = testing::Kubesim::start({}, error);
  if (!s.kubesim) {
    f.recordError("kubesim", error);
    return false;
  }
  if (!applyCrd(*s.kubesim, error)) {
    f.recordError("crd", error);
    return false;
  }
  auto api = ApiSession::open(s.kubesim->kubeconfig());
  if (!api.ok()) {
    f.recordError("client", api.error().toString());
    return false;
  }
  s.api = std::move(api).value();
  return true;
}

bool setUpFleet(CaseServers& s, const FleetBenchOptions& o, CaseFigures& f) {
  const FleetShape shape = fleetShapeOf(f.spec.deployments);
  auto created = createFleet(s.api->client(), shape, o.threads);
  if (!created.ok()) {
    f.recordError("create", created.error());
    return false;
  }
  if (created->failed > 0) {
    f.recordError("create", std::to_string(created->failed) + " of " +
                                std::to_string(shape.deployments) +
                                " Deployments not created; first error: " + created->firstError);
    return false;
  }
  f.createSeconds = created->seconds;
  const RolloutFigures rollout =
      waitRolledOut(s.api->client(), shape, created->lastAnswer, kFleetRolloutTimeout);
  f.rolledOutSeconds = rollout.seconds;
  if (rollout.error.empty()) return true;
  f.recordError("fleet-rollout", rollout.error);
  return false;
}

bool listFleet(CaseServers& s, const FleetBenchOptions& o, CaseFigures& f) {
  const auto start = Steady::now();
  auto listed = listAllPages(s.api->client(), kube::resources::deployments(), "", o.listLimit);
  const double seconds = since(start);
  if (!listed.ok()) {
    f.recordError("list", listed.error().toString());
    return false;
  }
  if (listed->items != static_cast<std::size_t>(f.spec.deployments)) {
    f.recordError("list", "listed " + std::to_string(listed->items) + " of " +
                              std::to_string(f.spec.deployments));
    return false;
  }
  f.rawListSeconds = seconds;
  f.rawListPages = listed->pages;
  std::size_t bytes = 0;  // measured apart: the timed LIST does nothing with its items
  auto sized = listAllPages(s.api->client(), kube::resources::deployments(), "", o.listLimit,
                            [&bytes](const kube::Json& item) { bytes += item.dump().size(); });
  if (sized.ok() && sized->items > 0) f.rawListBytesPerItem = bytes / sized->items;
  return true;
}

// Timed from the spawn to /readyz. Caveat: when a port the fixture chose was taken meanwhile, it
// starts the operator again, and the time includes the failed attempt (rare: loopback ports).
bool startOperator(CaseServers& s, const FleetBenchOptions& o, CaseFigures& f) {
  std::string error;
  const auto start = Steady::now();
  s.op = testing::OperatorProcess::start(s.kubesim->kubeconfig(), operatorFlags(o), error);
  if (!s.op) {
    f.recordError("operator", error);
    return false;
  }
  f.readySeconds = since(start);
  f.operatorPid = s.op->process().pid();
  f.atReady = readProcessFigures(f.operatorPid);
  if (!f.atReady)
    f.recordError("proc", "cannot read /proc/" + std::to_string(f.operatorPid) + "/status");
  return true;
}

// The end figures, and whether the operator is still the process they were read from.
void finish(CaseServers& s, CaseFigures& f) {
  if (!s.op || !s.op->running()) return;
  if (!f.atEnd && !f.restartReadySeconds) f.atEnd = readProcessFigures(f.operatorPid);
  if (const auto code = s.op->process().waitFor(std::chrono::milliseconds(0))) {
    f.atEnd.reset();
    f.restartAtEnd.reset();
    f.recordError("operator", "exited during the case with code " + std::to_string(*code));
  }
}

}  // namespace

std::vector<std::string> operatorFlags(const FleetBenchOptions& options) {
  std::vector<std::string> flags;
  if (!options.kubeApiQps.empty()) {
    flags.insert(flags.end(), {"--kube-api-qps", options.kubeApiQps});
  }
  if (!options.kubeApiBurst.empty()) {
    flags.insert(flags.end(), {"--kube-api-burst", options.kubeApiBurst});
  }
  return flags;
}

CaseFigures runCase(const FleetBenchOptions& options, const CaseSpec& spec) {
  CaseFigures f;
  f.spec = spec;
  CaseServers servers;
  if (!startKubesim(servers, f) || !setUpFleet(servers, options, f) ||
      !listFleet(servers, options, f) || !startOperator(servers, options, f)) {
    return f;
  }
  if (runWave(servers, options, f)) {
    measureSteady(servers, options, f);
    measureRestart(servers, options, f);
  }
  finish(servers, f);
  return f;
}

}  // namespace tro::bench
