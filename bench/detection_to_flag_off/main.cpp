// detection_to_flag_off: the benchmark of issues 6 and 14. See rollback_bench.h for what is
// measured, targets.h for how issue 14's targets are judged and docs/benchmarks.md for how to read
// the figures. Exit code 0 when every case completed (a missed target is a figure, not a failure).

#include <iostream>

#include "bench/common/args.h"
#include "bench/detection_to_flag_off/report.h"
#include "bench/detection_to_flag_off/rollback_bench.h"

namespace {

using tro::bench::BenchOptions;
using tro::bench::Method;

constexpr const char* kUsage = R"(usage: detection_to_flag_off [flags]
  --sizes 1,10,100          Deployment counts (2 replicas each)
  --methods operator,operator-push,kubectl-loop,kubectl-selector,plain-client
                            (the default: all five; operator-push starts Alertmanager)
  --repetitions R           runs of every case (default 1); ratios use medians
  --kube-api-qps Q          the operator's client-side rate limit (default 500)
  --kube-api-burst B        the operator's burst (default 500)
  --pod-ready-delay D       kubesim's pod ready delay (default 100ms)
  --plain-client-connections warm|cold
                            whether the plain client opens its connections before the alert
                            (default warm: the reference; cold shows what handshakes cost)
)";

std::optional<std::vector<Method>> parseMethods(const std::string& text) {
  std::vector<Method> out;
  for (const std::string& name : tro::bench::splitCommas(text)) {
    auto method = tro::bench::parseMethod(name);
    if (!method) return std::nullopt;
    out.push_back(*method);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<BenchOptions> options(int argc, char** argv) {
  auto args =
      tro::bench::parseArgs(std::vector<std::string>(argv + 1, argv + argc),
                            {"sizes", "methods", "repetitions", "kube-api-qps", "kube-api-burst",
                             "pod-ready-delay", "plain-client-connections"});
  if (!args.ok() || args->contains("help")) {
    std::cerr << (args.ok() ? "" : args.error() + "\n") << kUsage;
    return std::nullopt;
  }
  BenchOptions o;
  if (auto it = args->find("sizes"); it != args->end()) {
    auto sizes = tro::bench::parsePositiveList(it->second);
    if (!sizes) return std::cerr << "bad --sizes\n" << kUsage, std::nullopt;
    o.sizes = *sizes;
  }
  if (auto it = args->find("methods"); it != args->end()) {
    auto methods = parseMethods(it->second);
    if (!methods) return std::cerr << "bad --methods\n" << kUsage, std::nullopt;
    o.methods = *methods;
  }
  if (auto it = args->find("repetitions"); it != args->end()) {
    auto reps = tro::bench::parsePositiveList(it->second);
    if (!reps || reps->size() != 1) return std::cerr << "bad --repetitions\n", std::nullopt;
    o.repetitions = reps->front();
  }
  if (auto it = args->find("kube-api-qps"); it != args->end()) o.kubeApiQps = it->second;
  if (auto it = args->find("kube-api-burst"); it != args->end()) o.kubeApiBurst = it->second;
  if (auto it = args->find("pod-ready-delay"); it != args->end()) o.podReadyDelay = it->second;
  if (auto it = args->find("plain-client-connections"); it != args->end()) {
    if (it->second != "warm" && it->second != "cold") {
      return std::cerr << "bad --plain-client-connections\n" << kUsage, std::nullopt;
    }
    o.warmPlainClient = it->second == "warm";
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  auto o = options(argc, argv);
  if (!o) return 2;
  std::vector<tro::bench::CaseResult> results;
  std::vector<std::pair<std::string, std::string>> settings;
  bool allOk = true;
  for (int n : o->sizes) {
    // A fresh kubesim, Prometheus, Alertmanager and operator per size: every method of one size
    // runs on the same servers, and no size inherits the objects and history of the one before.
    std::string error;
    auto bench = tro::bench::RollbackBench::start(*o, error);
    if (!bench) {
      std::cerr << "detection_to_flag_off: setup failed: " << error << "\n";
      return 1;
    }
    settings = bench->settings();
    for (int rep = 0; rep < o->repetitions; ++rep) {
      for (Method m : o->methods) {
        std::cerr << "running " << toString(m) << " N=" << n << " rep " << rep << "\n";
        results.push_back(bench->run(m, n, rep));
        allOk = allOk && results.back().ok();
      }
    }
  }
  std::cout << "Settings:\n";
  for (const auto& [key, value] : settings) std::cout << "  " << key << ": " << value << "\n";
  tro::bench::printTable(std::cout, results);
  tro::bench::printTraces(std::cout, results);
  tro::bench::printRatios(std::cout, results);
  tro::bench::printReferenceRatios(std::cout, results);
  tro::bench::printTargets(std::cout, results);
  tro::bench::printJson(std::cout, settings, results);
  return allOk ? 0 : 1;
}
