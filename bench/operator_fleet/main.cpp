// operator_fleet: issue 11's benchmark. The real operator against a fresh kubesim per case of N
// Deployments and M TelemetryRollouts (default 1000x50 and 5000x500): its memory and threads idle
// and at peak, start -> /readyz beside a raw paged LIST of the same Deployments, reconcile
// latency and requests while all M rollouts move their first wave at once (409s among them), and
// its requests per minute while every rollout holds in its canary window. fleet_case.h and
// wave_phase.h say how; targets.h how issue 11's targets are judged. Prints a table per case and
// one "BENCH_JSON {...}" line; exit code 0 when every case completed (a missed target is a
// figure, not a failure).

#include <iostream>

#include "bench/common/args.h"
#include "bench/operator_fleet/fleet_case.h"
#include "bench/operator_fleet/report.h"

namespace tro::bench {
namespace {

constexpr const char* kUsage = R"(usage: operator_fleet [flags]
  --cases 1000x50,5000x500  <Deployments>x<rollouts> per case (Deployments a multiple of 100,
                            rollouts at most Deployments / 10: each selects 10 Deployments)
  --threads T               client threads creating the Deployments and rollouts (default 4)
  --steady-seconds S        the steady-state window (default 30)
  --wave-timeout S          first rollout created -> every rollout in its window (default 900)
  --kube-api-qps Q          the operator's --kube-api-qps (default: the operator's, 20)
  --kube-api-burst B        the operator's --kube-api-burst (default: the operator's, 30)
)";

// One positive integer flag into `apply`; false (after the usage) when it is malformed.
template <typename Apply>
bool positiveFlag(const Args& args, const char* name, Apply apply) {
  const auto it = args.find(name);
  if (it == args.end()) return true;
  const auto values = parsePositiveList(it->second);
  if (!values || values->size() != 1) {
    std::cerr << "bad --" << name << "\n" << kUsage;
    return false;
  }
  apply(values->front());
  return true;
}

std::optional<FleetBenchOptions> options(int argc, char** argv) {
  auto args = parseArgs(
      std::vector<std::string>(argv + 1, argv + argc),
      {"cases", "threads", "steady-seconds", "wave-timeout", "kube-api-qps", "kube-api-burst"});
  if (!args.ok() || args->contains("help")) {
    std::cerr << (args.ok() ? "" : args.error() + "\n") << kUsage;
    return std::nullopt;
  }
  FleetBenchOptions o;
  if (auto it = args->find("cases"); it != args->end()) {
    auto cases = parseCases(it->second);
    if (!cases.ok()) return std::cerr << "bad --cases: " << cases.error() << "\n", std::nullopt;
    o.cases = *cases;
  }
  if (!positiveFlag(*args, "threads", [&](int v) { o.threads = v; }) ||
      !positiveFlag(*args, "steady-seconds",
                    [&](int v) { o.steadyWindow = std::chrono::seconds(v); }) ||
      !positiveFlag(*args, "wave-timeout",
                    [&](int v) { o.waveTimeout = std::chrono::seconds(v); })) {
    return std::nullopt;
  }
  if (auto it = args->find("kube-api-qps"); it != args->end()) o.kubeApiQps = it->second;
  if (auto it = args->find("kube-api-burst"); it != args->end()) o.kubeApiBurst = it->second;
  return o;
}

int run(const FleetBenchOptions& o) {
  printSettings(std::cout, o);
  std::vector<CaseFigures> results;
  bool allOk = true;
  for (const CaseSpec& spec : o.cases) {
    std::cerr << "running case " << toString(spec) << "\n";
    results.push_back(runCase(o, spec));
    printCase(std::cout, results.back(), o);
    std::cout.flush();  // a long run shows each case as it completes
    allOk = allOk && results.back().ok();
  }
  printJson(std::cout, o, results);
  return allOk ? 0 : 1;
}

}  // namespace
}  // namespace tro::bench

int main(int argc, char** argv) {
  auto o = tro::bench::options(argc, argv);
  if (!o) return 2;
  return tro::bench::run(*o);
}
