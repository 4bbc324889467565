// kubesim_throughput: requests per second kubesim serves on this machine (GET of one ConfigMap,
// LIST of 100 ConfigMaps, merge PATCH of a Deployment) from concurrent clients over loopback
// HTTPS with the operator's client stack, and how long a 3-replica Deployment takes to roll out
// at kubesim's default pod delays as `kubectl rollout status` sees it. With --fleet N it measures
// instead a kubesim holding N rolled-out Deployments (fleet.h). Prints a table and one
// "BENCH_JSON {...}" line; exit code 0 when every measurement completed without errors.

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/common/api_session.h"
#include "bench/common/args.h"
#include "bench/common/kubectl.h"
#include "bench/common/parallel.h"
#include "bench/kubesim_throughput/fleet.h"
#include "bench/kubesim_throughput/fleet_report.h"
#include "bench/kubesim_throughput/load.h"
#include "bench/kubesim_throughput/rollout_timing.h"
#include "tests/support/kubesim_process.h"

namespace tro::bench {
namespace {

constexpr const char* kUsage = R"(usage: kubesim_throughput [flags]
  --threads T        concurrent clients (default 4)
  --seconds S        duration of each load (default 5)
  --max-requests M   bound on the requests of each load (default 200000)
  --repetitions R    Deployment rollouts to time (default 5)
  --fleet N          instead: a fresh kubesim with N Deployments (2 replicas each, 10 namespaces)
                     created from T threads; memory, idle CPU, GET/LIST/PATCH, rollout, delete
                     and watch fan-out figures against their targets (e.g. --fleet 5000)
)";

kube::ResourceType configMaps() { return {"", "v1", "configmaps", "ConfigMap", true}; }

struct Options {
  LoadOptions load;
  int repetitions = 5;
  int fleet = 0;  // 0: the default loads
};

std::optional<Options> options(int argc, char** argv) {
  auto args = parseArgs(std::vector<std::string>(argv + 1, argv + argc),
                        {"threads", "seconds", "max-requests", "repetitions", "fleet"});
  if (!args.ok() || args->contains("help")) {
    std::cerr << (args.ok() ? "" : args.error() + "\n") << kUsage;
    return std::nullopt;
  }
  Options o;
  auto positive = [&](const char* name, auto apply) {
    auto it = args->find(name);
    if (it == args->end()) return true;
    auto v = parsePositiveList(it->second);
    if (!v || v->size() != 1) {
      std::cerr << "bad --" << name << "\n" << kUsage;
      return false;
    }
    apply(v->front());
    return true;
  };
  if (!positive("threads", [&](int v) { o.load.threads = v; }) ||
      !positive("seconds", [&](int v) { o.load.duration = std::chrono::seconds(v); }) ||
      !positive("max-requests", [&](int v) { o.load.maxRequests = static_cast<unsigned>(v); }) ||
      !positive("repetitions", [&](int v) { o.repetitions = v; }) ||
      !positive("fleet", [&](int v) { o.fleet = v; })) {
    return std::nullopt;
  }
  return o;
}

// Namespaces, 1 + 100 ConfigMaps and the Deployment the loads read and patch.
std::optional<kube::Error> seed(kube::ApiClient& api) {
  kube::WriteOptions write{"tro-bench", false, ""};
  for (const char* ns : {"bench-get", "bench-list", "bench-rollout"}) {
    kube::Json object = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}};
    if (auto r = api.create(kube::resources::namespaces(), "", object, write); !r.ok())
      return r.error();
  }
  auto configMap = [](const std::string& ns, const std::string& name) {
    return kube::Json{{"apiVersion", "v1"},
                      {"kind", "ConfigMap"},
                      {"metadata", {{"name", name}, {"namespace", ns}}},
                      {"data", {{"key", std::string(200, 'x')}}}};
  };
  if (auto r = api.create(configMaps(), "bench-get", configMap("bench-get", "cm-000"), write);
      !r.ok())
    return r.error();
  for (int i = 0; i < 100; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "cm-%03d", i);
    if (auto r = api.create(configMaps(), "bench-list", configMap("bench-list", name), write);
        !r.ok())
      return r.error();
  }
  kube::Json deployment = kube::Json::parse(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "web", "namespace": "bench-get"},
    "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
      "template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "app", "image": "example.test/web:1"}]}}}})");
  if (auto r = api.create(kube::resources::deployments(), "bench-get", deployment, write); !r.ok())
    return r.error();
  return std::nullopt;
}

std::vector<LoadResult> runLoads(kube::ApiClient& api, const LoadOptions& load) {
  std::vector<LoadResult> out;
  out.push_back(runLoad("GET configmap", load, [&](int, std::uint64_t) {
    return errorOf(api.get(configMaps(), "bench-get", "cm-000"));
  }));
  out.push_back(runLoad("LIST 100 configmaps", load, [&](int, std::uint64_t) {
    auto r = api.list(configMaps(), "bench-list", {});
    if (r.ok() && (*r)["items"].size() != 100) {
      kube::Error e{kube::ErrorKind::Decode, 0, "", "", {}, std::nullopt};
      e.message = "list returned " + std::to_string((*r)["items"].size()) + " items, not 100";
      return std::optional<kube::Error>(e);
    }
    return errorOf(r);
  }));
  out.push_back(runLoad("PATCH deployment", load, [&](int, std::uint64_t seq) {
    const std::string body =
        R"({"metadata":{"annotations":{"bench.telemetry.io/seq":")" + std::to_string(seq) + "\"}}}";
    return errorOf(api.patch(kube::resources::deployments(), "bench-get", "web",
                             kube::PatchType::Merge, body, {"tro-bench", false, "", false}));
  }));
  return out;
}

void print(const std::vector<LoadResult>& loads, const RolloutTimings& rollouts, int threads) {
  std::printf(
      "kubesim on loopback HTTPS, %d client threads (operator client stack, no rate limit)\n",
      threads);
  std::printf("%-20s %9s %8s %8s %8s %8s %8s\n", "request", "req/s", "ok", "errors", "p50 ms",
              "p99 ms", "max ms");
  for (const LoadResult& l : loads) {
    std::printf("%-20s %9.0f %8llu %8llu %8.2f %8.2f %8.2f\n", l.name.c_str(), l.requestsPerSecond,
                static_cast<unsigned long long>(l.succeeded),
                static_cast<unsigned long long>(l.failed), l.latencyMs.median, l.latencyMs.p99,
                l.latencyMs.max);
    if (!l.firstError.empty()) std::printf("  first error: %s\n", l.firstError.c_str());
  }
  const Summary rollout = summarize(rollouts.applyToRolledOut);
  const Summary get = summarize(rollouts.kubectlGet);
  std::printf(
      "3-replica Deployment, default pod delays, kubectl apply -> rollout status OK: median %.3f s "
      "(min %.3f, max %.3f, n=%zu)\n",
      rollout.median, rollout.min, rollout.max, rollout.count);
  std::printf("kubectl get deployment (floor of any kubectl call): median %.3f s\n", get.median);
  if (!rollouts.error.empty()) std::printf("rollout timing FAILED: %s\n", rollouts.error.c_str());
}

nlohmann::json json(const std::vector<LoadResult>& loads, const RolloutTimings& rollouts) {
  nlohmann::json j = {{"benchmark", "kubesim_throughput"}};
  for (const LoadResult& l : loads) {
    j["loads"].push_back({{"request", l.name},
                          {"threads", l.threads},
                          {"seconds", l.seconds},
                          {"succeeded", l.succeeded},
                          {"failed", l.failed},
                          {"requestsPerSecond", l.requestsPerSecond},
                          {"latencyMsP50", l.latencyMs.median},
                          {"latencyMsP99", l.latencyMs.p99}});
  }
  j["rollout"] = {{"applyToRolledOutSeconds", rollouts.applyToRolledOut},
                  {"medianSeconds", summarize(rollouts.applyToRolledOut).median},
                  {"kubectlGetMedianSeconds", summarize(rollouts.kubectlGet).median}};
  if (!rollouts.error.empty()) j["rollout"]["error"] = rollouts.error;
  return j;
}

int runFleetMode(testing::Kubesim& kubesim, kube::ApiClient& api, const Options& o) {
  FleetOptions fleet;
  fleet.shape.deployments = o.fleet;
  fleet.threads = o.load.threads;
  fleet.loadDuration = o.load.duration;
  fleet.maxRequests = o.load.maxRequests;
  const FleetResult result = runFleet(api, kubesim.process().pid(), fleet);
  printFleet(std::cout, result);
  printFleetJson(std::cout, result);
  return result.ok() ? 0 : 1;
}

int run(const Options& o) {
  std::string error;
  auto kubesim = testing::Kubesim::start({}, error);  // default pod delays
  if (!kubesim) {
    std::cerr << "kubesim_throughput: " << error << "\n";
    return 1;
  }
  auto session = ApiSession::open(kubesim->kubeconfig());
  if (!session.ok()) {
    std::cerr << "kubesim_throughput: client: " << session.error().toString() << "\n";
    return 1;
  }
  kube::ApiClient& api = (*session)->client();
  if (o.fleet > 0) return runFleetMode(*kubesim, api, o);
  if (auto e = seed(api)) {
    std::cerr << "kubesim_throughput: seeding: " << e->toString() << "\n";
    return 1;
  }
  const std::vector<LoadResult> loads = runLoads(api, o.load);
  const Kubectl kubectl(kubesim->kubeconfig(), kubesim->dir());
  // Fills the discovery cache first, as on any workstation that ran kubectl before.
  if (testing::RunResult warm = kubectl.run({"get", "namespaces"}); warm.exitCode != 0) {
    std::cerr << "kubesim_throughput: kubectl: " << warm.err << "\n";
    return 1;
  }
  const RolloutTimings rollouts =
      timeRollouts(kubectl, "bench-rollout", o.repetitions,
                   [&](const std::string& name, const std::string& content) {
                     return kubesim->writeFile(name, content);
                   });
  print(loads, rollouts, o.load.threads);
  std::cout << "BENCH_JSON " << json(loads, rollouts).dump() << "\n";
  bool ok = rollouts.error.empty();
  for (const LoadResult& l : loads) ok = ok && l.failed == 0 && l.succeeded > 0;
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace tro::bench

int main(int argc, char** argv) {
  auto o = tro::bench::options(argc, argv);
  if (!o) return 2;
  return tro::bench::run(*o);
}
