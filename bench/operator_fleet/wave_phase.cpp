#include "bench/operator_fleet/wave_phase.h"

#include <algorithm>
#include <thread>

#include "bench/common/deployment_watch.h"
#include "bench/common/paged_list.h"
#include "bench/common/parallel.h"
#include "bench/common/poll.h"
#include "bench/common/proc_stats.h"
#include "bench/operator_fleet/metrics_text.h"
#include "bench/operator_fleet/rollout_census.h"
#include "bench/operator_fleet/rollout_manifest.h"
#include "bench/operator_fleet/wave_tracker.h"

namespace tro::bench {
namespace {

using Steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

// operator/runtime/metrics_standard.cpp; the controller's name is set in operator/app/run.cpp.
constexpr const char* kReconcileFamily = "controller_runtime_reconcile_time_seconds";
constexpr const char* kReconcileLabels = "controller=\"telemetryrollout\"";
constexpr const char* kRequestsFamily = "rest_client_requests_total";
// The initial ADDED events of 5,000 Deployments take seconds to decode on 2 busy cores.
constexpr auto kKnownTimeout = 120s;
constexpr auto kQuietFor = 3s;
constexpr auto kSettleTimeout = 60s;

double since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

std::optional<HistogramSeries> reconcileHistogram(const testing::OperatorProcess& op) {
  return findHistogram(op.metrics(), kReconcileFamily, kReconcileLabels);
}

bool createRollouts(CaseServers& s, const FleetBenchOptions& o, CaseFigures& f) {
  const kube::WriteOptions write{"tro-bench", false, ""};
  kube::ApiClient& client = s.api->client();
  const ParallelResult created = runEach(f.spec.rollouts, o.threads, [&](int r) {
    return errorOf(client.create(kube::resources::telemetryRollouts(), rolloutNamespace(r),
                                 fleetRollout(r), write));
  });
  f.rolloutCreateSeconds = created.seconds;
  if (created.failed == 0) return true;
  f.recordError("rollouts", std::to_string(created.failed) + " of " +
                                std::to_string(f.spec.rollouts) +
                                " rollouts not created; first error: " + created.firstError);
  return false;
}

// Until every first-wave Deployment is injected, the watch fails for good, or the deadline.
bool awaitInjected(DeploymentWatch& watch, WaveTracker& tracker, Steady::time_point start,
                   Steady::time_point deadline, CaseFigures& f) {
  bool all = false;
  while (!all && !watch.failed() && Steady::now() < deadline) {
    all = tracker.waitInjected(1s);  // bounded: re-checks the watch's health and the deadline
  }
  const WaveTracker::Figures wave = tracker.figures(start);
  f.injected = wave.injected;
  f.otherInjected = wave.otherInjected;
  f.waveSeconds = wave.lastSeconds;
  f.perRolloutWaveSeconds = summarize(wave.perRollout);
  f.watchResyncs = watch.resyncs();
  if (all) return true;
  std::string why = std::to_string(f.injected) + " of " + std::to_string(f.expectedInjected) +
                    " first-wave Deployments injected";
  if (const std::string e = watch.error(); !e.empty()) why += "; watch: " + e;
  f.recordError("wave", why);
  return false;
}

bool awaitHolding(CaseServers& s, const FleetBenchOptions& o, Steady::time_point start,
                  CaseFigures& f) {
  RolloutCensus last;
  std::string listError;
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(start + o.waveTimeout - Steady::now());
  const bool all = pollUntil(
      [&] {
        auto census = countRollouts(s.api->client(), o.listLimit);
        if (!census.ok()) {
          listError = census.error().toString();
          return false;
        }
        last = *census;
        return last.holding == f.spec.rollouts;
      },
      std::max(left, std::chrono::milliseconds(0)), 1s);
  f.holding = last.holding;
  if (all) {
    f.holdSeconds = since(start);
    return true;
  }
  f.recordError("hold",
                last.summary() + (listError.empty() ? "" : "; last LIST error: " + listError));
  return false;
}

// Whether the operator's own request counter stood still for kQuietFor: its trailing writes
// (the last status updates and Events) belong to the wave, not to the steady state.
bool waitQuiet(const testing::OperatorProcess& op) {
  double last = familyTotal(op.metrics(), kRequestsFamily);
  auto stillSince = Steady::now();
  return pollUntil(
      [&] {
        const double now = familyTotal(op.metrics(), kRequestsFamily);
        if (now != last) {
          last = now;
          stillSince = Steady::now();
        }
        return Steady::now() - stillSince >= kQuietFor;
      },
      kSettleTimeout, 250ms);
}

void recordReconciles(const testing::OperatorProcess& op,
                      const std::optional<HistogramSeries>& before, CaseFigures& f) {
  const auto after = reconcileHistogram(op);
  if (!after) {
    return f.recordError("metrics", std::string("no ") + kReconcileFamily + "{" + kReconcileLabels +
                                        "} on /metrics");
  }
  const HistogramSeries delta = histogramSince(*after, before);
  ReconcileLatency r;
  r.reconciles = delta.count;
  r.meanSeconds = delta.count > 0 ? delta.sum / delta.count : 0;
  r.p50Seconds = histogramQuantile(delta, 0.50);
  r.p99Seconds = histogramQuantile(delta, 0.99);
  f.reconcile = r;
}

// The operator's requests counted by kubesim since the last reset; nullopt (error recorded).
std::optional<RequestTally> operatorRequests(testing::Kubesim& kubesim, const char* phase,
                                             CaseFigures& f) {
  std::string error;
  const auto accounting = kubesim.requests(&error);
  if (!accounting) {
    f.recordError(phase, error);
    return std::nullopt;
  }
  return tallyRequests(*accounting, kOperatorUserAgent);
}

// The watch and its tracker, ready before the rollouts exist: every Deployment delivered.
std::unique_ptr<DeploymentWatch> watchDeployments(CaseServers& s, WaveTracker& tracker,
                                                  CaseFigures& f) {
  auto watch = DeploymentWatch::start(
      s.api->client(),
      [&tracker](const kube::Json& d, Steady::time_point arrived) { tracker.observe(d, arrived); });
  if (!watch.ok()) {
    f.recordError("watch", watch.error().toString());
    return nullptr;
  }
  if (!tracker.waitKnown(static_cast<std::size_t>(f.spec.deployments), kKnownTimeout)) {
    f.recordError("watch", "the watch did not deliver all " + std::to_string(f.spec.deployments) +
                               " Deployments within " + std::to_string(kKnownTimeout.count()) +
                               " s");
    return nullptr;
  }
  return std::move(watch).value();
}

}  // namespace

bool runWave(CaseServers& s, const FleetBenchOptions& o, CaseFigures& f) {
  f.expectedInjected = f.spec.rollouts * firstWaveSize();
  WaveTracker tracker(firstWaves(f.spec.rollouts), f.spec.rollouts);
  std::unique_ptr<DeploymentWatch> watch = watchDeployments(s, tracker, f);
  if (!watch) return false;
  const auto before = reconcileHistogram(*s.op);
  std::string error;
  if (!s.kubesim->resetRequests(&error)) {
    f.recordError("requests", error);
    return false;
  }
  const auto start = Steady::now();
  bool held =
      createRollouts(s, o, f) && awaitInjected(*watch, tracker, start, start + o.waveTimeout, f);
  watch.reset();  // done: decoding its events would take CPU from the operator and kubesim
  held = held && awaitHolding(s, o, start, f);
  f.settled = held && waitQuiet(*s.op);
  recordReconciles(*s.op, before, f);
  f.waveRequests = operatorRequests(*s.kubesim, "requests", f);
  return held;
}

void measureSteady(CaseServers& s, const FleetBenchOptions& o, CaseFigures& f) {
  std::string error;
  if (!s.kubesim->resetRequests(&error)) return f.recordError("steady", error);
  const auto start = Steady::now();
  std::this_thread::sleep_for(o.steadyWindow);  // the measurement window, not synchronisation
  const double window = since(start);
  f.steadyRequests = operatorRequests(*s.kubesim, "steady", f);
  if (f.steadyRequests) f.steadySeconds = window;
  auto census = countRollouts(s.api->client(), o.listLimit);
  if (!census.ok()) return f.recordError("steady", "LIST rollouts: " + census.error().toString());
  if (census->holding != f.spec.rollouts) {
    f.recordError("steady", "after the window: " + census->summary());
  }
}

void measureRestart(CaseServers& s, const FleetBenchOptions& o, CaseFigures& f) {
  f.atEnd = readProcessFigures(s.op->process().pid());
  if (!f.atEnd) return f.recordError("proc", "cannot read the operator's /proc status");
  const auto listStart = Steady::now();
  auto listed = listAllPages(s.api->client(), kube::resources::deployments(), "", o.listLimit);
  if (!listed.ok()) return f.recordError("restart", "LIST: " + listed.error().toString());
  f.restartListSeconds = since(listStart);
  std::string error;
  if (!s.kubesim->resetRequests(&error)) return f.recordError("restart", error);
  s.op->terminate();
  const auto start = Steady::now();
  if (!s.op->restart(error)) return f.recordError("restart", error);
  f.restartReadySeconds = since(start);
  f.operatorPid = s.op->process().pid();
  f.restartAtReady = readProcessFigures(f.operatorPid);
  if (!waitQuiet(*s.op)) f.recordError("restart", "its requests did not stand still");
  f.restartRequests = operatorRequests(*s.kubesim, "restart", f);
  f.restartAtEnd = readProcessFigures(f.operatorPid);
}

}  // namespace tro::bench
