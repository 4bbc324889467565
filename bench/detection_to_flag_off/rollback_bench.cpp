#include "bench/detection_to_flag_off/rollback_bench.h"

#include <algorithm>
#include <iostream>

#include "bench/common/deployment_state.h"
#include "bench/common/manifests.h"
#include "bench/common/poll.h"
#include "controllers/analysis/prometheus_parse.h"

namespace tro::bench {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRolloutName = "bench";
constexpr const char* kFaultAnnotation = "kubesim.io/telemetry-fault-error-ratio=0.5";
constexpr auto kSetupTimeout = 300s;  // 100 Deployments on 2 busy cores
constexpr auto kMeasureTimeout = 120s;
// Bounded: under load kubesim deletes 100 Deployments slowly, and a leftover set only adds load.
constexpr auto kCleanupTimeout = 60s;

std::string rolloutYaml(const std::string& ns, std::uint16_t prometheusPort) {
  return std::string("apiVersion: rollout.telemetry.io/v1alpha1\nkind: TelemetryRollout\n") +
         "metadata: {name: " + kRolloutName + ", namespace: " + ns + "}\nspec:\n" +
         "  selector: {matchLabels: {" + kSetLabel + ": " + ns + "}}\n" +
         "  flag: {name: " + kFlag + ", enabledValue: \"true\", disabledValue: \"false\"}\n" +
         "  strategy:\n    steps:\n      - setWeight: 100\n      - pause: {duration: 1h}\n" +
         "  analysis:\n    prometheus: {address: \"http://127.0.0.1:" +
         std::to_string(prometheusPort) + "\"}\n    interval: 1s\n" +
         "    alerts:\n      - {name: HighErrorRate, matchLabels: {namespace: " + ns + "}}\n" +
         "    failureLimit: 0\n";
}

double seconds(base::Duration d) { return std::chrono::duration<double>(d).count(); }

// A fresh namespace per case and repetition, so that no alert or object of an earlier case counts.
std::string namespaceFor(Method method, int n, int repetition) {
  const std::string suffix = std::to_string(n) + "-" + std::to_string(repetition);
  switch (method) {
    case Method::Operator:
      return "op-" + suffix;
    case Method::KubectlLoop:
      return "loop-" + suffix;
    case Method::KubectlSelector:
      return "sel-" + suffix;
  }
  return "unknown-" + suffix;
}

// Every target of the rollout is Enabled and the rollout waits in its pause step.
bool rolloutHolding(kube::ApiClient& client, const std::string& ns, int n, std::string& why) {
  auto tro = client.get(kube::resources::telemetryRollouts(), ns, kRolloutName);
  if (!tro.ok()) {
    why = tro.error().toString();
    return false;
  }
  const auto status = tro->value("status", kube::Json::object());
  const auto targets = status.value("targets", kube::Json::array());
  const auto enabled = std::count_if(targets.begin(), targets.end(), [](const kube::Json& t) {
    return t.value("state", "") == "Enabled";
  });
  why = "rollout status: " + status.dump();
  return status.value("phase", "") == "Progressing" && status.value("currentStep", 0) >= 1 &&
         enabled == n;
}

}  // namespace

const char* toString(Method method) {
  switch (method) {
    case Method::Operator:
      return "operator";
    case Method::KubectlLoop:
      return "kubectl-loop";
    case Method::KubectlSelector:
      return "kubectl-selector";
  }
  return "unknown";
}

std::unique_ptr<RollbackBench> RollbackBench::start(const BenchOptions& options,
                                                    std::string& error) {
  auto b = std::make_unique<RollbackBench>();
  b->options_ = options;
  b->kubesim_ = testing::Kubesim::start({"--pod-ready-delay", options.podReadyDelay}, error);
  if (!b->kubesim_) return nullptr;
  const std::string crd =
      std::string(TRO_SOURCE_DIR) + "/crds/telemetryrollouts.rollout.telemetry.io.yaml";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"apply", "-f", crd},
        {"wait", "--for=condition=Established", "crd/telemetryrollouts.rollout.telemetry.io",
         "--timeout=60s"}}) {
    testing::RunResult r = b->kubesim_->kubectl(args);
    if (r.exitCode != 0) {
      error = "kubectl " + args[0] + " (CRD): " + r.err;
      return nullptr;
    }
  }
  // The runbooks' HighErrorRate with `for: 0s`, so that the evaluation that makes the alert
  // active also makes it firing (activeAt is the firing time).
  b->prometheus_ = testing::Prometheus::start(
      {{b->kubesim_->metricsPort()}, testing::highErrorRateRules("0s")}, error);
  if (!b->prometheus_) return nullptr;
  b->operator_ = testing::OperatorProcess::start(
      b->kubesim_->kubeconfig(),
      {"--kube-api-qps", options.kubeApiQps, "--kube-api-burst", options.kubeApiBurst}, error);
  if (!b->operator_) return nullptr;
  auto api = ApiSession::open(b->kubesim_->kubeconfig());
  if (!api.ok()) {
    error = "client: " + api.error().toString();
    return nullptr;
  }
  b->api_ = std::move(api).value();
  // Created after the CRD is served, so the warm discovery cache knows TelemetryRollouts.
  b->kubectl_.emplace(b->kubesim_->kubeconfig(), b->kubesim_->dir());
  return b;
}

std::vector<std::pair<std::string, std::string>> RollbackBench::settings() const {
  return {{"operator --kube-api-qps", options_.kubeApiQps},
          {"operator --kube-api-burst", options_.kubeApiBurst},
          {"operator --workers", "4 (default)"},
          {"kubesim --pod-ready-delay", options_.podReadyDelay},
          {"kubesim --pod-start-delay", "50ms (default)"},
          {"Prometheus scrape/evaluation interval", "1s"},
          {"HighErrorRate", "error ratio > 0.02 over rate[5s], for: 0s"},
          {"rollout analysis interval", "1s (alert gate, failureLimit 0)"},
          {"kubectl", std::string(Kubectl::binary()) + " (warm discovery cache)"}};
}

CaseResult RollbackBench::run(Method method, int deployments, int repetition) {
  const std::string ns = namespaceFor(method, deployments, repetition);
  CaseResult result = method == Method::Operator ? runOperator(ns, deployments)
                                                 : runKubectl(method, ns, deployments);
  result.repetition = repetition;
  cleanup(ns, deployments);
  return result;
}

bool RollbackBench::createSet(const std::string& ns, int n, const std::string& flagValue,
                              std::string& error) {
  const std::string file =
      kubesim_->writeFile(ns + ".yaml", deploymentSetYaml({ns, n, 2, flagValue, 20}));
  testing::RunResult r = kubectl_->run({"apply", "-f", file});
  if (r.exitCode != 0) {
    error = "kubectl apply " + ns + ": " + r.err;
    return false;
  }
  std::string why;
  if (!pollUntil([&] { return setRolledOut(api_->client(), ns, n, kFlag, flagValue, &why); },
                 kSetupTimeout)) {
    error = ns + " never rolled out with " + kFlag + "=" + flagValue + ": " + why;
    return false;
  }
  return true;
}

bool RollbackBench::injectFault(const std::string& ns, std::string& error) {
  // Metadata only: no new rollout; kubesim's apps pick the knob up at their next tick.
  testing::RunResult r =
      kubectl_->run({"-n", ns, "annotate", "deployment", "--all", kFaultAnnotation, "--overwrite"});
  if (r.exitCode != 0) error = "kubectl annotate " + ns + ": " + r.err;
  return r.exitCode == 0;
}

std::optional<FiringAlert> RollbackBench::waitAlert(const std::string& ns, CaseResult& result) {
  auto alert =
      waitFiring(*prometheus_, clock_, "HighErrorRate", {{"namespace", ns}}, kMeasureTimeout);
  if (!alert) {
    result.error = "HighErrorRate never fired for " + ns;
  } else if (!alert->activeAt) {
    result.error = "HighErrorRate fired without a parsable activeAt";
    alert.reset();
  } else {
    result.firingAlerts = alert->matching;
  }
  return alert;
}

void RollbackBench::finish(FlagWatch& watch, int n, const FiringAlert& alert, CaseResult& result) {
  if (!watch.waitAll(deploymentNames(n), kMeasureTimeout)) {
    result.error = std::to_string(watch.reached().size()) + " of " + std::to_string(n) +
                   " flags off after " + std::to_string(kMeasureTimeout.count()) + "s" +
                   (watch.error().empty() ? "" : "; watch: " + watch.error());
    return;
  }
  const auto reached = watch.reached();
  auto [first, last] =
      std::minmax_element(reached.begin(), reached.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; });
  result.fromActiveAt = seconds(last->second - *alert.activeAt);
  result.fromFiringSeen = seconds(last->second - alert.firstSeen);
  result.firstToLastOff = seconds(last->second - first->second);
}

CaseResult RollbackBench::runOperator(const std::string& ns, int n) {
  CaseResult result;
  result.method = Method::Operator;
  result.deployments = n;
  if (!createSet(ns, n, "false", result.error)) return result;
  const std::string file =
      kubesim_->writeFile(ns + "-rollout.yaml", rolloutYaml(ns, prometheus_->port()));
  if (testing::RunResult r = kubectl_->run({"apply", "-f", file}); r.exitCode != 0) {
    result.error = "kubectl apply rollout: " + r.err;
    return result;
  }
  std::string why;
  if (!pollUntil(
          [&] {
            return rolloutHolding(api_->client(), ns, n, why) &&
                   setRolledOut(api_->client(), ns, n, kFlag, "true", &why);
          },
          kSetupTimeout)) {
    result.error = "the rollout never enabled all " + std::to_string(n) + ": " + why;
    return result;
  }
  const auto metricBefore = rollbackMetric();
  auto watch = FlagWatch::start(api_->client(), clock_, {ns, kFlag, "false"});
  if (!watch.ok()) {
    result.error = "watch: " + watch.error().toString();
    return result;
  }
  if (!injectFault(ns, result.error)) return result;
  auto alert = waitAlert(ns, result);
  if (!alert) return result;
  finish(**watch, n, *alert, result);
  if (!result.ok()) return result;

  // The status (with the rollback record) is written after the Deployments.
  std::optional<base::TimePoint> decided;
  pollUntil(
      [&] {
        auto tro = api_->client().get(kube::resources::telemetryRollouts(), ns, kRolloutName);
        if (!tro.ok()) return false;
        const auto status = tro->value("status", kube::Json::object());
        if (status.value("phase", "") != "RolledBack") return false;
        decided = controllers::analysis::parseRfc3339(
            status.value("rollback", kube::Json::object()).value("at", ""));
        return decided.has_value();
      },
      30s);
  if (decided) {
    const auto reached = (*watch)->reached();
    const auto last =
        std::max_element(reached.begin(), reached.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    result.fromDecision = seconds(last->second - *decided);
  }
  // The operator observes the histogram after its writes and before its status update.
  std::optional<std::pair<double, double>> after;
  pollUntil(
      [&] {
        after = rollbackMetric();
        return after && (!metricBefore || after->second > metricBefore->second);
      },
      10s);
  if (after) result.operatorMetric = after->first - (metricBefore ? metricBefore->first : 0.0);
  return result;
}

CaseResult RollbackBench::runKubectl(Method method, const std::string& ns, int n) {
  CaseResult result;
  result.method = method;
  result.deployments = n;
  if (!createSet(ns, n, "true", result.error)) return result;
  auto watch = FlagWatch::start(api_->client(), clock_, {ns, kFlag, "false"});
  if (!watch.ok()) {
    result.error = "watch: " + watch.error().toString();
    return result;
  }
  if (!injectFault(ns, result.error)) return result;
  auto alert = waitAlert(ns, result);
  if (!alert) return result;

  // As a script would: at once, sequentially, stopping at the first failure.
  const base::TimePoint started = clock_.now();
  std::vector<std::vector<std::string>> commands;
  if (method == Method::KubectlLoop) {
    for (const std::string& name : deploymentNames(n)) {
      commands.push_back(
          {"-n", ns, "set", "env", "deployment/" + name, std::string(kFlag) + "=false"});
    }
  } else {
    commands.push_back({"-n", ns, "set", "env", "deployment", "-l",
                        std::string(kSetLabel) + "=" + ns, std::string(kFlag) + "=false"});
  }
  for (const auto& command : commands) {
    if (testing::RunResult r = kubectl_->run(command); r.exitCode != 0) {
      result.error = "kubectl set env: " + r.err;
      return result;
    }
  }
  result.commandSeconds = seconds(clock_.now() - started);
  finish(**watch, n, *alert, result);
  return result;
}

std::optional<std::pair<double, double>> RollbackBench::rollbackMetric() const {
  auto sum = operator_->metric("telemetry_rollout_rollback_latency_seconds_sum");
  auto count = operator_->metric("telemetry_rollout_rollback_latency_seconds_count");
  if (!sum || !count) return std::nullopt;
  return std::make_pair(*sum, *count);
}

bool RollbackBench::gone(const kube::ResourceType& type, const std::string& ns, std::string& why) {
  return pollUntil(
      [&] {
        auto left = api_->client().list(type, ns, {});
        if (!left.ok()) why = left.error().toString();
        return left.ok() && (*left)["items"].empty();
      },
      kCleanupTimeout);
}

void RollbackBench::cleanup(const std::string& ns, int n) {
  // Keeps the next case's servers as quiet as the first one's: the rollout is deleted (its
  // finalizer restores the Deployments) and the Deployments are scaled to zero, so no simulated
  // pod is left serving traffic or being scraped. Scaling is used rather than deletion because
  // kubesim deletes 100 Deployments slowly (docs/benchmarks.md). A failure here cannot change
  // figures already taken, so it is reported and the run goes on.
  const kube::ResourceType pods{"", "v1", "pods", "Pod", true};
  std::string why;
  testing::RunResult r = kubectl_->run(
      {"-n", ns, "delete", "telemetryrollouts", "--all", "--wait=false"}, kCleanupTimeout);
  if (r.exitCode != 0 || !gone(kube::resources::telemetryRollouts(), ns, why)) {
    std::cerr << "warning: cleanup of the rollout in " << ns << ": exit " << r.exitCode << " "
              << r.err << why << "\n";
  }
  // A merge patch of spec.replicas: kubesim serves no scale subresource for `kubectl scale`.
  why.clear();
  for (const std::string& name : deploymentNames(n)) {
    auto scaled =
        api_->client().patch(kube::resources::deployments(), ns, name, kube::PatchType::Merge,
                             R"({"spec":{"replicas":0}})", {"tro-bench", false, "", false});
    if (!scaled.ok()) why = scaled.error().toString();
  }
  if (!why.empty() || !gone(pods, ns, why)) {
    std::cerr << "warning: scaling down " << ns << ": "
              << (why.empty() ? "pods still present after the cleanup timeout" : why) << "\n";
  }
}

}  // namespace tro::bench
