// detection_to_flag_off: issue 6's benchmark. See rollback_bench.h for what is measured and
// docs/benchmarks.md for how to read the figures. Exit code 0 when every case completed.

#include <iostream>

#include "bench/common/args.h"
#include "bench/detection_to_flag_off/report.h"
#include "bench/detection_to_flag_off/rollback_bench.h"

namespace {

using tro::bench::BenchOptions;
using tro::bench::Method;

constexpr const char* kUsage = R"(usage: detection_to_flag_off [flags]
  --sizes 1,10,100          Deployment counts (2 replicas each)
  --methods operator,kubectl-loop,kubectl-selector
  --repetitions R           runs of every case (default 1); ratios use medians
  --kube-api-qps Q          the operator's client-side rate limit (default 500)
  --kube-api-burst B        the operator's burst (default 500)
  --pod-ready-delay D       kubesim's pod ready delay (default 100ms)
)";

std::optional<std::vector<Method>> parseMethods(const std::string& text) {
  std::vector<Method> out;
  for (const std::string& m : tro::bench::splitCommas(text)) {
    if (m == "operator") {
      out.push_back(Method::Operator);
    } else if (m == "kubectl-loop") {
      out.push_back(Method::KubectlLoop);
    } else if (m == "kubectl-selector") {
      out.push_back(Method::KubectlSelector);
    } else {
      return std::nullopt;
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<BenchOptions> options(int argc, char** argv) {
  auto args = tro::bench::parseArgs(
      std::vector<std::string>(argv + 1, argv + argc),
      {"sizes", "methods", "repetitions", "kube-api-qps", "kube-api-burst", "pod-ready-delay"});
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
    // A fresh kubesim, Prometheus and operator per size: every method of one size runs on the
    // same servers, and no size inherits the objects and history of the one before.
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
  tro::bench::printRatios(std::cout, results);
  tro::bench::printJson(std::cout, settings, results);
  return allOk ? 0 : 1;
}
