#include "bench/kubesim_throughput/rollout_timing.h"

#include <chrono>

#include "bench/common/manifests.h"

namespace tro::bench {
namespace {

using Steady = std::chrono::steady_clock;

double since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

std::string deploymentYaml(const std::string& ns, const std::string& name) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name +
         "\n  namespace: " + ns +
         "\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: " + name +
         "}\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      containers:\n      - name: app\n        image: example.test/" + name +
         ":1\n";
}

}  // namespace

RolloutTimings timeRollouts(
    const Kubectl& kubectl, const std::string& ns, int repetitions,
    const std::function<std::string(const std::string&, const std::string&)>& writeFile) {
  RolloutTimings out;
  for (const std::string& name : deploymentNames(repetitions)) {
    const std::string file = writeFile("rollout-" + name + ".yaml", deploymentYaml(ns, name));
    const auto start = Steady::now();
    testing::RunResult applied = kubectl.run({"apply", "-f", file});
    if (applied.exitCode != 0) {
      out.error = "kubectl apply " + name + ": " + applied.err;
      return out;
    }
    testing::RunResult status =
        kubectl.run({"-n", ns, "rollout", "status", "deployment/" + name, "--timeout=120s"});
    if (status.exitCode != 0) {
      out.error = "kubectl rollout status " + name + ": " + status.out + status.err;
      return out;
    }
    out.applyToRolledOut.push_back(since(start));
    const auto getStart = Steady::now();
    testing::RunResult got = kubectl.run({"-n", ns, "get", "deployment", name});
    if (got.exitCode != 0) {
      out.error = "kubectl get " + name + ": " + got.err;
      return out;
    }
    out.kubectlGet.push_back(since(getStart));
  }
  return out;
}

}  // namespace tro::bench
